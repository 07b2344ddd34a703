"""SHACL property paths compiled once into functions from (data, focus node) to value nodes.

The semantics are pyshacl's (helper/expression_helper.value_nodes_from_path), including where it
departs from the SHACL spec: an inverse path over a sequence inverts each step but keeps their
order (the spec reverses the sequence too), and sh:zeroOrMorePath / sh:zeroOrOnePath include
the focus node itself. Shapes graphs pyshacl refuses (a sequence of one, an alternative of one,
an unknown path construct) are refused here too: compile_path returns None.
"""

from __future__ import annotations

from collections.abc import Callable, Set

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .index import Data

PathFn = Callable[[Data, Node], Set[Node]]
MAX_DEPTH = 10  # pyshacl: "Path traversal depth is too much!"


class Unsupported(Exception):
    """The shapes graph uses something this evaluator does not evaluate as pyshacl would."""


def compile_path(shapes: Graph, path: Node) -> PathFn | None:
    try:
        return _compile(shapes, path, False, 0)
    except Unsupported:
        return None


def _one(shapes: Graph, node: Node, predicate: URIRef) -> Node | None:
    values = list(shapes.objects(node, predicate))
    if len(values) > 1:
        raise Unsupported(f"{len(values)} values of {predicate} on a path node")
    return values[0] if values else None


def _compile(shapes: Graph, path: Node, inverse: bool, depth: int) -> PathFn:
    if isinstance(path, URIRef):
        return Inverse(path) if inverse else Predicate(path)
    if not isinstance(path, BNode):
        raise Unsupported("a path that is neither an IRI nor a blank node")
    if depth >= MAX_DEPTH:
        raise Unsupported("path nested too deep")
    first = _one(shapes, path, RDF.first)
    if first is not None:
        return _sequence(shapes, path, first, inverse, depth)
    inner = _one(shapes, path, SH.inversePath)
    if inner is not None:
        return _compile(shapes, inner, not inverse, depth + 1)
    alternatives = _one(shapes, path, SH.alternativePath)
    if alternatives is not None:
        options = [_compile(shapes, a, inverse, depth + 1) for a in shapes.items(alternatives)]
        if len(options) < 2:
            raise Unsupported("an alternative path of fewer than two paths")
        return Alternative(options)
    for predicate, repeat in ((SH.zeroOrMorePath, ZeroOrMore), (SH.oneOrMorePath, OneOrMore),
                              (SH.zeroOrOnePath, ZeroOrOne)):
        inner = _one(shapes, path, predicate)
        if inner is not None:
            return repeat(_compile(shapes, inner, inverse, depth + 1))
    raise Unsupported("an unknown path construct")


def _sequence(shapes: Graph, node: Node, first: Node, inverse: bool, depth: int) -> PathFn:
    rest = _one(shapes, node, RDF.rest)
    head = _compile(shapes, first, inverse, depth + 1)
    if rest is None or rest == RDF.nil:
        if depth == 0 or rest is None:
            raise Unsupported("a sequence path of fewer than two paths")
        return head
    if isinstance(rest, Literal):
        raise Unsupported("a malformed RDF list in a path")
    return Sequence(head, _compile(shapes, rest, inverse, depth + 1))


# Small classes rather than closures, so that compiled shapes can be pickled to workers.

class Predicate:
    __slots__ = ("p",)

    def __init__(self, p: Node) -> None:
        self.p = p

    def __call__(self, data: Data, focus: Node) -> Set[Node]:
        return data.objects(focus, self.p)


class Inverse(Predicate):
    __slots__ = ()

    def __call__(self, data: Data, focus: Node) -> Set[Node]:
        return data.subjects(self.p, focus)


class Sequence:
    __slots__ = ("head", "tail")

    def __init__(self, head: PathFn, tail: PathFn) -> None:
        self.head, self.tail = head, tail

    def __call__(self, data: Data, focus: Node) -> Set[Node]:
        out: set[Node] = set()
        for node in self.head(data, focus):
            out.update(self.tail(data, node))
        return out


class Alternative:
    __slots__ = ("options",)

    def __init__(self, options: list[PathFn]) -> None:
        self.options = options

    def __call__(self, data: Data, focus: Node) -> Set[Node]:
        out: set[Node] = set()
        for option in self.options:
            out.update(option(data, focus))
        return out


class ZeroOrMore:
    __slots__ = ("step",)

    def __init__(self, step: PathFn) -> None:
        self.step = step

    def _reach(self, data: Data, start: Set[Node], out: set[Node]) -> set[Node]:
        todo = set(start)
        while todo:
            node = todo.pop()
            if node in out:
                continue
            out.add(node)
            todo.update(self.step(data, node))
        return out

    def __call__(self, data: Data, focus: Node) -> Set[Node]:
        return self._reach(data, self.step(data, focus), {focus})


class OneOrMore(ZeroOrMore):
    __slots__ = ()

    def __call__(self, data: Data, focus: Node) -> Set[Node]:
        return self._reach(data, self.step(data, focus), set())


class ZeroOrOne(ZeroOrMore):
    __slots__ = ()

    def __call__(self, data: Data, focus: Node) -> Set[Node]:
        return {focus, *self.step(data, focus)}
