"""Compiled shapes, validation results and the evaluation of one shape on one focus node.

Conformance follows pyshacl as kgpub runs it (allow_warnings=True): a shape whose severity is
sh:Warning or sh:Info always conforms (though it still reports), and a constraint only makes its
shape fail through a result of another severity. The SHACL spec ignores severities when it
checks conformance inside sh:or, sh:not, sh:node ...; pyshacl does not, and neither does this.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import TYPE_CHECKING

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SH, NamespaceManager
from rdflib.term import Node

from .index import EMPTY, Data

if TYPE_CHECKING:
    from .components import Component

ALLOWED_SEVERITIES = frozenset({SH.Info, SH.Warning})
RDF_TYPE, SUBCLASS_OF = RDF.type, RDFS.subClassOf
NO_RESULTS: tuple = ()
SHAPE_PATH = object()  # a result's path is its shape's sh:path


class RuntimeFallback(Exception):
    """The data makes pyshacl raise (e.g. sh:lessThan on a blank node): let pyshacl say so."""


class CShape:
    """One shape, its parameters read once; `components` are its constraint components."""

    __slots__ = ("node", "is_property", "path_node", "predicate", "path", "deactivated",
                 "severity", "allowed", "message", "text", "path_text", "path_string",
                 "components", "targets")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.is_property = False
        self.path_node: Node | None = None
        self.predicate: Node | None = None  # the path, when it is a plain predicate
        self.path: Callable[[Data, Node], Set[Node]] | None = None
        self.deactivated = False
        self.severity: Node = SH.Violation
        self.allowed = False
        self.message: str | None = None
        self.text = ""  # how kgpub names the shape in a report
        self.path_text: str | None = None  # the path as kgpub reports it
        self.path_string = ""  # the path as pyshacl writes it in its default messages
        self.components: list[Component] = []
        self.targets: Targets | None = None

    def __repr__(self) -> str:
        return f"<CShape {self.text}>"


class Targets:
    __slots__ = ("classes", "nodes", "subjects_of", "objects_of")

    def __init__(self, classes: list[Node], nodes: list[Node], subjects_of: list[Node],
                 objects_of: list[Node]) -> None:
        self.classes = classes
        self.nodes = nodes
        self.subjects_of = subjects_of
        self.objects_of = objects_of


class Result:
    """A validation result; its text (message, curies) is only written if it is reported."""

    __slots__ = ("shape", "component", "focus", "value", "path", "iri", "details")

    def __init__(self, shape: CShape, component: Component, focus: Node,
                 value: Node | None = None, path: object = SHAPE_PATH,
                 iri: Node | None = None, details: tuple = NO_RESULTS) -> None:
        self.shape = shape
        self.component = component
        self.focus = focus
        self.value = value
        self.path = path
        self.iri = iri  # the constraint component, when not the component's own
        self.details = details


class Context:
    """One validation run: the data, and what is learnt about its classes on the way."""

    __slots__ = ("data", "nm", "_supers", "_instances", "memo")

    def __init__(self, data: Data, nm: Callable[[], NamespaceManager]) -> None:
        self.data = data
        self.nm = nm  # the data graph's prefixes, for default messages (made on demand)
        self._supers: dict[Node, Set[Node]] = {}
        self._instances: dict[tuple[Node, Node], bool] = {}
        self.memo: dict[tuple[int, Node], tuple[bool, list | tuple]] = {}

    def superclasses(self, cls: Node) -> Set[Node]:
        """`cls` and everything it is an rdfs:subClassOf*, in the data graph."""
        found = self._supers.get(cls)
        if found is None:
            objects = self.data.objects
            found = {cls}
            todo = [cls]
            while todo:
                for parent in objects(todo.pop(), SUBCLASS_OF):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._supers[cls] = found
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        if isinstance(node, Literal):
            return False
        key = (node, cls)
        found = self._instances.get(key)
        if found is None:
            found = self._instances[key] = any(
                cls in self.superclasses(t) for t in self.data.objects(node, RDF_TYPE))
        return found


def values_of(ctx: Context, shape: CShape, focus: Node) -> Set[Node] | tuple:
    if shape.predicate is not None:
        return ctx.data.objects(focus, shape.predicate)
    if shape.path is not None:
        return shape.path(ctx.data, focus)
    return (focus,)


def validate_shape(ctx: Context, shape: CShape, focus: Node) -> tuple[bool, list | tuple]:
    """(conforms, results) of `focus` against `shape`, as pyshacl's Shape.validate(focus=...);
    remembered for the run (a shape reached through sh:node, sh:or ... from many nodes)."""
    if shape.deactivated:
        return True, NO_RESULTS
    key = (id(shape), focus)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = _validate(ctx, shape, focus)
    return found


def _validate(ctx: Context, shape: CShape, focus: Node) -> tuple[bool, list | tuple]:
    if shape.predicate is not None:
        values = ctx.data.objects(focus, shape.predicate)
    elif shape.path is not None:
        values = shape.path(ctx.data, focus)
    else:
        values = (focus,)
    results = None
    conforms = True
    for component in shape.components:
        outcome = component.check(ctx, shape, focus, values)
        if outcome is None:
            continue
        ok, found = outcome
        if found:
            if results is None:
                results = list(found)
            else:
                results.extend(found)
            if not ok and conforms and not shape.allowed:
                conforms = all(r.shape.allowed for r in found)
    return conforms, results or NO_RESULTS


def conforms(ctx: Context, shape: CShape, focus: Node) -> bool:
    return validate_shape(ctx, shape, focus)[0]


__all__ = ["ALLOWED_SEVERITIES", "EMPTY", "NO_RESULTS", "SHAPE_PATH", "CShape", "Context",
           "Result", "RuntimeFallback", "Targets", "conforms", "validate_shape", "values_of"]
