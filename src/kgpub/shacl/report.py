"""A validation result as kgpub reports it, and the text forms of its terms.

Shared by the pyshacl gate (kgpub.validate) and the compiled evaluator, so that both report a
violation in exactly the same words. Imports neither pyshacl nor the evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..namespaces import PREFIXES

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_PREFIXES_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1])))


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str
    constraint: str

    def lines(self) -> list[str]:
        """The result as a person reads it: severity and focus node, then one field a line."""
        out = [f"- [{self.severity}] {self.focus}"]
        if self.path:
            out.append(f"    path:       {self.path}")
        if self.value is not None:
            out.append(f"    value:      {self.value}")
        out += [f"    message:    {self.message}", f"    shape:      {self.shape}",
                f"    constraint: {self.constraint}"]
        return out


def sort_key(v: Violation) -> tuple:
    return (SEVERITY_ORDER.get(v.severity, 3), v.focus, v.path or "", v.message)


def curie(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, ns in _PREFIXES_LONGEST_FIRST:
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
        return f"{lexical}^^{curie(node.datatype)}"
    return f"_:{node}"  # a blank node, e.g. a path expression or an anonymous shape


def path_text(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return curie(node)
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return f"^{path_text(graph, inverse)}"
    items = list(graph.items(node)) if (node, RDF.first, None) in graph else []
    if items:
        return "/".join(path_text(graph, i) or "?" for i in items)
    return curie(node)


def result_path_text(shapes: Graph, node: Node | None) -> str | None:
    """`path_text` of a shape's sh:path as it reads in pyshacl's report, where the path is a
    copy that keeps only the list of a node that has rdf:first (and anything else otherwise)."""
    if isinstance(node, BNode) and (node, RDF.first, None) in shapes:
        return "/".join(result_path_text(shapes, i) or "?" for i in shapes.items(node))
    if isinstance(node, BNode):
        inverse = shapes.value(node, SH.inversePath)
        if inverse is not None:
            return f"^{result_path_text(shapes, inverse)}"
    return path_text(shapes, node)


def shape_text(shapes: Graph, shape: Node | None) -> str:
    """Anonymous property shapes are shown as their node shape plus the path."""
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        path = path_text(shapes, shapes.value(shape, SH.path))
        if parent is not None:
            return f"{curie(parent)} (property {path})"
    return curie(shape) or "?"


def violations_from_report(report: Graph, shapes: Graph) -> list[Violation]:
    """Every sh:ValidationResult of a SHACL report graph (nested sh:detail results too)."""
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        sev = report.value(result, SH.resultSeverity)
        message = report.value(result, SH.resultMessage)
        violations.append(
            Violation(
                focus=curie(report.value(result, SH.focusNode)) or "?",
                path=path_text(report, report.value(result, SH.resultPath)),
                value=curie(report.value(result, SH.value)),
                message=str(message) if message is not None else "(no message)",
                severity=str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation",
                shape=shape_text(shapes, report.value(result, SH.sourceShape)),
                constraint=curie(report.value(result, SH.sourceConstraintComponent)) or "?",
            )
        )
    return violations
