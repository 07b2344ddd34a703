"""The compiled SHACL evaluator (kgpub.shacl) reports exactly what pyshacl reports.

"Exactly": the same kgpub.validate.Violation set (focus, path, value, message, severity, shape,
constraint) and the same conformance as kgpub.validate.validate_graph, on the built datasets,
on data broken in many ways (hypothesis), and per source as `kgpub build` validates (the
shapes manifest: tests/test_shapes.py; the W3C suite: tests/test_shacl_w3c.py). The shapes
are also run with their messages removed, some property shapes demoted to sh:Warning and some
given two messages, so that pyshacl's default messages and its severity rules are compared too.
"""

from __future__ import annotations

import pickle
import re
import shutil
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH, XSD

from kgpub.cli import main
from kgpub.errors import UnreadableInput
from kgpub.namespaces import KGG
from kgpub.pipeline import _load_and_convert, build
from kgpub.rdfio import parse_file, quads_to_graph
from kgpub.shacl import CompiledShapes, TripleIndex, compile_shapes, unsupported_reason
from kgpub.shacl.stringify import stringify
from kgpub.source_validation import SharedIndex, validate_sources
from kgpub.validate import load_shapes, prepare_shapes, validate_graph
from kgpub.vocabulary import vocabulary_files

EX = Namespace("http://example.org/")
SHAPES = load_shapes(ROOT / "shapes")
COMPILED = compile_shapes(SHAPES)


def variant_shapes() -> Graph:
    """kgpub's shapes without their messages (pyshacl writes its own), about a third of the
    property shapes a sh:Warning, a seventh with two messages (picked by their content, as
    blank node labels change from one run to the next)."""
    variant = Graph()
    for triple in SHAPES:
        if triple[1] != SH.message:
            variant.add(triple)
    index, nm = TripleIndex(SHAPES), Graph().namespace_manager
    for shape in set(SHAPES.objects(None, SH.property)):
        k = zlib.crc32(stringify(index, shape, nm).encode())
        if k % 3 == 0:
            variant.add((shape, SH.severity, SH.Warning))
        if k % 7 == 0:
            variant.add((shape, SH.message, Literal("first")))
            variant.add((shape, SH.message, Literal("second", lang="en")))
    return variant


VARIANT = variant_shapes()
VARIANT_COMPILED = compile_shapes(VARIANT)


def assert_same(data: Graph, shapes: Graph, compiled: CompiledShapes | None = None) -> int:
    """pyshacl (through validate_graph) and the compiled shapes agree on `data`."""
    expected = validate_graph(data, shapes)
    compiled = compiled or compile_shapes(shapes)
    assert compiled is not None
    got = compiled.run(TripleIndex(data), namespaces=data.namespace_manager.namespaces())
    assert set(got.violations) == set(expected.violations)
    assert got.conforms == expected.conforms
    return len(expected.violations)


def merged(*files: Path) -> Graph:
    """RDF files merged as `kgpub validate` merges them, with the ontology and vocabularies."""
    data = Graph()
    for f in [*files, ROOT / "ontology" / "kgpub.ttl", *vocabulary_files(ROOT / "ontology")]:
        for triple in quads_to_graph(parse_file(f), source=f):
            data.add(triple)
    return data


# ------------------------------------------------------------------------------ fixed data


def test_kgpub_shapes_compile() -> None:
    assert COMPILED is not None and VARIANT_COMPILED is not None
    targeted = {s for p in (SH.targetClass, SH.targetNode) for s in SHAPES.subjects(p, None)}
    assert {s.node for s in COMPILED.targeted} == targeted
    assert len(COMPILED.fast) == len(set(SHAPES.objects(None, SH.sparql)))


def test_default_dataset() -> None:
    data = merged(ROOT / "data" / "ttl" / "kgpub.nq")
    assert assert_same(data, SHAPES, COMPILED) == 0
    # Warnings inside sh:xone members make pyshacl count them as conforming: results.
    assert assert_same(data, VARIANT, VARIANT_COMPILED) > 0


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("many")
    shutil.copytree(FIXTURES / "many" / "data", root / "data")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "shapes", root / "shapes")
    build(root, root / "out")
    return root


def test_many_fixture_built(many: Path) -> None:
    data = merged(many / "out" / "kgpub.nq")
    # Merged, the articles that disagree break sh:maxCount (why the build validates per source)
    assert assert_same(data, SHAPES, COMPILED) > 0
    assert assert_same(data, VARIANT, VARIANT_COMPILED) > 0  # pyshacl's default messages


def test_per_source_as_the_build_runs_it(many: Path) -> None:
    converted, *_ = _load_and_convert(many)
    for shapes, compiled in ((SHAPES, COMPILED), (VARIANT, VARIANT_COMPILED)):
        prepared = prepare_shapes(shapes)
        expected = validate_sources(converted, prepared, compiled=False)
        got = validate_sources(converted, prepared, compiled=compiled)
        assert set(got.violations) == set(expected.violations)
        assert got.conforms == expected.conforms


# ------------------------------------------------------------------------------ broken data

