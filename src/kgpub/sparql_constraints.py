"""SHACL-SPARQL constraints of node shapes, evaluated once per constraint in Oxigraph.

pyshacl runs an `sh:select` once per focus node through rdflib's SPARQL engine, with the focus
pre-bound: on the default dataset (a few hundred annotations) that took over a minute for one
constraint. The same semantics can be had in one query: the shape's targets become a sub-select
that binds `?this`, and the body joins on it. This module does that for node-shape constraints
whose targets are sh:targetClass / sh:targetNode / sh:targetSubjectsOf / sh:targetObjectsOf and
whose query does not use `$PATH`; every other SPARQL constraint stays with pyshacl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

_VAR = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class FastConstraint:
    shape: URIRef
    constraint: Node
    query: str
    message: str | None
    severity: URIRef


def _prefix_block(shapes: Graph, constraint: Node) -> str:
    lines = []
    for ontology in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(ontology, SH.declare):
            prefix = shapes.value(decl, SH.prefix)
            namespace = shapes.value(decl, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _targets(shapes: Graph, shape: Node) -> str | None:
    parts = []
    for cls in shapes.objects(shape, SH.targetClass):
        parts.append(f"{{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> }}")
    nodes = [n for n in shapes.objects(shape, SH.targetNode) if isinstance(n, URIRef)]
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " } }")
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        parts.append(f"{{ ?this <{p}> ?kgpub_o }}")
    for p in shapes.objects(shape, SH.targetObjectsOf):
        parts.append(f"{{ ?kgpub_s <{p}> ?this }}")
    if (shape, SH.target, None) in shapes or (shape, RDF.type, URIRef(
            "http://www.w3.org/2000/01/rdf-schema#Class")) in shapes:
        return None  # SPARQL-based or implicit class targets: leave to pyshacl
    if not parts:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def split(shapes: Graph) -> tuple[Graph, list[FastConstraint]]:
    """A copy of `shapes` without the constraints handled here, and those constraints."""
    rest = Graph()
    for triple in shapes:
        rest.add(triple)
    fast = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if (shape, SH.path, None) in shapes or not isinstance(shape, URIRef):
            continue
        if Literal(True) in (shapes.value(constraint, SH.deactivated),
                             shapes.value(shape, SH.deactivated)):
            continue  # pyshacl skips deactivated shapes and constraints itself
        select = shapes.value(constraint, SH.select)
        targets = _targets(shapes, shape)
        if select is None or targets is None or "$PATH" in str(select):
            continue
        text = str(select).replace("$this", "?this")
        where = re.search(r"\bWHERE\s*\{", text, flags=re.IGNORECASE)
        if where is None:
            continue
        query = (f"{_prefix_block(shapes, constraint)}\n{text[:where.end()]} {targets}\n"
                 f"{text[where.end():]}")
        message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
        severity = shapes.value(shape, SH.severity) or SH.Violation
        fast.append(FastConstraint(shape, constraint, query,
                                   str(message) if message is not None else None, severity))
        rest.remove((shape, SH.sparql, constraint))
    return rest, fast


def _get(solution: ox.QuerySolution, name: str):
    try:
        return solution[name]
    except (KeyError, IndexError, ValueError):
        return None


def evaluate(store: ox.Store, constraints: list[FastConstraint], report: Graph) -> int:
    """Run each constraint once; add sh:ValidationResult nodes to `report`; count them."""
    from .rdfio import to_rdflib_term

    count = 0
    for c in constraints:
        for solution in store.query(c.query):
            this = solution["this"]
            if this is None:
                continue
            count += 1
            result = URIRef(f"urn:kgpub:result:{count}")
            report.add((result, RDF.type, SH.ValidationResult))
            for node in report.subjects(RDF.type, SH.ValidationReport):
                report.add((node, SH.result, result))
                if c.severity == SH.Violation:
                    report.set((node, SH.conforms, Literal(False)))
            report.add((result, SH.focusNode, to_rdflib_term(this)))
            report.add((result, SH.sourceShape, c.shape))
            report.add((result, SH.sourceConstraint, c.constraint))
            report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            report.add((result, SH.resultSeverity, c.severity))
            value, path = _get(solution, "value"), _get(solution, "path")
            if value is not None:
                report.add((result, SH.value, to_rdflib_term(value)))
            if path is not None:
                report.add((result, SH.resultPath, to_rdflib_term(path)))
            if c.message:
                def sub(m: re.Match[str], solution: ox.QuerySolution = solution) -> str:
                    term = _get(solution, m.group(1))
                    return m.group(0) if term is None else term.value

                report.add((result, SH.resultMessage, Literal(_VAR.sub(sub, c.message))))
    return count
