"""One article's work, in a worker process: load, convert, validate, serialise, cache.

The parent makes a `BuildContext` (vocabularies, symbol table, shared graphs, shapes) and forks
the workers, which inherit it; each job gets only a facts file's path and returns a small
`JobResult`. An article whose cache entry is still valid is not redone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..claims import Properties, index_source
from ..convert import ArticleGraphs, Prepared, convert_article
from ..convert.scope import Problems, Symbol
from ..dump import PUBLIC_BASE
from ..errors import SourceError, SourceProblem
from ..manifest import InputHashes, relative_name
from ..namespaces import KGG
from ..rdfio import TermConverter
from ..source_validation import SourceValidator
from ..sources import load_article
from ..validate import Violation
from .cache import BuildCache, CorruptEntry, Entry
from .pieces import serialise

ARTICLE_GRAPH_ORDER = ("", "/head", "/provenance", "/pubinfo")
SPACE = f"{PUBLIC_BASE}id/"


@dataclass
class BuildContext:
    """What every article's job needs, made once by the parent and inherited by the workers."""

    root: Path
    prepared: Prepared
    validator: SourceValidator
    properties: Properties
    cache: BuildCache
    fingerprint: str
    """kgpub's version and the ontology, vocabularies and shapes, hashed."""
    article_of: dict[str, str] = field(default_factory=dict)
    """Facts file (its path as a string) -> the article id the first pass found in it."""
    hashes: InputHashes = field(default_factory=InputHashes)
    """The hashes of unchanged files, as the parent knew them (see manifest.InputHashes)."""

    def symbol_state(self, key: str) -> list[str] | None:
        symbol: Symbol | None = self.prepared.symbols.get(key)
        return None if symbol is None else [str(symbol.iri), str(symbol.cls)]


@dataclass
class JobResult:
    path: Path
    article_id: str | None = None
    reused: bool = False
    problems: list[SourceProblem] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    facts_sha256: str | None = None
    text: Path | None = None
    text_sha256: str | None = None
    text_name: str | None = None
    """The text's name relative to the project (when known: the reuse record has it)."""
    hashes: dict[str, list] = field(default_factory=dict)
    """File hashes the job learned (manifest.InputHashes entries)."""


CONTEXT: BuildContext | None = None
"""Set by the parent before the workers are forked (see builder.engine)."""


def run(path: str) -> JobResult:
    """The job of one facts file (the function the worker pool maps over the files)."""
    assert CONTEXT is not None
    return process(CONTEXT, Path(path))


def process(ctx: BuildContext, path: Path) -> JobResult:
    result = _process(ctx, path)
    result.hashes = dict(ctx.hashes.learned)  # for the parent's record (see InputHashes)
    ctx.hashes.learned.clear()
    return result


def _process(ctx: BuildContext, path: Path) -> JobResult:
    facts_sha = ctx.hashes.sha256(path, relative_name(path, ctx.root))
    reused = _reuse(ctx, path, facts_sha)
    if reused is not None:
        entry, text, text_sha = reused
        return JobResult(path, entry.article_id, True, facts_sha256=facts_sha, text=text,
                         text_sha256=text_sha)
    try:
        article = load_article(path)
    except SourceError as exc:
        return JobResult(path, problems=exc.problems, facts_sha256=facts_sha)
    problems = Problems(ctx.root)
    graphs = convert_article(ctx.prepared, article, problems)
    result = JobResult(path, article.model.article.id, facts_sha256=facts_sha,
                       text=article.text_path, text_sha256=article.sha256)
    if problems.found:
        result.problems = problems.sorted()
        return result
    terms = TermConverter()
    violations, used = ctx.validator.article(graphs, terms)
    if violations:
        result.violations = violations
        return result
    _store(ctx, path, facts_sha, article, graphs, used, terms)
    return result


def _reuse(ctx: BuildContext, path: Path, facts_sha: str) -> tuple[Entry, Path, str] | None:
    """The valid cache entry of this facts file, its text's path and hash, or None."""
    aid = ctx.article_of.get(str(path))
    entry = ctx.cache.load(aid) if aid is not None else None
    if entry is None:
        return None
    body = entry.body
    if body.get("facts_sha256") != facts_sha or body.get("fingerprint") != ctx.fingerprint:
        return None
    text = (ctx.root / body["text"]).resolve()
    try:
        text_sha = ctx.hashes.sha256(text, body["text"])
    except OSError:
        return None
    if text_sha != body.get("text_sha256"):
        return None
    try:
        detail = entry.depends()
    except (CorruptEntry, OSError, ValueError):
        return None
    for key, state in detail["symbols"].items():
        if ctx.symbol_state(key) != state:
            return None
    shared = ctx.validator.shared
    for iri, digest in detail["registry"].items():
        if shared.digest(URIRef(iri)) != digest:
            return None
    return entry, text, text_sha


