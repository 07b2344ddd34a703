"""CompiledShapes: validate an index of triples, optionally only some focus nodes.

The results are those kgpub.validate.validate_graph reports with pyshacl (same focus, path,
value, message, severity, shape and constraint texts, as a set). Node-shape SHACL-SPARQL
constraints run in Oxigraph through sparql_constraints, as validate_graph runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from .. import sparql_constraints
from ..rdfio import to_ox_term
from .core import SHAPE_PATH, Context, CShape, Result, RuntimeFallback, validate_shape
from .index import Data
from .report import Violation, curie, sort_key, violations_from_report
from .stringify import namespace_manager


@lru_cache(maxsize=1)
def _default_namespaces() -> NamespaceManager:
    return namespace_manager()


def _ordered(violations: Iterable[Violation]) -> list[Violation]:
    return sorted(set(violations), key=lambda v: (*sort_key(v), v.shape, v.constraint,
                                                  v.value or ""))


class Outcome:
    """What a validation run found, and whether the data conforms (as pyshacl decides)."""

    __slots__ = ("conforms", "violations")

    def __init__(self, conforms: bool, violations: list[Violation]) -> None:
        self.conforms = conforms
        self.violations = violations


class CompiledShapes:
    """Shapes read once; `validate` is then cheap and can run in worker processes (pickled)."""

    def __init__(self, targeted: list[CShape],
                 fast: list[sparql_constraints.FastConstraint]) -> None:
        self.targeted = targeted
        self.fast = fast
        self.by_class: dict[Node, list[CShape]] = {}
        for shape in targeted:
            for cls in dict.fromkeys(shape.targets.classes):
                self.by_class.setdefault(cls, []).append(shape)

    # ------------------------------------------------------------------ entry points

    def validate(self, data: Data, focus: Collection[Node] | None = None,
                 store: ox.Store | None = None,
                 namespaces: Iterable[tuple[str, Node]] | None = None) -> list[Violation]:
        """The violations of `data`; with `focus`, only of those focus nodes.

        `store` holds the same triples for the SHACL-SPARQL constraints (made from `data` when
        needed and not given). `namespaces` are the data graph's prefixes, which pyshacl uses in
        its default messages (default: those of a new rdflib Graph).
        """
        return self.run(data, focus, store, namespaces).violations

    def run(self, data: Data, focus: Collection[Node] | None = None,
            store: ox.Store | None = None,
            namespaces: Iterable[tuple[str, Node]] | None = None,
            details: bool = True) -> Outcome:
        """`validate`, and whether the data conforms; `details=False` leaves out the nested
        results of sh:node (pyshacl's sh:detail), which kgpub lists with the others."""
        ctx = Context(data, self._namespaces(namespaces))
        conforms = True
        results: list[Result] = []
        for shape, nodes in self.focus_nodes(ctx, focus).items():
            for node in nodes:
                ok, found = validate_shape(ctx, shape, node)
                conforms = conforms and ok
                results.extend(found)
        violations = [self._violation(ctx, r)
                      for r in (_flatten(results) if details else results)]
        if self.fast:
            sparql_ok, more = self.sparql(data, focus, store)
            conforms = conforms and sparql_ok
            violations += more
        return Outcome(conforms, _ordered(violations))

    # ------------------------------------------------------------------ parts

    @staticmethod
    def _namespaces(namespaces: Iterable[tuple[str, Node]] | None
                    ) -> Callable[[], NamespaceManager]:
        if namespaces is None:
            return _default_namespaces
        bindings = list(namespaces)
        made: list[NamespaceManager] = []

        def nm() -> NamespaceManager:
            if not made:
                made.append(namespace_manager(bindings))
            return made[0]
        return nm

    def focus_nodes(self, ctx: Context, focus: Collection[Node] | None
                    ) -> dict[CShape, set[Node]]:
        """The focus nodes of each targeted shape (pyshacl's Shape.focus_nodes)."""
        data = ctx.data
        out: dict[CShape, set[Node]] = {}
        if self.by_class:
            for node in (data.all_subjects() if focus is None else focus):
                for t in data.types(node):
                    for cls in ctx.superclasses(t):
                        for shape in self.by_class.get(cls, ()):
                            out.setdefault(shape, set()).add(node)
        for shape in self.targeted:
            t = shape.targets
            found: set[Node] = set(t.nodes)
            for p in t.subjects_of:
                found.update(data.subjects_of(p))
            for p in t.objects_of:
                found.update(data.objects_of(p))
            if focus is not None:
                found.intersection_update(focus)
            if found:
                out.setdefault(shape, set()).update(found)
        return out

    def _violation(self, ctx: Context, r: Result) -> Violation:
        shape = r.shape
        if r.path is SHAPE_PATH:
            path = shape.path_text
        else:
            path = curie(r.path) if r.path is not None else None
        message = shape.message
        if message is None:
            message = r.component.message(ctx, shape, r) or "(no message)"
        return Violation(
            focus=curie(r.focus) or "?", path=path,
            value=curie(r.value) if r.value is not None else None, message=message,
            severity=str(shape.severity).rsplit("#", 1)[-1], shape=shape.text,
            constraint=curie(r.iri or r.component.iri) or "?",
        )

    def sparql(self, data: Data, focus: Collection[Node] | None,
               store: ox.Store | None) -> tuple[bool, list[Violation]]:
        """The node-shape SPARQL constraints, once each over the whole store, in Oxigraph."""
        if store is None:
            store = ox.Store()
            store.extend(ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o))
                         for s, p, o in data.triples())
        report = Graph()
        node = BNode()
        report.add((node, RDF.type, SH.ValidationReport))
        try:
            sparql_constraints.evaluate(store, self.fast, report)
        except (SyntaxError, OSError, RuntimeError) as exc:
            raise RuntimeFallback(f"a SPARQL constraint failed: {exc}") from exc
        if focus is not None:
            for result in list(report.subjects(RDF.type, SH.ValidationResult)):
                if report.value(result, SH.focusNode) not in focus:
                    report.remove((result, None, None))
        conforms = not any(report.value(r, SH.resultSeverity) == SH.Violation
                           for r in report.subjects(RDF.type, SH.ValidationResult))
        return conforms, violations_from_report(report, Graph())


def _flatten(results: Iterable[Result]) -> Iterator[Result]:
    for r in results:
        yield r
        if r.details:
            yield from _flatten(r.details)


__all__ = ["CompiledShapes", "Outcome"]
