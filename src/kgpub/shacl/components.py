"""SHACL Core constraint components on values: type, node kind, cardinality, range, sets.

Each check follows pyshacl's component of the same name (pyshacl/constraints/core/), including
its readings of the spec: sh:datatype trusts rdflib's ill_typed flag and checks the Python
value only for the datatypes pyshacl knows; sh:minCount 0 never fails; sh:hasValue reports no
sh:value. `check` returns None when nothing is wrong, else (conforms, results). Default
messages are pyshacl's, written only when a result is reported. String and property-pair
components are in strings.py and pairs.py.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from .core import Context, CShape, Result
from .stringify import stringify

# Which Python classes of terms match each sh:nodeKind (an IRI is any other Identifier).
_NODE_KINDS = {
    SH.BlankNode: (BNode,), SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.BlankNodeOrIRI: (BNode, URIRef), SH.Literal: (Literal,), SH.IRIOrLiteral: (Literal, URIRef),
    SH.IRI: (URIRef,),
}
_PYTHON_TYPES = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
                 XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: dt.date,
                 XSD.time: dt.time, XSD.dateTime: dt.datetime}
LITERAL, DATATYPE, STRING, LANG_STRING = RDFS.Literal, RDFS.Datatype, XSD.string, RDF.langString
RDF_TYPE, RDFS_RESOURCE = RDF.type, RDFS.Resource
_same = str.__eq__  # rdflib's == on terms is a Python method; the IRIs are compared as text


def data_text(ctx: Context, node: Node) -> str:
    try:
        return stringify(ctx.data, node, ctx.nm())
    except (LookupError, ValueError):
        return str(node)


class Component:
    """A constraint component of one shape: its parameters and pyshacl's default message."""

    __slots__ = ()
    iri: URIRef = SH.ConstraintComponent

    def check(self, ctx: Context, shape: CShape, focus: Node, values: Iterable[Node]):
        raise NotImplementedError

    def message(self, ctx: Context, shape: CShape, result: Result) -> str | None:
        return None


def _fail_each(component: Component, shape: CShape, focus: Node, bad: list[Node]):
    return False, [Result(shape, component, focus, v) for v in bad]


class Class(Component):
    __slots__ = ("classes", "text")
    iri = SH.ClassConstraintComponent

    def __init__(self, classes: list[Node], texts: list[str]) -> None:
        self.classes = classes
        self.text = (f"Value does not have class {texts[0]}" if len(texts) < 2
                     else f"Value class is not in classes ({', '.join(texts)})")

    def check(self, ctx, shape, focus, values):
        bad = [v for c in self.classes for v in values if not ctx.is_instance(v, c)]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return self.text


def datatype_matches(v: Node, datatype: URIRef, python: type | tuple | None = None) -> bool:
    """pyshacl's DatatypeConstraintComponent on one value; `python` is the Python class the
    value must have (None: any), _PYTHON_TYPES.get(datatype)."""
    if type(v) is not Literal and not isinstance(v, Literal):
        return False
    own = v.datatype
    if own is not None and type(own) is type(datatype) and _same(own, datatype):
        if getattr(v, "ill_typed", None) is True:
            return False
    elif datatype == LITERAL or (own and datatype == DATATYPE):
        return True
    elif not ((own is None and v.language is None and datatype == STRING)
              or (v.language and datatype == LANG_STRING)):
        return False
    return python is None or isinstance(v.value, python)


class Datatype(Component):
    __slots__ = ("datatype", "python", "text")
    iri = SH.DatatypeConstraintComponent

    def __init__(self, datatype: Node, text: str) -> None:
        self.datatype = datatype
        self.python = _PYTHON_TYPES.get(datatype)
        self.text = f"Value is not Literal with datatype {text}"

    def check(self, ctx, shape, focus, values):
        datatype, python = self.datatype, self.python
        bad = [v for v in values if not datatype_matches(v, datatype, python)]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return self.text