def _store(ctx: BuildContext, path: Path, facts_sha: str, article, graphs: ArticleGraphs,
           used: set[Node], terms: TermConverter) -> Entry:
    """Serialise the article every way the dumps need it and write its cache entry."""
    meta = article.model.article
    aid = meta.id
    base = str(KGG[f"article/{aid}"])
    order = [base + suffix for suffix in ARTICLE_GRAPH_ORDER]
    order += [str(KGG[f"pagechrome/{aid}"])]
    by_iri = {str(k): v for k, v in graphs.graphs.items()}
    stats = ArticleStats()
    parts: list[tuple[str, list[ox.Triple]]] = []
    for graph in order:
        if graph in by_iri:
            parts.append((graph, [terms.triple(t) for t in by_iri[graph]]))
    # What the article adds to the shared graphs; what the registry or the context file say
    # already is theirs (an article's own additions are about itself: no two articles share one).
    prepared = ctx.prepared
    for graph_iri, triples, known in ((KGG.entities, graphs.entities, prepared.entities),
                                      (KGG.context, graphs.context, prepared.context)):
        parts.append((str(graph_iri), [terms.triple(t) for t in triples if t not in known]))
    for graph, triples in parts:
        stats.add(triples, graph)
    piece = serialise(parts)
    blobs = piece.blobs
    as_of = meta.date_published or meta.date_published_latest
    derived = [str(ctx.prepared.symbols[k].iri) for k in meta.derived_from
               if k in ctx.prepared.symbols]
    claims_graphs = [order[0], order[4]]  # the article's facts and its page chrome
    index = index_source(str(graphs.article), as_of,
                         [t for g in claims_graphs for t in graphs.graphs.get(URIRef(g), ())],
                         ctx.properties, [str(f) for f in graphs.facts], derived)
    body = {
        "article_id": aid, "article": str(graphs.article),
        "facts": relative_name(path, ctx.root), "facts_sha256": facts_sha,
        "text": relative_name(article.text_path, ctx.root), "text_sha256": article.sha256,
        "fingerprint": ctx.fingerprint,
        "symbols": {k: ctx.symbol_state(k) for k in sorted(graphs.referenced)},
        "registry": {str(s): ctx.validator.shared.digest(s) for s in sorted(used, key=str)},
        **piece.body(),
        "index": {"as_of": as_of.isoformat() if isinstance(as_of, dt.date) else None,
                  "values": sorted(index.values), "evidence": sorted(index.evidence),
                  "facts": index.facts, "derived_from": sorted(index.derived_from)},
        "stats": stats.to_json(),
    }
    return ctx.cache.store(aid, body, blobs)


@dataclass
class ArticleStats:
    """What VoID needs from one article: predicates, classes, subjects, links into the space."""

    predicates: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    subjects: set[int] = field(default_factory=set)
    links: set[tuple[int, str]] = field(default_factory=set)
    """(subject, object IRI in the URI space): subjects as 64-bit hashes (see `term_hash`)."""
    first: str | None = None
    """The smallest subject IRI in the URI space (VoID's example when nothing links)."""

    def add(self, triples: list[ox.Triple], graph: str, count_graph: bool = True) -> None:
        rdf_type = str(RDF.type)
        for t in triples:
            p = t.predicate.value
            self.predicates.add(p)
            s = term_hash(str(t.subject))
            self.subjects.add(s)
            if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(SPACE) \
                    and (self.first is None or t.subject.value < self.first):
                self.first = t.subject.value
            if p == rdf_type:
                self.classes.add(t.object.value)
            elif isinstance(t.object, ox.NamedNode) and t.object.value.startswith(SPACE) \
                    and t.object != t.subject:
                self.links.add((s, t.object.value))

    def to_json(self) -> dict:
        return {"predicates": sorted(self.predicates), "classes": sorted(self.classes),
                "subjects": sorted(self.subjects), "links": sorted(self.links),
                "first": [self.first] if self.first else []}


def term_hash(text: str) -> int:
    """A signed 64-bit hash of a term (an SQLite integer), to count distinct subjects."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(),
                          "big", signed=True)
