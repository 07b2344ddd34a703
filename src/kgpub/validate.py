"""The SHACL gate: validate a graph against the shapes and report each violation readably.

Only this module imports pyshacl (when a graph is validated with it). The data graph is the
union of every named graph, so a shape sees an entity's type (entities graph) together with the
facts about it (article graphs).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from . import sparql_constraints
from .errors import UnreadableInput
from .rdfio import parse_file, quads_to_graph, to_ox_term
from .shacl.report import SEVERITY_ORDER, Violation, sort_key, violations_from_report
from .shacl.report import curie as _curie
from .shacl.report import shape_text as _shape_text
from .sparql_text import service_calls, tokens

__all__ = ["SEVERITY_ORDER", "PreparedShapes", "Report", "Violation", "load_shapes",
           "merge_reports", "prepare_shapes", "validate_files", "validate_graph"]


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]
    graph: Graph

    def text(self) -> str:
        if self.conforms:
            return "conforms: no violations"
        lines = [f"{len(self.violations)} result(s):"]
        for v in self.violations:
            lines += v.lines()
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "violations": [asdict(v) for v in self.violations]},
            indent=2, ensure_ascii=False,
        )

    def turtle(self) -> str:
        return self.graph.serialize(format="turtle")


Shapes = Path | Sequence[Path]
"""A shapes file, a directory of them, or a list of files (a project's, see Project)."""


def shape_files(shapes: Shapes) -> list[Path]:
    """A shapes file itself, every *.ttl file of a shapes directory, or the files given."""
    if not isinstance(shapes, (str, Path)):
        return [Path(f) for f in shapes]
    shapes = Path(shapes)
    return sorted(shapes.glob("*.ttl")) if shapes.is_dir() else [shapes]


def load_shapes(shapes: Shapes) -> Graph:
    """A file, every *.ttl file of a directory, or the files given, as one shapes graph."""
    files = shape_files(shapes)
    if not files:
        raise UnreadableInput(f"{shapes}: no shapes (*.ttl) found")
    graph = Graph()
    for f in files:
        for triple in quads_to_graph(parse_file(f), source=f):
            graph.add(triple)
    return graph




def refuse_remote_queries(shapes: Graph) -> None:
    """Refuse SHACL-SPARQL that calls SERVICE: a shapes file must never make kgpub go online.

    SHACL forbids SERVICE in its queries; pyshacl enforces that, but the constraints run in
    Oxigraph (sparql_constraints) would call the endpoint. The scan is the endpoint gate's
    (sparql_text): keywords in strings, IRIs and comments do not count, escapes do.
    """
    for predicate in (SH.select, SH.ask, SH.construct, SH.update):
        for owner, text in shapes.subject_objects(predicate):
            if next(service_calls(tokens(str(text))), None) is not None:
                shape = shapes.value(None, SH.sparql, owner) or owner
                raise UnreadableInput(
                    f"shape {_shape_text(shapes, shape)}: its SHACL-SPARQL {_curie(predicate)} "
                    "calls SERVICE; SHACL forbids federated queries and kgpub never contacts "
                    "other endpoints while validating: remove the SERVICE clause"
                )


def _malformed(query: str) -> bool:
    """Whether Oxigraph refuses `query` (run on an empty store: only to name the culprit)."""
    try:
        ox.Store().query(query)
    except SyntaxError:
        return True
    return False


@dataclass
class PreparedShapes:
    """Shapes checked once (no SERVICE) and split once, for validating many graphs."""

    shapes: Graph
    core: Graph
    fast: list[sparql_constraints.FastConstraint]


def prepare_shapes(shapes: Graph) -> PreparedShapes:
    refuse_remote_queries(shapes)
    core_shapes, fast = sparql_constraints.split(shapes)
    return PreparedShapes(shapes, core_shapes, fast)


def validate_graph(data: Graph, shapes: Graph | PreparedShapes,
                   focus: Iterable[Node] | None = None) -> Report:
    """pyshacl for the core constraints; node-shape SPARQL constraints run once each in Oxigraph.

    With `focus`, only those nodes are validated (what one article describes; the rest of
    `data` is what it refers to)."""
    prepared = shapes if isinstance(shapes, PreparedShapes) else prepare_shapes(shapes)
    shapes, core_shapes, fast = prepared.shapes, prepared.core, prepared.fast
    focus_nodes = None if focus is None else set(focus)
    extra = {} if focus_nodes is None else {"focus_nodes": sorted(focus_nodes, key=str)}
    # imported here: a tenth of a second that a build whose articles the compiled shapes
    # check (builder/, source_validation.py) never needs
    from pyshacl import validate as shacl_validate
    from pyshacl.errors import ReportableRuntimeError
    try:
        conforms, report_graph, _ = shacl_validate(
            data, shacl_graph=core_shapes, inference="none", advanced=True,
            allow_warnings=True, abort_on_first=False, meta_shacl=False, **extra,
        )
    except (ReportableRuntimeError, ParseBaseException) as exc:
        raise UnreadableInput(f"the SHACL shapes cannot be applied: {exc}") from None
    if not isinstance(report_graph, Graph):  # pyshacl returns a ValidationFailure, not raises
        raise UnreadableInput(f"the SHACL shapes cannot be applied: {report_graph}")
    if fast:
        store = ox.Store()
        store.extend(ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in data)
        try:
            sparql_constraints.evaluate(store, fast, report_graph)
        except SyntaxError as exc:
            culprit = next((c.shape for c in fast if _malformed(c.query)), None)
            raise UnreadableInput(
                f"the SHACL shapes cannot be applied: the SPARQL constraint of shape "
                f"{_curie(culprit) or '?'} is malformed: {exc.msg.splitlines()[0][:300]}"
            ) from None
        except (OSError, RuntimeError) as exc:
            raise UnreadableInput(
                f"the SHACL shapes cannot be applied: a SPARQL constraint failed: {exc}"
            ) from None
        if focus_nodes is not None:
            _keep_focus(report_graph, focus_nodes)
        conforms = (None, SH.conforms, Literal(False)) not in report_graph and bool(conforms)
    return report_from_graph(bool(conforms), report_graph, shapes)


def _keep_focus(report: Graph, focus: set[Node]) -> None:
    """Drop the SPARQL constraints' results about nodes outside `focus` (validated elsewhere)."""
    for result in list(report.subjects(RDF.type, SH.ValidationResult)):
        if report.value(result, SH.focusNode) not in focus:
            for triple in list(report.triples((result, None, None))):
                report.remove(triple)
            for triple in list(report.triples((None, SH.result, result))):
                report.remove(triple)


def report_from_graph(conforms: bool, report_graph: Graph, shapes: Graph) -> Report:
    """A SHACL validation report graph as kgpub's Report (violations sorted)."""
    violations = violations_from_report(report_graph, shapes)
    violations.sort(key=sort_key)
    return Report(bool(conforms), violations, report_graph)


def merge_reports(reports: list[Report]) -> Report:
    """One report of several validation runs; a result found by several runs is listed once."""
    graph = Graph()
    violations: dict[Violation, None] = {}
    for report in reports:
        for triple in report.graph:
            graph.add(triple)
        violations.update(dict.fromkeys(report.violations))
    ordered = sorted(violations, key=sort_key)
    return Report(all(r.conforms for r in reports), ordered, graph)


def validate_files(files: Iterable[Path], shapes: Shapes,
                   background: Iterable[Path] = ()) -> Report:
    """Validate anyone's RDF files (any format pyoxigraph reads) as one merged graph.

    `background` files (kgpub's ontology and SKOS schemes) are merged in too, so third-party
    data can name stance types and rely on rdfs:subClassOf for sh:class without copying them.
    """
    data = Graph()
    for f in [*files, *background]:
        for triple in quads_to_graph(parse_file(Path(f)), source=Path(f)):
            data.add(triple)
    return validate_graph(data, load_shapes(shapes))
