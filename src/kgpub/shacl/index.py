"""Triples indexed by subject (and, on first need, by object) for the SHACL evaluator.

An article's own triples are indexed anew for every article (thousands of times in a build), so
the index is plain dicts and sets of rdflib terms, built in one pass: subject -> predicate ->
objects. The reverse index (object -> predicate -> subjects), needed only by inverse paths and
sh:targetObjectsOf, is built the first time it is asked for. `Layered` reads two indexes as one
(an article over the shared entities, links and vocabularies) without copying either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set

from rdflib.namespace import RDF
from rdflib.term import Node

EMPTY: frozenset = frozenset()
_NO_PREDICATES: dict = {}
RDF_TYPE = RDF.type


class TripleIndex:
    """A read-only set of triples with the look-ups SHACL needs, each one or two dict hits."""

    __slots__ = ("spo", "_ops", "_size", "_by_predicate")

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]] = ()) -> None:
        spo: dict[Node, dict[Node, set[Node]]] = {}
        for s, p, o in triples:
            po = spo.get(s)
            if po is None:
                spo[s] = {p: {o}}
            else:
                objects = po.get(p)
                if objects is None:
                    po[p] = {o}
                else:
                    objects.add(o)
        self.spo = spo
        self._ops: dict[Node, dict[Node, set[Node]]] | None = None
        self._size = -1
        self._by_predicate: dict[tuple[bool, Node], set[Node]] = {}

    # ------------------------------------------------------------------ look-ups

    def objects(self, s: Node, p: Node) -> Set[Node]:
        po = self.spo.get(s)
        if po is None:
            return EMPTY
        return po.get(p, EMPTY)

    def subjects(self, p: Node, o: Node) -> Set[Node]:
        ps = self.ops.get(o)
        if ps is None:
            return EMPTY
        return ps.get(p, EMPTY)

    def outgoing(self, s: Node) -> dict[Node, Set[Node]]:
        """predicate -> objects of `s` (do not modify)."""
        return self.spo.get(s, _NO_PREDICATES)

    def predicates(self, s: Node) -> Iterable[Node]:
        return self.outgoing(s).keys()

    def incoming(self, o: Node) -> dict[Node, Set[Node]]:
        """predicate -> subjects pointing at `o` (do not modify)."""
        return self.ops.get(o, _NO_PREDICATES)

    def types(self, s: Node) -> Set[Node]:
        return self.objects(s, RDF_TYPE)

    def all_subjects(self) -> Iterable[Node]:
        return self.spo.keys()

    def has(self, s: Node, p: Node, o: Node) -> bool:
        return o in self.objects(s, p)

    def subjects_of(self, p: Node) -> set[Node]:
        """Every subject with a `p` triple (sh:targetSubjectsOf); remembered."""
        found = self._by_predicate.get((True, p))
        if found is None:
            found = self._by_predicate[True, p] = {s for s, po in self.spo.items() if p in po}
        return found

    def objects_of(self, p: Node) -> set[Node]:
        """Every object of a `p` triple (sh:targetObjectsOf); remembered."""
        found = self._by_predicate.get((False, p))
        if found is None:
            found = set()
            for po in self.spo.values():
                objects = po.get(p)
                if objects:
                    found.update(objects)
            self._by_predicate[False, p] = found
        return found

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        for s, po in self.spo.items():
            for p, objects in po.items():
                for o in objects:
                    yield s, p, o

    def __len__(self) -> int:
        if self._size < 0:
            self._size = sum(len(objs) for po in self.spo.values() for objs in po.values())
        return self._size

    @property
    def ops(self) -> dict[Node, dict[Node, set[Node]]]:
        if self._ops is None:
            ops: dict[Node, dict[Node, set[Node]]] = {}
            for s, po in self.spo.items():
                for p, objects in po.items():
                    for o in objects:
                        ps = ops.get(o)
                        if ps is None:
                            ops[o] = {p: {s}}
                        else:
                            subjects = ps.get(p)
                            if subjects is None:
                                ps[p] = {s}
                            else:
                                subjects.add(s)
            self._ops = ops
        return self._ops

    def __getstate__(self) -> dict:
        return {"spo": self.spo}  # the reverse index is rebuilt on demand

    def __setstate__(self, state: dict) -> None:
        self.spo = state["spo"]
        self._ops = None
        self._size = -1
        self._by_predicate = {}


def _union(a: Set[Node], b: Set[Node]) -> Set[Node]:
    if not a:
        return b
    if not b:
        return a
    return a | b


def _merge(a: dict, b: dict) -> dict:
    if not a:
        return b
    if not b:
        return a
    merged = dict(a)
    for p, nodes in b.items():
        merged[p] = _union(merged.get(p, EMPTY), nodes)
    return merged


class Layered:
    """Two indexes read as their union: `local` (one article) over `shared` (built once)."""

    __slots__ = ("local", "shared")

    def __init__(self, local: TripleIndex, shared: TripleIndex) -> None:
        self.local = local
        self.shared = shared

    def objects(self, s: Node, p: Node) -> Set[Node]:
        po = self.local.spo.get(s)
        mine = po.get(p) if po is not None else None
        po = self.shared.spo.get(s)
        theirs = po.get(p) if po is not None else None
        if not mine:
            return theirs or EMPTY
        if not theirs:
            return mine
        return mine | theirs

    def subjects(self, p: Node, o: Node) -> Set[Node]:
        return _union(self.local.subjects(p, o), self.shared.subjects(p, o))

    def outgoing(self, s: Node) -> dict[Node, Set[Node]]:
        return _merge(self.local.outgoing(s), self.shared.outgoing(s))

    def predicates(self, s: Node) -> Iterable[Node]:
        return self.outgoing(s).keys()

    def incoming(self, o: Node) -> dict[Node, Set[Node]]:
        return _merge(self.local.incoming(o), self.shared.incoming(o))

    def types(self, s: Node) -> Set[Node]:
        return self.objects(s, RDF_TYPE)

    def all_subjects(self) -> Iterable[Node]:
        return self.local.spo.keys() | self.shared.spo.keys()

    def has(self, s: Node, p: Node, o: Node) -> bool:
        return self.local.has(s, p, o) or self.shared.has(s, p, o)

    def subjects_of(self, p: Node) -> set[Node]:
        return self.local.subjects_of(p) | self.shared.subjects_of(p)

    def objects_of(self, p: Node) -> set[Node]:
        return self.local.objects_of(p) | self.shared.objects_of(p)

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        yield from self.local.triples()
        local = self.local
        for triple in self.shared.triples():
            if not local.has(*triple):
                yield triple


Data = TripleIndex | Layered
