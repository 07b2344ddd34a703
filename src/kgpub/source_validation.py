"""Validation per source: each article's graphs with the shared descriptions they refer to.

Two articles may state different values of a property that admits one (an event's status, a
tenure's start): each is valid on its own, and the difference is a conflict, reported as data
(see claims.py), not a `sh:maxCount` violation of the union. So every article is validated on
its own: the nodes it describes (the subjects of its graphs, its metadata included) are the
focus nodes, and the data is its graphs plus what they refer to — the registry entities (and
what those refer to), the vocabularies, and, for an event or article that another source
describes, its class (from the symbol table). The shared graphs themselves (registry, links,
context) are validated once, together. An article's validation therefore depends on nothing
but its own graphs and the shared ones, so articles are validated in parallel and cached.

The runs go through the compiled evaluator (kgpub.shacl: pyshacl's results, some twenty times
faster): an article is an index of its own triples read over one index of the shared graphs
and the vocabularies, made once in the parent and inherited by the workers. pyshacl runs
instead when the shapes use what the evaluator does not evaluate, or when the data would make
pyshacl raise (it then says why).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .convert import ArticleGraphs, Closure, Converted
from .convert.scope import Symbol
from .rdfio import TermConverter, to_ox_term
from .shacl import CompiledShapes, Layered, RuntimeFallback, TripleIndex, compile_shapes
from .validate import PreparedShapes, Report, Violation, merge_reports, validate_graph

Triple = tuple[Node, Node, Node]


class SharedIndex:
    """The shared graphs (registry entities, links) by subject, to cut out what one source
    refers to, with a hash of each subject's description (a cached article is valid as long as
    the descriptions it was validated with are unchanged)."""

    def __init__(self, graphs: Iterable[Iterable[Triple]]) -> None:
        self.by_subject: dict[Node, list[Triple]] = defaultdict(list)
        for graph in graphs:
            for triple in graph:
                self.by_subject[triple[0]].append(triple)
        self._hashes: dict[Node, str] = {}

    def closure_for(self, triples: Iterable[Triple]) -> tuple[list[Triple], set[Node]]:
        """The shared descriptions of every IRI the triples mention, and of what those mention.

        A shape that sees a node's type checks the node's whole description, so a referenced
        node comes with all that the shared graphs say of it (and so on, transitively: a post
        with its organisation). The registry is shallow, so this stays small. Also returns the
        shared subjects used.
        """
        stack = [t for s, _, o in triples for t in (s, o) if isinstance(t, URIRef)]
        seen: set[Node] = set()
        used: set[Node] = set()
        out: list[Triple] = []
        while stack:
            iri = stack.pop()
            if iri in seen:
                continue
            seen.add(iri)
            described = self.by_subject.get(iri)
            if not described:
                continue
            used.add(iri)
            for triple in described:
                out.append(triple)
                if isinstance(triple[2], URIRef) and triple[2] not in seen:
                    stack.append(triple[2])
        return out, used

    def digest(self, subject: Node) -> str:
        """A hash of what the shared graphs say of `subject`."""
        found = self._hashes.get(subject)
        if found is None:
            lines = sorted(" ".join(str(to_ox_term(t)) for t in triple)
                           for triple in self.by_subject.get(subject, ()))
            found = self._hashes[subject] = hashlib.sha256(
                "\n".join(lines).encode("utf-8")).hexdigest()[:16]
        return found


class SourceValidator:
    """Validates the shared graphs and each article, as described at the top of this module."""

    def __init__(self, shapes: PreparedShapes, shared: SharedIndex, vocab: Iterable[Triple],
                 symbols: dict[str, Symbol], closure: Closure,
                 compiled: CompiledShapes | None | bool = True) -> None:
        """`compiled`: True compiles the shapes (None when they need pyshacl); False or None
        validates with pyshacl."""
        self.shapes = shapes
        self.shared = shared
        self.vocab = list(vocab)
        self.closure = closure
        self.classes: dict[Node, URIRef] = {s.iri: s.cls for s in symbols.values()
                                            if s.cls is not None}
        self.compiled = compile_shapes(shapes.shapes) if compiled is True else compiled or None
        self._index: TripleIndex | None = None
        self._vocab_quads: list[ox.Quad] | None = None
        self._shared_quads: dict[Node, list[ox.Quad]] = {}

    @property
    def shared_index(self) -> TripleIndex:
        """The registry, the links and the vocabularies as one index (made once, before the
        workers are forked, by `warm`)."""
        if self._index is None:
            triples = [t for described in self.shared.by_subject.values() for t in described]
            self._index = TripleIndex([*triples, *self.vocab])
        return self._index

    def warm(self) -> None:
        """Make what every run reads, so that forked workers inherit it instead of each
        making its own."""
        if self.compiled is not None:
            self.shared_index.ops  # noqa: B018 - the reverse index, made on first use
            self._store(set())  # the vocabularies as Oxigraph quads

    def article(self, graphs: ArticleGraphs, terms: TermConverter | None = None
                ) -> tuple[list[Violation], set[Node]]:
        """The violations of one article's graphs, and the shared subjects its data used
        (`terms`: the article's rdflib-to-Oxigraph term cache, kept for its serialisation)."""
        local: set[Triple] = set()
        for triples in (*graphs.graphs.values(), graphs.entities, graphs.context):
            local.update(triples)
        focus = {s for s, _, _ in local}
        data = set(local)
        for node in {o for _, _, o in local if isinstance(o, URIRef)} - focus:
            cls = self.classes.get(node)
            if cls is not None:  # described by another source: its class is all a shape asks
                data.add((node, RDF.type, cls))
                data.update((node, RDF.type, c) for c in self.closure.supers(cls, _SUBCLASS))
        own = set(data)
        closure, used = self.shared.closure_for(data)
        if not focus:
            return [], used
        if self.compiled is not None:
            try:
                outcome = self.compiled.run(Layered(TripleIndex(own), self.shared_index),
                                            focus=focus,
                                            store=self._store(own, used, terms))
                return list(outcome.violations), used
            except RuntimeFallback:
                pass  # pyshacl, below, says what is wrong
        data.update(closure)
        data.update(self.vocab)
        return _validate(data, self.shapes, focus), used

    def shared_graphs(self, *graphs: Iterable[Triple]) -> list[Violation]:
        """The violations of the shared graphs (registry, links, context) with the vocabularies."""
        data: set[Triple] = set(self.vocab)
        for graph in graphs:
            data.update(graph)
        if self.compiled is not None:
            try:
                return list(self.compiled.run(TripleIndex(data), store=self._store(data))
                            .violations)
            except RuntimeFallback:
                pass
        return _validate(data, self.shapes, None)

    def _store(self, local: set[Triple], used: set[Node] = frozenset(),
               terms: TermConverter | None = None) -> ox.Store | None:
        """What the pyshacl run sees (`local`, the shared descriptions of `used` and the
        vocabularies) in Oxigraph, for the SHACL-SPARQL constraints (None when there are
        none). The shared part is converted once per process and kept."""
        if self.compiled is None or not self.compiled.fast:
            return None
        terms = terms or TermConverter()
        quads = {terms.quad(t) for t in local}
        if self._vocab_quads is None:
            shared_terms = TermConverter()
            self._vocab_quads = [shared_terms.quad(t) for t in self.vocab]
        quads.update(self._vocab_quads)
        for subject in used:
            found = self._shared_quads.get(subject)
            if found is None:
                found = self._shared_quads[subject] = [
                    to_ox_term_quad(t) for t in self.shared.by_subject.get(subject, ())]
            quads.update(found)
        store = ox.Store()
        store.extend(quads)
        return store


_SUBCLASS = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")


def to_ox_term_quad(triple: Triple) -> ox.Quad:
    s, p, o = triple
    return ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o))


def _validate(data: set[Triple], shapes: PreparedShapes,
              focus: set[Node] | None) -> list[Violation]:
    """pyshacl (kgpub.validate), for shapes the compiled evaluator does not take."""
    graph = Graph()
    for triple in data:
        graph.add(triple)
    return validate_graph(graph, shapes, focus).violations


def report_of(violations: list[Violation]) -> Report:
    """The violations of every run as one report (each once)."""
    return merge_reports([Report(not any(v.severity == "Violation" for v in violations),
                                 violations, Graph())])


def validate_sources(converted: Converted, shapes: PreparedShapes,
                     compiled: CompiledShapes | None | bool = True) -> Report:
    """Every run `kgpub build` makes (the shared graphs once, then each article), in one
    process over a project converted in memory: for tests and benchmarks. `compiled` as in
    SourceValidator."""
    prepared = converted.prepared
    validator = SourceValidator(shapes, SharedIndex([prepared.entities, prepared.links]),
                                converted.vocab.graph, prepared.symbols, prepared.closure,
                                compiled)
    violations = validator.shared_graphs(prepared.entities, prepared.links, prepared.context)
    for article in converted.articles:
        violations += validator.article(article)[0]
    return report_of(violations)
