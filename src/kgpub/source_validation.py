"""Validation per source: each article's graphs with the shared descriptions they refer to.

Two articles may state different values of a property that admits one (an event's status, a
tenure's start): each is valid on its own, and the difference is a conflict, reported as data
(see claims.py), not a `sh:maxCount` violation of the union. So every article is validated on
its own graphs plus what it refers to: the registry entities and article metadata it names,
the vocabularies, and, for an event (or other named fact) that it refers to but another source
describes, that source's description. The shared graphs themselves (registry, links, context)
are validated once, together, the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .convert import Converted
from .convert.symbols import NAMED_FACTS
from .namespaces import KGG, KGP, KGR
from .rdfio import to_ox_term
from .shacl import CompiledShapes, Layered, Outcome, RuntimeFallback, TripleIndex, compile_shapes
from .shacl.report import sort_key
from .validate import PreparedShapes, Report, merge_reports, validate_graph

ANNOTATIONS = str(KGR["ann/"])


class SharedIndex:
    """The shared graphs (entities, links) by subject, to cut out what one source refers to."""

    def __init__(self, graphs: Iterable[Graph]) -> None:
        self.by_subject: dict[Node, list[tuple]] = defaultdict(list)
        for graph in graphs:
            for triple in graph:
                self.by_subject[triple[0]].append(triple)

    def closure_for(self, graph: Iterable[tuple]) -> list[tuple]:
        """The shared descriptions of every IRI `graph` mentions, and of what those mention.

        A shape that sees a node's type checks the node's whole description, so a referenced
        node comes with all that the shared graphs say of it (and so on, transitively: a post
        with its organisation, an article with its evidence and publisher). The registry is
        shallow, so this stays small.
        """
        stack = [t for s, _, o in graph for t in (s, o) if isinstance(t, URIRef)]
        seen: set[Node] = set()
        out: list[tuple] = []
        while stack:
            iri = stack.pop()
            if iri in seen:
                continue
            seen.add(iri)
            for triple in self.by_subject.get(iri, ()):
                out.append(triple)
                if isinstance(triple[2], URIRef) and triple[2] not in seen:
                    stack.append(triple[2])
        return out


def description(graph: Graph, node: URIRef) -> list[tuple]:
    """What `graph` says about `node`, with its evidence annotations (targets, selectors)."""
    out = list(graph.triples((node, None, None)))
    frontier = [o for _, p, o in out if p == KGP.evidence]
    seen = set(frontier)
    while frontier:
        for triple in graph.triples((frontier.pop(), None, None)):
            out.append(triple)
            obj = triple[2]
            if isinstance(obj, URIRef) and str(obj).startswith(ANNOTATIONS) and obj not in seen:
                seen.add(obj)
                frontier.append(obj)
    return out


def named_fact_descriptions(converted: Converted) -> dict[URIRef, list[tuple]]:
    """Each named fact (event, assessment, ...) as described by the first source that does."""
    classes = {cls for _, cls, _ in NAMED_FACTS}
    named = {s.iri for s in converted.symbols.values() if s.cls in classes}
    ds = converted.dataset
    found: dict[URIRef, list[tuple]] = {}
    graphs = [ds.graph(iri) for a in converted.articles for iri in a.graphs]
    graphs.append(ds.graph(KGG.context))
    for graph in graphs:
        for node in named & set(graph.subjects(RDF.type, None)):
            found.setdefault(node, description(graph, node))
    return found


def source_runs(converted: Converted) -> list[tuple[list[tuple], bool]]:
    """The triples of each validation run, before the shared descriptions are added: first the
    shared graphs (True: validated whole), then each article's graphs (False) - each with the
    description of every named fact it refers to but does not describe (another source's)."""
    ds = converted.dataset
    foreign = named_fact_descriptions(converted)
    runs = [([t for g in (KGG.entities, KGG.links, KGG.context) for t in ds.graph(g)], True)]
    for article in converted.articles:
        runs.append(([t for iri in article.graphs for t in ds.graph(iri)], False))
    for triples, _ in runs:
        described = {s for s, p, _ in triples if p == RDF.type}
        referred = {o for _, _, o in triples if isinstance(o, URIRef)} - described
        for node in referred:
            triples.extend(foreign.get(node, ()))
    return runs


def _pyshacl_run(triples: Iterable[tuple], index: SharedIndex, vocab: Graph,
                 shapes: PreparedShapes) -> Report:
    data = Graph()
    for triple in triples:
        data.add(triple)
    for triple in [*index.closure_for(data), *vocab]:
        data.add(triple)
    return validate_graph(data, shapes)


def _compiled_run(triples: list[tuple], whole: bool, index: SharedIndex, vocab: Graph,
                  shared: TripleIndex, compiled: CompiledShapes) -> Outcome:
    """One run with the compiled shapes: an article's nodes, over the shared index (which
    holds everything the pyshacl run adds from the shared graphs and more)."""
    local = TripleIndex(triples)
    store = None
    if compiled.fast:  # the SPARQL constraints see exactly what the pyshacl run sees
        store = ox.Store()
        extra = [] if whole else [*index.closure_for(local.triples()), *vocab]
        store.extend(ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o))
                     for s, p, o in {*local.triples(), *extra})
    if whole:
        return compiled.run(Layered(local, shared), store=store)
    return compiled.run(Layered(local, shared), focus=local.spo.keys(), store=store)


def validate_sources(converted: Converted, shapes: PreparedShapes,
                     compiled: CompiledShapes | None | bool = True) -> Report:
    """Validate the shared graphs once, then every article with what it refers to.

    With the compiled evaluator (kgpub.shacl) unless `compiled` is False or the shapes need
    pyshacl; an article whose data makes pyshacl raise is run through pyshacl, which says why.
    """
    ds = converted.dataset
    vocab = ds.graph(KGG.vocab)
    index = SharedIndex([ds.graph(KGG.entities), ds.graph(KGG.links)])
    if compiled is True:
        compiled = compile_shapes(shapes.shapes)
    runs = source_runs(converted)
    if not compiled:
        return merge_reports([_pyshacl_run(t, index, vocab, shapes) for t, _ in runs])
    shared = TripleIndex(t for g in (KGG.entities, KGG.links, KGG.vocab) for t in ds.graph(g))
    conforms, violations = True, set()
    for triples, whole in runs:
        if whole:
            triples = [*triples, *vocab]
        try:
            outcome = _compiled_run(triples, whole, index, vocab, shared, compiled)
        except RuntimeFallback:
            report = _pyshacl_run(triples, index, vocab, shapes)
            conforms, violations = conforms and report.conforms, violations | {*report.violations}
            continue
        conforms = conforms and outcome.conforms
        violations.update(outcome.violations)
    return Report(conforms, sorted(violations, key=sort_key), _summary(conforms))


def _summary(conforms: bool) -> Graph:
    graph = Graph()
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(conforms)))
    return graph
