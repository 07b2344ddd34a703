"""The W3C SHACL Core test suite (tests/w3c/shacl-core) through the compiled evaluator.

Each test is run through pyshacl as kgpub runs it (validate_graph) and through kgpub.shacl:
both must report the same results, and the tests pyshacl passes the compiled evaluator passes
too. A test passes when its top-level results (focus node, path, value, severity, constraint
component; not the message, which the suite leaves free) and its sh:conforms are the expected
ones. Blank nodes are compared by kind, not label: a report names its own copies of them.
`test_w3c_summary` prints the counts.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kgpub.shacl import TripleIndex, compile_shapes
from kgpub.shacl.report import Violation, curie, path_text, violations_from_report
from kgpub.validate import Report, validate_graph

SUITE = Path(__file__).parent / "w3c" / "shacl-core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
BLANK = re.compile(r"_:[A-Za-z0-9]+")
NOT_COMPILED = {"complex/shacl-shacl"}  # recursive shapes: pyshacl's recursion rules stay its own


@dataclass(frozen=True)
class Case:
    name: str
    manifest: Path
    node: Node


def cases(manifest: Path = SUITE / "manifest.ttl") -> list[Case]:
    g = Graph().parse(manifest, format="turtle")
    found = []
    for included in sorted(g.objects(None, MF.include)):
        found += cases(Path(str(included).removeprefix("file://")))
    for m in g.subjects(RDF.type, MF.Manifest):
        for lst in g.objects(m, MF.entries):
            for node in Collection(g, lst):
                found.append(Case(f"{manifest.parent.name}/{str(node).rsplit('/', 1)[-1]}",
                                  manifest, node))
    return found


CASES = cases()
pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # an ill-typed test value


@cache
def load(iri: str) -> Graph:
    with warnings.catch_warnings():  # some tests hold deliberately ill-typed literals
        warnings.simplefilter("ignore")
        return Graph().parse(iri.removeprefix("file://"), format="turtle")


def no_blanks(text: str | None) -> str | None:
    return BLANK.sub("_:", text) if text else text


def key(v: Violation) -> tuple:
    return (no_blanks(v.focus), no_blanks(v.path), no_blanks(v.value), v.severity, v.constraint)


def expected(case: Case) -> tuple[bool, set[tuple]]:
    g = Graph().parse(case.manifest, format="turtle")
    result = g.value(case.node, MF.result)
    found = set()
    for r in g.objects(result, SH.result):
        found.add((no_blanks(curie(g.value(r, SH.focusNode))),
                   no_blanks(path_text(g, g.value(r, SH.resultPath))),
                   no_blanks(curie(g.value(r, SH.value))),
                   str(g.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                   curie(g.value(r, SH.sourceConstraintComponent))))
    return bool(g.value(result, SH.conforms).toPython()), found


def graphs(case: Case) -> tuple[Graph, Graph]:
    g = Graph().parse(case.manifest, format="turtle")
    action = g.value(case.node, MF.action)
    return load(str(g.value(action, SHT.dataGraph))), load(str(g.value(action, SHT.shapesGraph)))


def top_level(report: Report, shapes: Graph) -> set[tuple]:
    """pyshacl's results without the nested ones (sh:detail), which kgpub also lists."""
    graph = Graph()
    for triple in report.graph:
        graph.add(triple)
    top = set(graph.objects(None, SH.result))
    for r in set(graph.subjects(RDF.type, SH.ValidationResult)) - top:
        graph.remove((r, None, None))
    return {key(v) for v in violations_from_report(graph, shapes)}


@cache
def outcome(case: Case) -> dict:
    data, shapes = graphs(case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = validate_graph(data, shapes)
        compiled = compile_shapes(shapes)
        got = mine = None
        if compiled is not None:
            ns = list(data.namespace_manager.namespaces())
            got = compiled.run(TripleIndex(data), namespaces=ns)
            mine = compiled.run(TripleIndex(data), namespaces=ns, details=False)
    conforms, results = expected(case)
    return {
        "reference": reference, "got": got, "compiled": compiled is not None,
        "pyshacl_passes": reference.conforms == conforms
        and top_level(reference, shapes) == results,
        "passes": got is not None and got.conforms == conforms
        and {key(v) for v in mine.violations} == results,
    }


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_same_results_as_pyshacl(case: Case) -> None:
    found = outcome(case)
    if case.name in NOT_COMPILED:
        assert not found["compiled"]
        pytest.skip("left to pyshacl")
    reference, got = found["reference"], found["got"]
    assert got is not None, "did not compile"
    # pyshacl writes nested blank nodes of a result path under new labels on every run.
    assert ({(v.focus, no_blanks(v.path), v.value, v.message, v.severity, v.shape, v.constraint)
             for v in got.violations}
            == {(v.focus, no_blanks(v.path), v.value, v.message, v.severity, v.shape,
                 v.constraint) for v in reference.violations})
    assert got.conforms == reference.conforms
    if found["pyshacl_passes"]:
        assert found["passes"]


def test_w3c_summary(capsys: pytest.CaptureFixture[str]) -> None:
    found = [outcome(c) for c in CASES]
    compiled = sum(f["compiled"] for f in found)
    pyshacl = sum(f["pyshacl_passes"] for f in found)
    both = sum(f["pyshacl_passes"] and f["compiled"] for f in found)
    mine = sum(f["passes"] for f in found)
    with capsys.disabled():
        print(f"\nW3C SHACL Core: {len(CASES)} tests, {compiled} compiled; pass: pyshacl "
              f"{pyshacl}, compiled evaluator {mine} (of the {both} pyshacl passes it compiles)")
    assert (len(CASES), compiled) == (98, 97)
    assert mine == both
