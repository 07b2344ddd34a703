"""SHACL Core property-pair components: sh:equals, sh:disjoint, sh:lessThan,
sh:lessThanOrEquals, after pyshacl's (pyshacl/constraints/core/property_pair_constraints.py):
values of different kinds (a string against a number) are "not less", and a blank node makes
pyshacl raise, so it makes the run fall back to pyshacl.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .components import Component, _fail_each, data_text
from .core import RuntimeFallback


class Pair(Component):
    """sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals against other predicates."""

    __slots__ = ("kind", "predicates", "text", "iri", "mode")
    KINDS = {SH.equals: (SH.EqualsConstraintComponent, "!="),
             SH.disjoint: (SH.DisjointConstraintComponent, "=="),
             SH.lessThan: (SH.LessThanConstraintComponent, "<="),
             SH.lessThanOrEquals: (SH.LessThanOrEqualsConstraintComponent, "<")}

    def __init__(self, kind: URIRef, predicates: list[Node], text: str) -> None:
        self.kind = kind
        self.iri, self.text = self.KINDS[kind][0], f"{{}}->{text} {self.KINDS[kind][1]} {{}}"
        self.predicates = predicates
        self.mode = list(self.KINDS).index(kind)

    def check(self, ctx, shape, focus, values):
        bad: list[Node] = []
        for p in self.predicates:
            other = ctx.data.objects(focus, p)
            if self.mode == 0:
                bad += [v for v in values if v not in other]
                bad += [o for o in other if o not in values]
            elif self.mode == 1:
                bad += [v for v in values if v in other]
            else:
                bad += _not_less(values, other, self.mode == 3)
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return "Value of " + self.text.format(data_text(ctx, result.focus),
                                              data_text(ctx, result.value))


def _comparable(node: Node) -> tuple[object, bool]:
    if isinstance(node, BNode):
        raise RuntimeFallback("sh:lessThan on a blank node")  # pyshacl raises
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False


def _not_less(values: Iterable[Node], others: Iterable[Node], or_equal: bool) -> list[Node]:
    bad = []
    for v in values:
        a, a_text = _comparable(v)
        for o in others:
            b, b_text = _comparable(o)
            if a_text != b_text or not (a <= b if or_equal else a < b):
                bad.append(v)
    return bad
