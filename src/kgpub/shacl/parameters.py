"""The constraint components of one shape, built from its parameters as pyshacl builds them.

Whatever pyshacl refuses when it loads a component (two sh:datatype values, sh:minCount on a
node shape, a sh:maxLength that is not an integer ...) raises Unsupported here, so that such
shapes are left to pyshacl and fail exactly as they do today.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from . import components as c
from . import logic, pairs, strings
from .core import CShape
from .paths import Unsupported

WHOLE_INTEGERS = (XSD.integer, XSD.int, XSD.long, XSD.negativeInteger, XSD.nonNegativeInteger,
                  XSD.nonPositiveInteger, XSD.positiveInteger, XSD.short, XSD.unsignedByte,
                  XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort)
QUALIFIED = (SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedValueShapesDisjoint,
             SH.qualifiedMaxCount)


class Builder:
    """Reads one shape's parameters from the shapes graph (the copy pyshacl validates with)."""

    def __init__(self, graph: Graph, shapes: dict[Node, CShape],
                 text: Callable[[Node], str], items: Callable[[Node], list[Node]]) -> None:
        self.graph = graph
        self.shapes = shapes
        self.text = text  # a shapes-graph term as pyshacl writes it in default messages
        self.items = items

    def values(self, shape: CShape, parameter: URIRef) -> list[Node]:
        return list(self.graph.objects(shape.node, parameter))

    def single(self, shape: CShape, parameter: URIRef) -> Node:
        values = self.values(shape, parameter)
        if len(values) != 1:
            raise Unsupported(f"{len(values)} values of {parameter}")
        return values[0]

    def shape(self, node: Node, property_shape: bool | None = None) -> CShape:
        found = self.shapes.get(node)
        if found is None or (property_shape is not None and found.is_property != property_shape):
            raise Unsupported(f"{node} is not a shape of the expected kind")
        return found

    def build(self, shape: CShape, parameter: URIRef) -> c.Component | None:
        """The component that `parameter` belongs to (None: pyshacl ignores it)."""
        g, node = self.graph, shape.node
        if parameter == SH["class"]:
            classes = self.values(shape, parameter)
            return c.Class(classes, [self.text(x) for x in classes])
        if parameter == SH.datatype:
            datatype = self.single(shape, parameter)
            return c.Datatype(datatype, self.text(datatype))
        if parameter == SH.nodeKind:
            kind = self.single(shape, parameter)
            return c.NodeKind(kind, self.text(kind))
        if parameter in (SH.minCount, SH.maxCount):
            count = self.single(shape, parameter)
            if not (shape.is_property and isinstance(count, Literal)
                    and count.datatype == XSD.integer and isinstance(count.value, int)
                    and count.value >= 0):
                raise Unsupported(f"{parameter} {count!r}")
            return c.Count(count, parameter == SH.minCount)
        if parameter in c.Range.KINDS:
            bounds = self.values(shape, parameter)
            if not all(isinstance(b, Literal) for b in bounds):
                raise Unsupported(f"{parameter} that is not a literal")
            return c.Range(parameter, bounds, [self.text(b) for b in bounds])
        if parameter in (SH.minLength, SH.maxLength):
            rule = self.single(shape, parameter)
            if (not isinstance(rule, Literal) or getattr(rule, "ill_typed", False)
                    or rule.datatype not in WHOLE_INTEGERS
                    or rule.datatype in (XSD.negativeInteger, XSD.nonPositiveInteger)
                    or not isinstance(rule.value, int) or rule.value < 0):
                raise Unsupported(f"{parameter} {rule!r}")
            return strings.Length(rule, parameter == SH.minLength)
        if parameter == SH.pattern:
            return self._pattern(shape)
        if parameter == SH.languageIn:
            lists = self.single(shape, parameter)
            members = self.items(lists)
            if not all(isinstance(m, Literal) and isinstance(m.value, str) for m in members):
                raise Unsupported("sh:languageIn with a member that is not a string")
            return strings.LanguageIn({str(m.value).lower() for m in members}, self.text(lists))
        if parameter == SH.uniqueLang:
            flags = set(g.objects(node, parameter))
            flag = next(iter(flags))
            if (len(flags) != 1 or not shape.is_property or not isinstance(flag, Literal)
                    or not isinstance(flag.value, bool)):
                raise Unsupported("sh:uniqueLang")
            return strings.UniqueLang() if flag.value else None
        if parameter in pairs.Pair.KINDS:
            predicates = list(set(g.objects(node, parameter)))  # pyshacl's set, in its order
            if parameter in (SH.lessThan, SH.lessThanOrEquals) and (
                    not shape.is_property
                    or any(isinstance(p, (Literal, BNode)) for p in predicates)):
                raise Unsupported(f"{parameter} on a node shape, or not an IRI")
            text = (self.text(predicates[0]) if len(predicates) < 2
                    else ", ".join(self.text(p) for p in predicates))
            return pairs.Pair(parameter, predicates, text)
        if parameter == SH["in"]:
            members: set[Node] = set()
            for item in self.items(self.single(shape, parameter)):
                members.add(item)
            return c.In(members, [self.text(m) for m in members])
        if parameter == SH.hasValue:
            wanted = list(set(g.objects(node, parameter)))
            return c.HasValue(wanted, [self.text(w) for w in wanted])
        return self._shape_based(shape, parameter)

    def _pattern(self, shape: CShape) -> c.Component:
        patterns = self.values(shape, SH.pattern)
        if not all(isinstance(p, Literal) and (p.value is None or isinstance(p.value, str))
                   for p in patterns):
            raise Unsupported("sh:pattern that is not a string literal")
        flags_found = set(self.graph.objects(shape.node, SH.flags))
        flags = 0
        if flags_found:
            flag = next(iter(flags_found))
            if not isinstance(flag, Literal):
                raise Unsupported("sh:flags that is not a literal")
            if flag:
                letters = str(flag.value).lower()
                flags |= (re.I if "i" in letters else 0) | (re.M if "m" in letters else 0)
        compiled = []
        for p in patterns:
            source = str(p.value) if p.value is not None and len(p.value) > 1 else str(p)
            try:
                compiled.append(re.compile(source, flags))
            except re.error as exc:
                raise Unsupported(f"sh:pattern {source!r}: {exc}") from None
        return strings.Pattern(compiled, [str(p.value) for p in patterns])

    def _shape_based(self, shape: CShape, parameter: URIRef) -> c.Component | None:
        g, node = self.graph, shape.node
        if parameter == SH["not"]:
            targets = self.values(shape, parameter)
            return logic.Not([self.shape(t) for t in targets], [self.text(t) for t in targets])
        if parameter in logic.Logical.KINDS:
            lists, texts = [], []
            for lst in self.values(shape, parameter):
                members = [self.shape(m) for m in self.items(lst)]
                if parameter != SH.xone:  # sh:and and sh:or read their list as a set
                    members = list(dict.fromkeys(members))
                lists.append(members)
                texts.append(" , ".join(self.text(m) for m in self.items(lst)))
            return logic.Logical(parameter, lists, texts)
        if parameter == SH.node:
            targets = self.values(shape, parameter)
            return logic.NodeShape([self.shape(t, False) for t in targets],
                                   [self.text(t) for t in targets])
        if parameter == SH.property:
            return logic.Property([self.shape(t, True) for t in self.values(shape, parameter)])
        if parameter in QUALIFIED:
            return self._qualified(shape)
        if parameter in (SH.closed, SH.ignoredProperties):
            closed = self.values(shape, SH.closed)
            if len(closed) != 1 or not isinstance(closed[0], Literal):
                raise Unsupported("sh:closed")
            if not bool(closed[0].value):
                return None
            allowed: set[Node] = set()
            for lst in g.objects(node, SH.ignoredProperties):
                try:
                    allowed.update(self.items(lst))
                except ValueError:
                    continue
            for p in self.values(shape, SH.property):
                allowed.add(self.shape(p, True).path_node)
            return logic.Closed(allowed)
        raise Unsupported(f"the parameter {parameter}")

    def _count(self, shape: CShape, parameter: URIRef) -> int | None:
        counts = set(self.graph.objects(shape.node, parameter))
        if not counts:
            return None
        count = next(iter(counts))
        if len(counts) > 1 or not isinstance(count, Literal) or not isinstance(count.value, int):
            raise Unsupported(f"{parameter}")
        return count.value

    def _qualified(self, shape: CShape) -> c.Component | None:
        if not shape.is_property:
            return None  # pyshacl ignores it on a node shape, with a warning
        g = self.graph
        value_shapes = list(set(g.objects(shape.node, SH.qualifiedValueShape)))
        low = self._count(shape, SH.qualifiedMinCount)
        high = self._count(shape, SH.qualifiedMaxCount)
        if not value_shapes or (low is None and high is None):
            raise Unsupported("sh:qualifiedValueShape without a shape or a count")
        disjoint = any(isinstance(d, Literal) and isinstance(d.value, bool) and d.value
                       for d in g.objects(shape.node, SH.qualifiedValueShapesDisjoint))
        pairs = []
        for v in value_shapes:
            siblings: set[Node] = set()
            if disjoint:
                for parent in g.subjects(SH.property, shape.node):
                    for s in g.objects(parent, SH.property):
                        siblings.update(x for x in g.objects(s, SH.qualifiedValueShape) if x != v)
            pairs.append((self.shape(v), [self.shapes[s] for s in siblings if s in self.shapes]))
        return logic.Qualified(pairs, low, high, disjoint, [self.text(v) for v in value_shapes])


PARAMETERS = frozenset({
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, *c.Range.KINDS,
    SH["not"], SH["and"], SH["or"], SH.xone, SH.minLength, SH.maxLength, SH.pattern,
    SH.languageIn, SH.uniqueLang, *pairs.Pair.KINDS, SH.node, SH.property, *QUALIFIED,
    SH.closed, SH.ignoredProperties, SH.hasValue, SH["in"], SH.sparql, SH.expression,
})
# One component per group: pyshacl builds a component once however many of its parameters
# a shape has.
GROUP = {**{p: SH.qualifiedValueShape for p in QUALIFIED}, SH.ignoredProperties: SH.closed}
