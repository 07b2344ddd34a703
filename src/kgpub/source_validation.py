"""Validation per source: each article's graphs with the shared descriptions they refer to.

Two articles may state different values of a property that admits one (an event's status, a
tenure's start): each is valid on its own, and the difference is a conflict, reported as data
(see claims.py), not a `sh:maxCount` violation of the union. So every article is validated on
its own graphs plus what it refers to: the registry entities and article metadata it names,
the vocabularies, and, for an event (or other named fact) that it refers to but another source
describes, that source's description. The shared graphs themselves (registry, links, context)
are validated once, together, the same way.

The runs go through the compiled evaluator (kgpub.shacl: the same results as pyshacl, ~20-50x
faster), with pyshacl when the shapes use what it does not evaluate. Each article is then an
index of its own triples over one index of the shared graphs, validated on the nodes it
describes; the nodes it only refers to are validated in the shared run (with kgpub's shapes,
their results do not depend on the article; tests/test_shacl_exact.py compares both ways).
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

    def __init__(self, graphs: Iterable[Iterable[tuple]]) -> None:
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
        return [t for iri in self.reach(graph) for t in self.by_subject[iri]]

    def reach(self, graph: Iterable[tuple]) -> list[Node]:
        """The IRIs whose shared descriptions closure_for returns."""
        stack = [t for s, _, o in graph for t in (s, o) if isinstance(t, URIRef)]
        seen: set[Node] = set()
        out: list[Node] = []
        while stack:
            iri = stack.pop()
            if iri in seen:
                continue
            seen.add(iri)
            triples = self.by_subject.get(iri)
            if triples:
                out.append(iri)
                stack.extend(o for _, _, o in triples if isinstance(o, URIRef) and o not in seen)
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
    graphs = [iri for a in converted.articles for iri in a.graphs] + [KGG.context]
    order: dict[Node, int] = {}
    for k, iri in enumerate(graphs):
        order.setdefault(iri, k)
    first: dict[Node, int] = {}
    # One pass over the dataset's type triples (asking each graph in turn is quadratic).
    for node, _, _, graph in ds.quads((None, RDF.type, None, None)):
        k = order.get(graph)
        if k is not None and node in named and k < first.get(node, len(graphs)):
            first[node] = k
    return {node: description(ds.graph(graphs[k]), node)
            for node, k in sorted(first.items(), key=lambda item: item[1])}


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


def _quad(triple: tuple) -> ox.Quad:
    s, p, o = triple
    return ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o))


class CompiledRuns:
    """The validation runs of validate_sources with the compiled shapes.

    The shared graphs are indexed once (and, for the SPARQL constraints, converted to Oxigraph
    quads once); each article is then its own small index over them, validated on the nodes it
    describes, with a small Oxigraph store holding exactly what the pyshacl run would see.
    """

    def __init__(self, compiled: CompiledShapes, entities: Iterable[tuple],
                 links: Iterable[tuple], vocab: Iterable[tuple]) -> None:
        self.compiled = compiled
        self.vocab = list(vocab)
        registry = [list(entities), list(links)]
        self.index = SharedIndex(registry)
        self.shared = TripleIndex([*registry[0], *registry[1], *self.vocab])
        self._vocab_quads: list[ox.Quad] | None = None
        self._quads: dict[Node, list[ox.Quad]] = {}

    @classmethod
    def of(cls, converted: Converted, compiled: CompiledShapes) -> CompiledRuns:
        ds = converted.dataset
        return cls(compiled, *(ds.graph(g) for g in (KGG.entities, KGG.links, KGG.vocab)))

    def store(self, local: TripleIndex, whole: bool) -> ox.Store:
        """What the pyshacl run of these triples sees: them, what they refer to (closure_for)
        and the vocabularies (a whole run already holds all of it)."""
        store = ox.Store()
        store.extend(_quad(t) for t in local.triples())
        if not whole:
            if self._vocab_quads is None:
                self._vocab_quads = [_quad(t) for t in self.vocab]
            store.extend(self._vocab_quads)
            for iri in self.index.reach(local.triples()):
                quads = self._quads.get(iri)
                if quads is None:
                    quads = self._quads[iri] = [_quad(t) for t in self.index.by_subject[iri]]
                store.extend(quads)
        return store

    def run(self, triples: list[tuple], whole: bool) -> Outcome:
        """One run: the shared graphs validated whole, or an article on the nodes it
        describes (the subjects of its triples)."""
        local = TripleIndex([*triples, *self.vocab] if whole else triples)
        store = self.store(local, whole) if self.compiled.fast else None
        focus = None if whole else local.spo.keys()
        return self.compiled.run(Layered(local, self.shared), focus=focus, store=store)


def validate_sources(converted: Converted, shapes: PreparedShapes,
                     compiled: CompiledShapes | None | bool = True) -> Report:
    """Validate the shared graphs once, then every article with what it refers to.

    With the compiled evaluator (kgpub.shacl) unless `compiled` is False or the shapes need
    pyshacl; a run whose data makes pyshacl raise goes through pyshacl, which says why.
    """
    ds = converted.dataset
    vocab = ds.graph(KGG.vocab)
    index = SharedIndex([ds.graph(KGG.entities), ds.graph(KGG.links)])
    if compiled is True:
        compiled = compile_shapes(shapes.shapes)
    runs = source_runs(converted)
    if not compiled:
        return merge_reports([_pyshacl_run(t, index, vocab, shapes) for t, _ in runs])
    runner = CompiledRuns.of(converted, compiled)
    conforms, violations = True, set()
    for triples, whole in runs:
        try:
            outcome = runner.run(triples, whole)
        except RuntimeFallback:
            extra = list(vocab) if whole else []
            report = _pyshacl_run([*triples, *extra], index, vocab, shapes)
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