BAD_LITERALS = [
    Literal("2017-13-45", datatype=XSD.date), Literal("abc", datatype=XSD.integer),
    Literal("1.5.2", datatype=XSD.decimal), Literal("1.5", datatype=XSD.decimal),
    Literal("-3", datatype=XSD.integer), Literal("11", datatype=XSD.decimal),
    Literal("2017-11", datatype=XSD.gYearMonth), Literal("P6X", datatype=XSD.duration),
    Literal("2017-11-29"), Literal(""), Literal("text", lang="fr"), Literal("text", lang="EN"),
    Literal("x" * 30), Literal("RU"), Literal("A" * 64), Literal("verbal conflict"),
    Literal("2020-01-01T00:00:00", datatype=XSD.dateTime), Literal("12", datatype=XSD.string),
    Literal("true", datatype=XSD.boolean), EX.Unknown, BNode("broken"),
]
KINDS = ("delete", "another value", "replace object", "bad literal", "retype", "other subject",
         "drop type", "blank node")
mutation = st.tuples(st.sampled_from(KINDS), st.integers(0, 10**6), st.integers(0, 10**6))


CONSTRAINED = {p for p in SHAPES.objects(None, SH.path) if isinstance(p, URIRef)} | {RDF.type}


def mutate(triples: list, pool: list, kind: str, i: int, j: int) -> list:
    """One way of breaking data: a triple whose predicate a shape constrains (picked by `i`),
    with `j` picking a replacement."""
    triples = list(triples)
    constrained = [k for k, t in enumerate(triples) if t[1] in CONSTRAINED] or [0]
    i = constrained[i % len(constrained)]
    s, p, o = triples[i]
    other = pool[j % len(pool)]
    if kind == "delete":  # e.g. a required property
        del triples[i]
    elif kind == "another value":  # a single-valued property gets a second value
        triples.append((s, p, other))
    elif kind == "replace object":  # wrong class, node kind, value outside sh:in ...
        triples[i] = (s, p, other)
    elif kind == "bad literal":  # ill-typed, out of range, bad tag, broken offsets ...
        triples[i] = (s, p, BAD_LITERALS[j % len(BAD_LITERALS)])
    elif kind == "retype":  # the same text with another datatype
        datatype = [XSD.string, XSD.integer, XSD.date, XSD.decimal, None][j % 5]
        triples[i] = (s, p, Literal(str(o), datatype=datatype))
    elif kind == "other subject":
        triples[i] = (pool[j % len(pool)], p, o)
    elif kind == "drop type":
        triples = [t for t in triples if not (t[0] == s and t[1] == RDF.type)]
        triples.append((s, RDF.type, next(x for x in pool[j % len(pool):] + pool
                                          if isinstance(x, URIRef))))
    else:
        node = BNode(f"m{j}")
        triples[i] = (s, p, node)
        triples.append((node, RDF.type, other if isinstance(other, URIRef) else EX.Thing))
    return triples


@pytest.fixture(scope="module")
def article_run() -> tuple[list, list]:
    """The data of one article's validation run (its graphs, what they refer to, the
    vocabularies), and the terms to break it with."""
    converted, *_ = _load_and_convert(ROOT)
    triples = [t for graph in converted.articles[0].graphs.values() for t in graph]
    index = SharedIndex([converted.prepared.entities, converted.prepared.links])
    closure, _ = index.closure_for(triples)
    data = sorted({*triples, *closure, *converted.vocab.graph})
    pool = sorted({t for s, _, o in data for t in (s, o)})
    return data, pool


@settings(max_examples=14, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(mutation, min_size=1, max_size=3), warnings=st.booleans())
def test_broken_article_data(article_run: tuple[list, list], mutations: list,
                             warnings: bool) -> None:
    triples, pool = article_run
    for kind, i, j in mutations:
        triples = mutate(triples, pool, kind, i, j)
    data = Graph()
    for triple in triples:
        data.add(triple)
    if warnings:
        assert_same(data, VARIANT, VARIANT_COMPILED)
    else:
        assert_same(data, SHAPES, COMPILED)


@pytest.fixture(scope="module")
def converted():
    converted, *_ = _load_and_convert(ROOT)
    return converted


@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(st.tuples(mutation, st.integers(0, 100)), min_size=1, max_size=3))
def test_broken_sources_as_the_build_validates_them(converted, mutations: list) -> None:
    ds = converted.dataset
    names = sorted(g.identifier for g in ds.graphs() if len(g) and g.identifier != KGG.vocab)
    pool = sorted({t for n in names for s, _, o in ds.graph(n) for t in (s, o)})
    before = {n: list(ds.graph(n)) for n in names}
    try:
        for (kind, i, j), k in mutations:
            graph = ds.graph(names[k % len(names)])
            triples = mutate(list(graph), pool, kind, i, j)
            graph.remove((None, None, None))
            for triple in triples:
                graph.add(triple)
        prepared = prepare_shapes(SHAPES)
        expected = validate_sources(converted, prepared, compiled=False)
        got = validate_sources(converted, prepared, compiled=COMPILED)
        assert set(got.violations) == set(expected.violations)
        assert got.conforms == expected.conforms
    finally:
        for name, triples in before.items():
            ds.graph(name).remove((None, None, None))
            for triple in triples:
                ds.graph(name).add(triple)


