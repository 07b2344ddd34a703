"""The SHACL gate: validate a graph against the shapes and report each violation readably.

Only this module imports pyshacl. The data graph is the union of every named graph, so a shape
sees an entity's type (entities graph) together with the facts about it (article graphs).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox
from pyparsing import ParseBaseException
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from . import sparql_constraints
from .errors import UnreadableInput
from .namespaces import PREFIXES
from .rdfio import parse_file, quads_to_graph, to_ox_term
from .sparql_text import service_calls, tokens

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str
    constraint: str


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
            lines.append(f"- [{v.severity}] {v.focus}")
            if v.path:
                lines.append(f"    path:       {v.path}")
            if v.value is not None:
                lines.append(f"    value:      {v.value}")
            lines.append(f"    message:    {v.message}")
            lines.append(f"    shape:      {v.shape}")
            lines.append(f"    constraint: {v.constraint}")
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "violations": [asdict(v) for v in self.violations]},
            indent=2, ensure_ascii=False,
        )

    def turtle(self) -> str:
        return self.graph.serialize(format="turtle")


def _curie(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
            if text.startswith(str(ns)) and text != str(ns):
                local = text[len(str(ns)):]
                if all(c.isalnum() or c in "_-" for c in local):
                    return f"{prefix}:{local}"
        return f"<{text}>"
    if isinstance(node, Literal):
        if node.language:
            return node.n3()
        lexical = '"' + str(node).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if node.datatype is None or str(node.datatype).endswith("#string"):
            return lexical
        return f"{lexical}^^{_curie(node.datatype)}"
    return f"_:{node}"  # a blank node, e.g. a path expression or an anonymous shape


def _path_text(report: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return _curie(node)
    inverse = report.value(node, SH.inversePath)
    if inverse is not None:
        return f"^{_path_text(report, inverse)}"
    items = list(report.items(node)) if (node, RDF.first, None) in report else []
    if items:
        return "/".join(_path_text(report, i) or "?" for i in items)
    return _curie(node)


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


def _shape_text(shapes: Graph, shape: Node | None) -> str:
    """Anonymous property shapes are shown as their node shape plus the path."""
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        path = _path_text(shapes, shapes.value(shape, SH.path))
        if parent is not None:
            return f"{_curie(parent)} (property {path})"
    return _curie(shape) or "?"


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


def validate_graph(data: Graph, shapes: Graph | PreparedShapes) -> Report:
    """pyshacl for the core constraints; node-shape SPARQL constraints run once each in Oxigraph."""
    prepared = shapes if isinstance(shapes, PreparedShapes) else prepare_shapes(shapes)
    shapes, core_shapes, fast = prepared.shapes, prepared.core, prepared.fast
    try:
        conforms, report_graph, _ = shacl_validate(
            data, shacl_graph=core_shapes, inference="none", advanced=True,
            allow_warnings=True, abort_on_first=False, meta_shacl=False,
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
        conforms = (None, SH.conforms, Literal(False)) not in report_graph and bool(conforms)
    return report_from_graph(bool(conforms), report_graph, shapes)


def report_from_graph(conforms: bool, report_graph: Graph, shapes: Graph) -> Report:
    """A SHACL validation report graph as kgpub's Report (violations sorted)."""
    violations = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        sev = report_graph.value(result, SH.resultSeverity)
        message = report_graph.value(result, SH.resultMessage)
        violations.append(
            Violation(
                focus=_curie(report_graph.value(result, SH.focusNode)) or "?",
                path=_path_text(report_graph, report_graph.value(result, SH.resultPath)),
                value=_curie(report_graph.value(result, SH.value)),
                message=str(message) if message is not None else "(no message)",
                severity=str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation",
                shape=_shape_text(shapes, report_graph.value(result, SH.sourceShape)),
                constraint=_curie(report_graph.value(result, SH.sourceConstraintComponent))
                or "?",
            )
        )
    violations.sort(key=lambda v: (SEVERITY_ORDER.get(v.severity, 3), v.focus, v.path or "",
                                   v.message))
    return Report(bool(conforms), violations, report_graph)


def merge_reports(reports: list[Report]) -> Report:
    """One report of several validation runs; a result found by several runs is listed once."""
    graph = Graph()
    violations: dict[Violation, None] = {}
    for report in reports:
        for triple in report.graph:
            graph.add(triple)
        violations.update(dict.fromkeys(report.violations))
    ordered = sorted(violations, key=lambda v: (SEVERITY_ORDER.get(v.severity, 3), v.focus,
                                                v.path or "", v.message))
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
