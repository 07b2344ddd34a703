"""A graph as a plain set of triples: all that conversion needs, at a tenth of rdflib's cost.

rdflib's Graph indexes every triple three ways and fires events on each add; converting an
article adds a few thousand triples and never queries them, so a set is enough. Anything that
needs rdflib's API gets a Graph built from the set (`to_graph`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Graph
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class Triples:
    __slots__ = ("_set",)

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._set: set[Triple] = set(triples)

    def add(self, triple: Triple) -> None:
        self._set.add(triple)

    def update(self, triples: Iterable[Triple]) -> None:
        self._set.update(triples)

    def remove(self, triple: Triple) -> None:
        self._set.discard(triple)

    def __len__(self) -> int:
        return len(self._set)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._set)

    def __contains__(self, triple: object) -> bool:
        return triple in self._set

    def about(self, subject: Node) -> list[Triple]:
        """Every triple with `subject` as subject (a scan: graphs here are one article's)."""
        return [t for t in self._set if t[0] == subject]

    def subjects(self) -> set[Node]:
        return {t[0] for t in self._set}

    def to_graph(self) -> Graph:
        graph = Graph()
        for triple in self._set:
            graph.add(triple)
        return graph
