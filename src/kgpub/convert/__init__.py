"""Curated sources (registry, article facts, context) become RDF: one graph per article.

IRIs come from what identifies each thing (identity.py), so the same fact reported by two
articles is one node asserted in two article graphs, each with what that article says about
it. Every reference is resolved and every evidence span located in the stored article text;
all problems are collected and raised together, each with its file and line, before anything
is written.

Conversion has two parts: `prepare` (once per build: the symbol table of every id, the
registry, links and context graphs) and `convert_article` (each article on its own, given what
`prepare` made), so that articles can be converted in parallel and cached one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef

from ..errors import SourceError
from ..namespaces import KGG, KGP, KGR, KGST
from ..rdfio import canonical_literals
from ..sources import LoadedArticle, Sources
from ..vocabulary import Vocabularies
from .article import ArticleGraphs, article_graph_iri
from .article import convert_article as _convert_article
from .closure import Closure
from .facts import convert_factset
from .identity import normalise_quote, short_hash
from .registry import convert_registry
from .scope import Problems, Scope, Shared, Symbol, Target
from .symbols import (
    Declared,
    factset_ids,
    file_ids,
    local_symbols,
    merge_ids,
    registry_symbols,
    same_qid_problems,
)
from .triples import Triples

__all__ = ["ArticleGraphs", "Closure", "Converted", "Prepared", "Triples", "article_graph_iri",
           "convert", "convert_article", "file_ids", "normalise_quote", "prepare", "short_hash"]


@dataclass
class Prepared:
    """What every article's conversion needs, made once: symbols, registry, links, context."""

    shared: Shared
    closure: Closure
    entities: Triples = field(default_factory=Triples)
    links: Triples = field(default_factory=Triples)
    context: Triples = field(default_factory=Triples)
    context_facts: list[URIRef] = field(default_factory=list)

    @property
    def symbols(self) -> dict[str, Symbol]:
        return self.shared.symbols


def prepare(sources: Sources, vocab: Vocabularies,
            declared: list[tuple[object, list[Declared]]] | None = None,
            problems: Problems | None = None) -> Prepared:
    """The symbol table and the shared graphs; SourceError with every problem found.

    `declared`: each facts file's declarations (`file_ids`), when the caller has them already
    (a build caches them); by default they are read from `sources.articles`. Given `problems`,
    the problems are added there and not raised (the caller reports them with the articles').
    """
    collect = problems is not None
    problems = problems if problems is not None else Problems(sources.root)
    symbols = registry_symbols(sources, vocab, problems)
    same_qid_problems(sources, problems)
    if declared is None:
        declared = [(a.lines, file_ids(a)) for a in sources.articles]
    declared = list(declared)
    if sources.context is not None:
        declared.append((sources.context_lines,
                         factset_ids(sources.context.context, sources.context_path,
                                     sources.context_lines, ("context",))))
    merge_ids(symbols, declared, problems)
    shared = Shared(vocab, symbols, sources.registry_path)
    prepared = Prepared(shared, Closure(vocab.ontology))
    registry = Scope(shared, problems, Target(prepared.entities, sources.registry_path,
                                              sources.registry_lines, None))
    shared.post_orgs = convert_registry(registry, sources.registry.entities, prepared.links)
    if sources.context is not None:
        local = local_symbols([(sources.context.context, ("context",))], sources.context_path,
                              sources.context_lines, symbols, problems)
        scope = Scope(shared, problems, Target(prepared.context, sources.context_path,
                                               sources.context_lines, None, local=local))
        prepared.context_facts = convert_factset(scope, sources.context.context, ("context",))
    if problems.found and not collect:
        raise SourceError(problems.sorted())
    for triples in (prepared.entities, prepared.links, prepared.context):
        finish(triples, prepared.closure)
    return prepared


def convert_article(prepared: Prepared, article: LoadedArticle,
                    problems: Problems) -> ArticleGraphs:
    """One article's graphs, closed under the ontology's super-classes and properties, with
    literals in their stored form; problems are added to `problems`."""
    result = _convert_article(prepared.shared, problems, article)
    for triples in (*result.graphs.values(), result.entities, result.context):
        finish(triples, prepared.closure)
    return result


def finish(triples: Triples, closure: Closure) -> None:
    """Materialise the closure, then write every typed literal in the form stores give back."""
    closure.apply(triples)
    store_literal_forms(triples)


def store_literal_forms(triples: Triples) -> None:
    """Every typed literal in the form RDF stores give it back (see canonical_literals), so
    that what /sparql answers, the dumps and the validated graph are the same triples."""
    changed = canonical_literals(o for _, _, o in triples if isinstance(o, Literal))
    if changed:
        for s, p, o in [t for t in triples if t[2] in changed]:
            triples.remove((s, p, o))
            triples.add((s, p, changed[o]))


@dataclass
class Converted:
    """A whole project converted in one process: the shared graphs and every article's."""

    prepared: Prepared
    vocab: Vocabularies
    articles: list[ArticleGraphs] = field(default_factory=list)

    @property
    def symbols(self) -> dict[str, Symbol]:
        return self.prepared.symbols

    def graphs(self) -> dict[URIRef, Triples]:
        """Every named graph of the dataset, by IRI."""
        out = {KGG.entities: Triples(self.prepared.entities), KGG.links: self.prepared.links,
               KGG.context: Triples(self.prepared.context),
               KGG.vocab: Triples(self.vocab.graph)}
        for article in self.articles:
            out.update(article.graphs)
            out[KGG.entities].update(article.entities)
            out[KGG.context].update(article.context)
        return out

    @property
    def dataset(self) -> Dataset:
        """The dataset as an rdflib Dataset (for inspection of small projects, e.g. tests)."""
        ds = Dataset()
        for prefix, ns in (("kgp", KGP), ("kgr", KGR), ("kgst", KGST), ("kgg", KGG)):
            ds.bind(prefix, ns)
        for iri, triples in self.graphs().items():
            graph: Graph = ds.graph(iri)
            for triple in triples:
                graph.add(triple)
        return ds


def convert(sources: Sources, vocab: Vocabularies) -> Converted:
    """The whole project in one process: sources in, Converted out, or SourceError with every
    problem."""
    prepared = prepare(sources, vocab)
    problems = Problems(sources.root)
    out = Converted(prepared, vocab)
    for article in sources.articles:
        out.articles.append(convert_article(prepared, article, problems))
    if problems.found:
        raise SourceError(problems.sorted())
    return out
