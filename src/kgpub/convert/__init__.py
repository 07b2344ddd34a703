"""Curated sources (registry, article facts, context) become RDF: one graph per article.

IRIs come from what identifies each thing (identity.py), so the same fact reported by two
articles is one node asserted in two article graphs, each with what that article says about
it. Every reference is resolved and every evidence span located in the stored article text;
all problems are collected and raised together, each with its file and line, before anything
is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset, Literal, URIRef

from ..errors import SourceError
from ..namespaces import KGG, KGP, KGR, KGST
from ..rdfio import canonical_literals
from ..sources import Sources
from ..vocabulary import Vocabularies
from .article import ArticleGraphs, article_graph_iri, convert_article
from .closure import Closure, materialise_closure
from .facts import convert_factset
from .identity import normalise_quote, short_hash
from .registry import convert_registry
from .scope import Problems, Scope, Shared, Symbol, Target
from .symbols import (
    factset_ids,
    file_ids,
    local_symbols,
    merge_ids,
    registry_symbols,
    same_qid_problems,
)

__all__ = ["Converted", "convert", "materialise_closure", "normalise_quote", "short_hash",
           "article_graph_iri", "Closure"]


@dataclass
class Converted:
    """The dataset, and which graphs and facts each source contributed (for validation and
    the cross-article claims)."""

    dataset: Dataset
    articles: list[ArticleGraphs] = field(default_factory=list)
    context_facts: list[URIRef] = field(default_factory=list)
    symbols: dict[str, Symbol] = field(default_factory=dict)


def convert(sources: Sources, vocab: Vocabularies) -> Converted:
    """The library entry point: sources in, Converted out, or SourceError with every problem."""
    problems = Problems(sources.root)
    symbols = registry_symbols(sources, vocab, problems)
    same_qid_problems(sources, problems)
    declared = [(a.lines, file_ids(a)) for a in sources.articles]
    if sources.context is not None:
        declared.append((sources.context_lines,
                         factset_ids(sources.context.context, sources.context_path,
                                     sources.context_lines, ("context",))))
    merge_ids(symbols, declared, problems)
    shared = Shared(vocab, symbols, sources.registry_path)

    ds = Dataset()
    for prefix, ns in (("kgp", KGP), ("kgr", KGR), ("kgst", KGST), ("kgg", KGG)):
        ds.bind(prefix, ns)
    entities, links, context = ds.graph(KGG.entities), ds.graph(KGG.links), ds.graph(KGG.context)
    vocab_graph = ds.graph(KGG.vocab)
    for triple in vocab.graph:
        vocab_graph.add(triple)
    registry = Scope(shared, problems, Target(entities, sources.registry_path,
                                              sources.registry_lines, None))
    shared.post_orgs = convert_registry(registry, sources.registry.entities, links)

    out = Converted(ds, symbols=symbols)
    for article in sources.articles:
        out.articles.append(convert_article(shared, problems, article))
    if sources.context is not None:
        local = local_symbols([(sources.context.context, ("context",))], sources.context_path,
                              sources.context_lines, symbols, problems)
        scope = Scope(shared, problems, Target(context, sources.context_path,
                                               sources.context_lines, None, local=local))
        out.context_facts = convert_factset(scope, sources.context.context, ("context",))
    if problems.found:
        raise SourceError(problems.sorted())
    for result in out.articles:
        for iri, graph in result.graphs.items():
            target = ds.graph(iri)
            for triple in graph:
                target.add(triple)
        for triple in result.entities:
            entities.add(triple)
        for triple in result.context:
            context.add(triple)
    materialise_closure(ds, vocab.ontology)
    store_literal_forms(ds)
    return out


def store_literal_forms(ds: Dataset) -> None:
    """Write every typed literal in the form RDF stores give it back (see canonical_literals),
    so that what /sparql answers, the dumps and the validated graph are the same triples."""
    quads = list(ds.quads((None, None, None, None)))
    changed = canonical_literals(o for _, _, o, _ in quads if isinstance(o, Literal))
    for s, p, o, g in quads:
        if o in changed:
            graph = ds.graph(g)
            graph.remove((s, p, o))
            graph.add((s, p, changed[o]))