class NodeKind(Component):
    __slots__ = ("classes", "text")
    iri = SH.NodeKindConstraintComponent

    def __init__(self, kind: Node, text: str) -> None:
        self.classes = _NODE_KINDS.get(kind, ())
        self.text = f"Value is not of Node Kind {text}"

    def check(self, ctx, shape, focus, values):
        classes = self.classes
        bad = [v for v in values if not isinstance(v, classes)]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return self.text


class Count(Component):
    """sh:minCount or sh:maxCount (`at_least`)."""

    __slots__ = ("count", "at_least", "iri")

    def __init__(self, count: Literal, at_least: bool) -> None:
        self.count = count
        self.at_least = at_least
        self.iri = SH.MinCountConstraintComponent if at_least else SH.MaxCountConstraintComponent

    def check(self, ctx, shape, focus, values):
        n = int(self.count.value)
        if (len(values) < n) if self.at_least else (len(values) > n):
            return False, [Result(shape, self, focus)]
        return None

    def message(self, ctx, shape, result):
        word = "Less" if self.at_least else "More"
        return (f"{word} than {self.count.value} values on "
                f"{data_text(ctx, result.focus)}->{shape.path_string}")


def compare_literal(l1: Literal, l2: Literal) -> int:
    """pyshacl's rdfutil.compare.compare_literal: rdflib's value order, -1/0/1."""
    if l1.eq(l2):
        return 0
    if l1.value.__class__ in (dt.datetime, dt.time):
        if l1.value == l2.value:
            return 0
        if l1.value > l2.value:
            return 1
    elif l1 > l2:
        return 1
    return -1


class Range(Component):
    """sh:minExclusive, sh:minInclusive, sh:maxExclusive or sh:maxInclusive."""

    __slots__ = ("bounds", "accept", "iri", "text")
    KINDS = {SH.minExclusive: (SH.MinExclusiveConstraintComponent, ">", operator.gt),
             SH.minInclusive: (SH.MinInclusiveConstraintComponent, ">=", operator.ge),
             SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, "<", operator.lt),
             SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, "<=", operator.le)}

    def __init__(self, parameter: URIRef, bounds: list[Literal], texts: list[str]) -> None:
        self.iri, op, self.accept = self.KINDS[parameter]
        self.bounds = bounds
        self.text = (f"Value is not {op} {texts[0]}" if len(texts) < 2
                     else f"Value is not {op} in ({', '.join(texts)})")

    def _passes(self, v: Node, bound: Literal) -> bool:
        if not isinstance(v, Literal):
            return False
        if isinstance(bound.value, str) != isinstance(v.value, str):
            return False
        try:
            return self.accept(compare_literal(v, bound), 0)
        except (TypeError, NotImplementedError):
            return False

    def check(self, ctx, shape, focus, values):
        bad = [v for b in self.bounds for v in values if not self._passes(v, b)]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return self.text


class In(Component):
    __slots__ = ("members", "texts")
    iri = SH.InConstraintComponent

    def __init__(self, members: set[Node], texts: list[str]) -> None:
        self.members = members
        self.texts = texts  # in the order of the set, as pyshacl lists them

    def check(self, ctx, shape, focus, values):
        members = self.members
        bad = [v for v in values if v not in members]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return f"Value {data_text(ctx, result.value)} not in list {self.texts}"


class HasValue(Component):
    __slots__ = ("wanted", "texts")
    iri = SH.HasValueConstraintComponent

    def __init__(self, wanted: list[Node], texts: list[str]) -> None:
        self.wanted = wanted
        self.texts = texts

    def check(self, ctx, shape, focus, values):
        missing = [Result(shape, self, focus) for w in self.wanted if w not in values]
        return (False, missing) if missing else None

    def message(self, ctx, shape, result):
        focus = data_text(ctx, result.focus)
        if shape.is_property:
            return (f"Node {focus}->{shape.path_string} does not contain a value in the set: "
                    f"{self.texts}")
        return f"Node {focus} value is not a in the set of values: {self.texts}"
