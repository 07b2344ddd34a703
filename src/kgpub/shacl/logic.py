"""Constraint components that validate other shapes (logic, sh:node, sh:property, qualified
counts) and sh:closed, after pyshacl's.

Only sh:property passes the nested results on (they are the property shape's own results); a
failing sh:node reports one result with the nested ones as its sh:detail, which kgpub lists
too; sh:not, sh:and, sh:or, sh:xone and sh:qualifiedValueShape keep only conformance. sh:and
and sh:or read their lists as sets; sh:xone counts a shape listed twice twice (as pyshacl does).
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .components import RDF_TYPE, RDFS_RESOURCE, Component, _fail_each, data_text
from .core import CShape, Result, validate_shape

QUALIFIED_MIN = SH.QualifiedMinCountConstraintComponent
QUALIFIED_MAX = SH.QualifiedMaxCountConstraintComponent


class Not(Component):
    __slots__ = ("shapes", "text")
    iri = SH.NotConstraintComponent

    def __init__(self, shapes: list[CShape], texts: list[str]) -> None:
        self.shapes = shapes
        self.text = (f"must not conform to shape {texts[0]}" if len(texts) == 1
                     else f"must not conform to any shapes in {' , '.join(texts)}")

    def check(self, ctx, shape, focus, values):
        bad = [v for s in self.shapes for v in values if validate_shape(ctx, s, v)[0]]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return f"Node {data_text(ctx, result.value)} {self.text}"


class Logical(Component):
    """sh:and, sh:or or sh:xone: each value node against the members of each list."""

    __slots__ = ("lists", "needs", "iri", "text")
    KINDS = {SH["and"]: (SH.AndConstraintComponent, "all shapes in"),
             SH["or"]: (SH.OrConstraintComponent, "one or more shapes in"),
             SH.xone: (SH.XoneConstraintComponent, "exactly one shape in")}

    def __init__(self, kind: URIRef, lists: list[list[CShape]], texts: list[str]) -> None:
        self.iri, words = self.KINDS[kind]
        self.needs = {SH["and"]: "all", SH["or"]: "any", SH.xone: "one"}[kind]
        self.lists = lists
        listed = texts[0] if len(texts) < 2 else " and ".join(f"({t})" for t in texts)
        self.text = f"must conform to {words} {listed}"

    def _passes(self, ctx, members: list[CShape], v: Node) -> bool:
        if self.needs == "all":
            return all(validate_shape(ctx, s, v)[0] for s in members)
        if self.needs == "any":
            return any(validate_shape(ctx, s, v)[0] for s in members)
        return sum(1 for s in members if validate_shape(ctx, s, v)[0]) == 1

    def check(self, ctx, shape, focus, values):
        bad = [v for members in self.lists if members for v in values
               if not self._passes(ctx, members, v)]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return f"Node {data_text(ctx, result.value)} {self.text}"


class NodeShape(Component):
    __slots__ = ("shapes", "text")
    iri = SH.NodeConstraintComponent

    def __init__(self, shapes: list[CShape], texts: list[str]) -> None:
        self.shapes = shapes
        text = (f"Value does not conform to Shape {texts[0]}." if len(texts) < 2
                else "Value must conform to every Shape in ('{}').".format("', '".join(texts)))
        self.text = text + " See details for more information."

    def check(self, ctx, shape, focus, values):
        found = []
        for s in self.shapes:
            for v in values:
                ok, nested = validate_shape(ctx, s, v)
                if not ok or nested:
                    found.append(Result(shape, self, focus, v, details=tuple(nested)))
        return (False, found) if found else None

    def message(self, ctx, shape, result):
        return self.text


class Property(Component):
    __slots__ = ("shapes",)
    iri = SH.PropertyConstraintComponent

    def __init__(self, shapes: list[CShape]) -> None:
        self.shapes = shapes

    def check(self, ctx, shape, focus, values):
        if not values:
            return None
        ok = True
        found = None
        for s in self.shapes:
            for v in values:
                conforms, nested = validate_shape(ctx, s, v)
                if nested:
                    found = [*found, *nested] if found else list(nested)
                ok = ok and conforms
        return None if ok and not found else (ok, found or [])


class Qualified(Component):
    __slots__ = ("shapes", "siblings", "low", "high", "disjoint", "text")
    iri = QUALIFIED_MIN  # each result names the min or max component

    def __init__(self, shapes: list[tuple[CShape, list[CShape]]], low: int | None,
                 high: int | None, disjoint: bool, texts: list[str]) -> None:
        self.shapes = shapes  # each value shape with its sibling shapes
        self.low, self.high, self.disjoint = low, high, disjoint
        counts = (f" MinCount {low}" if low is not None else "") + (
            f" MaxCount {high}" if high is not None else "")
        joined = ",".join(texts)
        self.text = (f"Focus node does not conform to shapes{counts}: ({joined})"
                     if len(texts) > 1
                     else f"Focus node does not conform to shape{counts}: {joined}")

    def check(self, ctx, shape, focus, values):
        if not self.disjoint and not values and (self.low is None or self.low < 1):
            return None
        found = []
        for s, siblings in self.shapes:
            n = 0
            for v in values:
                if validate_shape(ctx, s, v)[0] and not any(
                        validate_shape(ctx, sib, v)[0] for sib in siblings):
                    n += 1
            if self.high is not None and n > self.high:
                found.append(Result(shape, self, focus, iri=QUALIFIED_MAX))
            if self.low is not None and n < self.low:
                found.append(Result(shape, self, focus, iri=QUALIFIED_MIN))
        return (False, found) if found else None

    def message(self, ctx, shape, result):
        return self.text


class Closed(Component):
    __slots__ = ("allowed",)
    iri = SH.ClosedConstraintComponent

    def __init__(self, allowed: set[Node]) -> None:
        self.allowed = allowed  # the paths of the property shapes and sh:ignoredProperties

    def check(self, ctx, shape, focus, values):
        found = []
        allowed = self.allowed
        for v in values:
            for p, objects in ctx.data.outgoing(v).items():
                if p in allowed:
                    continue
                for o in objects:
                    if p == RDF_TYPE and o == RDFS_RESOURCE:
                        continue
                    found.append(Result(shape, self, focus, o, path=p))
        return (False, found) if found else None

    def message(self, ctx, shape, result):
        return (f"Node {data_text(ctx, result.focus)} is closed. It cannot have value: "
                f"{data_text(ctx, result.value)}")