# ------------------------------------------------------------------------------ the evaluator


SMALL_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:lessThan ex:q ] .
"""


def small(data: str) -> Graph:
    return Graph().parse(data="@prefix ex: <http://example.org/> .\n" + data, format="turtle")


def test_focus_restricts_the_nodes_validated_not_what_they_see() -> None:
    shapes = Graph().parse(data=SMALL_SHAPES, format="turtle")
    data = TripleIndex(small("ex:a a ex:C . ex:b a ex:C ; ex:p 1 ; ex:q 2 . ex:c a ex:C ."))
    compiled = compile_shapes(shapes)
    assert {v.focus for v in compiled.validate(data)} == {"<http://example.org/a>",
                                                          "<http://example.org/c>"}
    assert {v.focus for v in compiled.validate(data, focus={EX.a})} == {"<http://example.org/a>"}
    assert compiled.validate(data, focus={EX.b}) == []


def test_compiled_shapes_travel_to_worker_processes() -> None:
    copy = pickle.loads(pickle.dumps(VARIANT_COMPILED))
    data = merged(ROOT / "data" / "ttl" / "kgpub.nq")
    data.set((URIRef("https://w3id.org/kgpub/id/person/sooronbai-jeenbekov"),
              URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("no language")))
    expected = validate_graph(data, VARIANT)
    assert expected.violations
    assert set(copy.validate(TripleIndex(data))) == set(expected.violations)


def test_what_it_does_not_evaluate_is_left_to_pyshacl() -> None:
    rule = Graph().parse(data=SMALL_SHAPES + """
        ex:S sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate ex:r ;
                       sh:object ex:o ] .""", format="turtle")
    assert compile_shapes(rule) is None
    assert unsupported_reason(rule) == str(SH) + "rule"
    assert unsupported_reason(SHAPES) is None
    sparql = Graph().parse(data=SMALL_SHAPES + """
        ex:S sh:property [ sh:path ex:p ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] ] .
        """, format="turtle")
    assert compile_shapes(sparql) is None
    recursive = Graph().parse(data=SMALL_SHAPES + "ex:S sh:node ex:S .", format="turtle")
    assert unsupported_reason(recursive) == "recursive shapes"
    two_datatypes = Graph().parse(data=SMALL_SHAPES + """
        ex:S sh:property [ sh:path ex:p ; sh:datatype ex:a , ex:b ] .""", format="turtle")
    assert compile_shapes(two_datatypes) is None


def test_data_pyshacl_refuses_is_refused_the_same_way(tmp_path: Path) -> None:
    """sh:lessThan on a blank node makes pyshacl raise; the build then says what pyshacl says."""
    shapes_dir = tmp_path / "shapes"
    shutil.copytree(ROOT / "shapes", shapes_dir)
    (shapes_dir / "extra.ttl").write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix kgp: <https://w3id.org/kgpub/ontology#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass kgp:Stance ;
            sh:property [ sh:path kgp:stanceHolder ; sh:lessThan kgp:stanceTarget ] .
        """, encoding="utf-8")
    converted, *_ = _load_and_convert(ROOT)
    graph = next(a for a in converted.articles
                 if str(a.article).endswith("rferl-28883735")).graphs[KGG["article/rferl-28883735"]]
    stance = next(s for s, p, o in graph
                  if p == RDF.type and o == URIRef("https://w3id.org/kgpub/ontology#Stance"))
    graph.add((stance, URIRef("https://w3id.org/kgpub/ontology#stanceTarget"), BNode()))
    prepared = prepare_shapes(load_shapes(shapes_dir))
    with pytest.raises(UnreadableInput) as expected:
        validate_sources(converted, prepared, compiled=False)
    with pytest.raises(UnreadableInput) as got:
        validate_sources(converted, prepared)
    assert str(got.value) == str(expected.value)


def test_build_reports_violations_as_pyshacl_does(real_project: Path) -> None:
    """`kgpub build` validates with the compiled shapes: a shape the data breaks stops it with
    the same report as the pyshacl run."""
    (real_project / "shapes" / "extra.ttl").write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix kgp: <https://w3id.org/kgpub/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:x:TwoLabels> a sh:NodeShape ; sh:targetClass kgp:Person ;
            sh:property [ sh:path rdfs:label ; sh:minCount 9 ] .
        """, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(real_project)])
    assert result.exit_code == 1, result.output
    converted, *_ = _load_and_convert(real_project)
    expected = validate_sources(converted, prepare_shapes(load_shapes(real_project / "shapes")),
                                compiled=False)
    assert not expected.conforms
    found = sum(int(n) for n in re.findall(r"(\d+) result\(s\):", result.output))
    assert found == len(expected.violations)  # reported per file, each as pyshacl words it
    for v in expected.violations:
        assert f"[{v.severity}] {v.focus}" in result.output and v.message in result.output
    assert "Less than 9 values on" in result.output
    assert not (real_project / "data" / "ttl" / "kgpub.nq").exists()
