"""The SHACL shapes from a manifest, the ontology's declarations, and HermiT on the ontology.

Each manifest entry (tests/shapes/manifest.ttl) names a node shape, a data graph and the expected
outcome. The shape under test runs alone: every other shape with a target is deactivated, so a
fixture only has to be complete for the shape it exercises. The one entry without mf:shape runs
all shapes over a small dataset in the converter's layout, as the build does.
"""

from __future__ import annotations

import re
import shutil
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, Namespace
from rdflib.term import Node

from kgpub.shacl import CompiledShapes, TripleIndex, compile_shapes
from kgpub.validate import Report, validate_graph

ROOT = Path(__file__).resolve().parents[1]
SHAPES_FILE = ROOT / "shapes" / "kgpub-shapes.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "kgpub.ttl"
VOCAB_FILES = [p for p in sorted((ROOT / "ontology").glob("*.ttl")) if p.name != "kgpub.ttl"]
DATA_MODEL = ROOT / "docs" / "data-model.md"
MANIFEST = Path(__file__).resolve().parent / "shapes" / "manifest.ttl"

MF = Namespace("https://w3id.org/kgpub/test-manifest#")
KGP = Namespace("https://w3id.org/kgpub/ontology#")
KGST = Namespace("https://w3id.org/kgpub/stance-type/")
CAMEO = Namespace("https://w3id.org/kgpub/cameo/")
PLOVER = Namespace("https://w3id.org/kgpub/plover/")
ONTOLOGY_IRI = URIRef("https://w3id.org/kgpub/ontology")
VERSION_IRI = URIRef("https://w3id.org/kgpub/ontology/0.1.0")
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                OWL.NamedIndividual)


# ------------------------------------------------------------------------------ loading


@cache
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_FILE)


@cache
def ontology_graph() -> Graph:
    """The OWL file and the vocabulary files, which define the open sets of types."""
    g = Graph().parse(ONTOLOGY_FILE)
    for f in VOCAB_FILES:
        g.parse(f)
    return g


@cache
def vocab_graph() -> Graph:
    g = Graph()
    for f in VOCAB_FILES:
        g.parse(f)
    return g


@dataclass(frozen=True)
class Entry:
    name: str
    data: Path
    conforms: bool
    shape: URIRef | None
    source_shape: URIRef | None
    path: URIRef | None
    constraint: URIRef | None
    source_constraint: URIRef | None


def manifest_entries() -> list[Entry]:
    g = Graph().parse(MANIFEST)
    manifest = g.value(predicate=RDF.type, object=MF.Manifest, any=False)
    entries = []
    for node in Collection(g, g.value(manifest, MF.entries)):
        conforms = g.value(node, MF.conforms)
        assert isinstance(conforms, Literal), f"{node}: mf:conforms missing"
        entries.append(Entry(
            name=str(node).rsplit("/", 1)[-1],
            data=MANIFEST.parent / str(g.value(node, MF.data)),
            conforms=bool(conforms.toPython()),
            shape=g.value(node, MF.shape),
            source_shape=g.value(node, MF.expectSourceShape),
            path=g.value(node, MF.expectPath),
            constraint=g.value(node, MF.expectConstraint),
            source_constraint=g.value(node, MF.expectSourceConstraint),
        ))
    return entries


ENTRIES = manifest_entries()


@cache
def only(shape: URIRef | None) -> Graph:
    """The shapes graph with every targeted node shape except `shape` deactivated."""
    graph = Graph()
    for triple in shapes_graph():
        graph.add(triple)
    if shape is not None:
        assert (shape, RDF.type, SH.NodeShape) in graph, f"{shape} is not a node shape"
        targeted = {s for p in TARGETS for s in graph.subjects(p, None)}
        for other in targeted - {shape}:
            graph.add((other, SH.deactivated, Literal(True)))
    return graph


def data_graph(path: Path) -> Graph:
    """The fixture merged with the SKOS schemes (the build validates the union of all graphs)."""
    graph = Graph()
    for triple in vocab_graph():
        graph.add(triple)
    if path.suffix == ".trig":
        ds = Dataset()
        with warnings.catch_warnings():  # rdflib's TriG parser uses its own deprecated API
            warnings.simplefilter("ignore", DeprecationWarning)
            ds.parse(path, format="trig")
        for s, p, o, _ in ds.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph.parse(path, format="turtle")
    return graph


@cache
def kgpub_report(entry: Entry) -> Report:
    return validate_graph(data_graph(entry.data), only(entry.shape))


@cache
def compiled(shape: URIRef | None) -> CompiledShapes | None:
    return compile_shapes(only(shape))


def run(entry: Entry, engine: str) -> tuple[bool, Graph, str]:
    """`pyshacl` is the reference; `kgpub` is the validator the build and CLI use, which runs
    node-shape SPARQL constraints once each in Oxigraph: both must agree on every fixture."""
    if engine == "kgpub":
        report = kgpub_report(entry)
        return report.conforms, report.graph, report.text()
    conforms, report, text = validate(
        data_graph(entry.data), shacl_graph=only(entry.shape), advanced=True,
        allow_warnings=False, inference="none", inplace=True,
    )
    return bool(conforms), report, text


def owned_by(shape: URIRef, source: Node | None) -> bool:
    """True if `source` is `shape` itself or one of its property shapes."""
    return source == shape or (shape, SH.property, source) in shapes_graph()


# ------------------------------------------------------------------------------ the manifest


def test_manifest_covers_every_node_shape() -> None:
    targeted = {s for p in TARGETS for s in shapes_graph().subjects(p, None)}
    tested = {e.shape for e in ENTRIES if e.shape is not None}
    assert targeted == tested, f"untested: {targeted - tested}; unknown: {tested - targeted}"
    for shape in targeted:
        outcomes = {e.conforms for e in ENTRIES if e.shape == shape}
        assert outcomes == {True, False}, f"{shape} needs a conforming and a failing graph"


@pytest.mark.parametrize("engine", ["pyshacl", "kgpub"])
@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_shape(entry: Entry, engine: str) -> None:
    assert entry.data.exists(), entry.data
    conforms, report, text = run(entry, engine)
    assert conforms == entry.conforms, text
    if entry.conforms:
        return
    results = list(report.objects(None, SH.result))  # top-level results, not sh:detail
    assert results, text
    expected = entry.source_shape or entry.shape
    assert expected is not None and entry.constraint is not None, f"{entry.name}: incomplete"

    def matches(result: Node) -> bool:
        return (
            owned_by(expected, report.value(result, SH.sourceShape))
            and report.value(result, SH.resultPath) == entry.path
            and report.value(result, SH.sourceConstraintComponent) == entry.constraint
            and (entry.source_constraint is None
                 or report.value(result, SH.sourceConstraint) == entry.source_constraint)
        )

    assert any(matches(r) for r in results), f"expected violation not reported:\n{text}"
    # The fixture is precise: nothing else in it is wrong.
    assert all(matches(r) for r in results), f"unexpected extra violations:\n{text}"
    for result in results:
        message = report.value(result, SH.resultMessage)
        assert message is not None and str(message).strip(), f"no message:\n{text}"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_compiled_evaluator_reports_the_same(entry: Entry) -> None:
    """The third engine, kgpub.shacl (what `kgpub build` validates with): the same results as
    the kgpub validator, in the same words."""
    expected = kgpub_report(entry)
    data = data_graph(entry.data)
    got = compiled(entry.shape).run(TripleIndex(data),
                                    namespaces=data.namespace_manager.namespaces())
    assert set(got.violations) == set(expected.violations), expected.text()
    assert got.conforms == expected.conforms == entry.conforms


def test_every_shape_is_named_and_every_property_shape_has_a_message() -> None:
    g = shapes_graph()
    for shape in g.subjects(RDF.type, SH.NodeShape):
        assert g.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        for prop in g.objects(shape, SH.property):
            assert g.value(prop, SH.message) is not None, f"a property of {shape} has no message"
    for constraint in g.objects(None, SH.sparql):
        assert g.value(constraint, SH.message) is not None, f"{constraint} has no message"
        assert g.value(constraint, SH.prefixes) is not None, f"{constraint} has no prefixes"


# ------------------------------------------------------------------------------ ontology


def kgp_terms_in(text: str) -> set[str]:
    return set(re.findall(r"kgp:([A-Za-z][A-Za-z0-9_]*)", text))


def documented_terms() -> set[str]:
    spans = re.findall(r"`([^`]*)`", DATA_MODEL.read_text(encoding="utf-8"))
    return set().union(*(kgp_terms_in(s) for s in spans))


def used_terms(graph: Graph) -> set[str]:
    names = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef) and str(node).startswith(str(KGP)):
                names.add(str(node)[len(str(KGP)):])
    return names


def test_ontology_header() -> None:
    g = ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionIRI) == VERSION_IRI
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    prefix = g.value(ONTOLOGY_IRI, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"))
    assert str(prefix) == "kgp"
    licence = g.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/license"))
    assert licence == URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_every_kgp_term_is_declared_labelled_and_commented() -> None:
    g = ontology_graph()
    wanted = documented_terms() | used_terms(shapes_graph()) | used_terms(vocab_graph())
    assert {"Stance", "stanceHolder", "Positive", "EventStatus"} <= wanted  # the scan works
    problems = []
    for name in sorted(wanted):
        term = KGP[name]
        if not any((term, RDF.type, d) in g for d in DECLARATIONS):
            problems.append(f"kgp:{name} is not declared")
            continue
        for prop in (RDFS.label, RDFS.comment):
            values = g.objects(term, prop)
            if not any(isinstance(v, Literal) and v.language == "en" for v in values):
                problems.append(f"kgp:{name} has no {prop.n3(g.namespace_manager)} @en")
        if g.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            problems.append(f"kgp:{name} is not rdfs:isDefinedBy the ontology")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("cls, members", [
    ("Polarity", ["Positive", "Negative", "Neutral"]),
    ("Modality", ["Current", "Intended", "Negated", "Hypothetical", "Historical"]),
    ("EventStatus", ["Occurred", "Scheduled", "Cancelled"]),
])
def test_closed_value_sets(cls: str, members: list[str]) -> None:
    g = ontology_graph()
    enumeration = g.value(g.value(KGP[cls], OWL.equivalentClass), OWL.oneOf)
    assert list(Collection(g, enumeration)) == [KGP[m] for m in members]
    for m in members:
        assert (KGP[m], RDF.type, KGP[cls]) in g


def test_no_xsd_ranges_outside_the_owl2_datatype_map() -> None:
    """HermiT rejects xsd:date, xsd:gYearMonth, xsd:duration ... in axioms."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    unsupported = {URIRef(xsd + n) for n in ("date", "gYear", "gYearMonth", "duration")}
    ranges = set(ontology_graph().objects(None, RDFS.range))
    assert not ranges & unsupported


def test_stance_types_are_aligned_and_complete() -> None:
    g = vocab_graph()
    concepts = set(g.subjects(SKOS.inScheme, KGST.scheme))
    members = set(g.objects(KGST.stanceTypes, SKOS.member))
    states = set(g.objects(KGST.relationStates, SKOS.member))
    assert members | states == concepts and not members & states
    assert KGST.Tense in states and KGST.MainStrategicPartner in members
    for c in concepts:
        assert g.value(c, SKOS.prefLabel) is not None and g.value(c, SKOS.definition) is not None
        assert g.value(c, KGP.defaultPolarity) in {KGP.Positive, KGP.Negative, KGP.Neutral}
        for match in g.objects(c, SKOS.closeMatch):
            scheme = g.value(match, SKOS.inScheme)
            assert scheme in {CAMEO.scheme, PLOVER.scheme}, f"{c} -> {match}"
    plover = set(g.subjects(SKOS.inScheme, PLOVER.scheme))
    assert len(plover) == 16
    assert {str(g.value(p, KGP.quadClass)) for p in plover} == {
        "verbal cooperation", "material cooperation", "verbal conflict", "material conflict"}


# ------------------------------------------------------------------------------ HermiT


def hermit(graph: Graph, tmp_path: Path, ignore_unsupported_datatypes: bool = False):
    """Load `graph` into a fresh owlready2 world via RDF/XML and run HermiT on it."""
    owlready2 = pytest.importorskip("owlready2")
    path = tmp_path / "input.rdf"
    graph.serialize(path, format="xml")
    world = owlready2.World()
    onto = world.get_ontology("file://" + str(path)).load()
    with onto:
        owlready2.sync_reasoner_hermit(
            world, infer_property_values=False, debug=0,
            ignore_unsupported_datatypes=ignore_unsupported_datatypes)
    return owlready2, world


needs_java = pytest.mark.skipif(shutil.which("java") is None,
                                reason="java is not on PATH; HermiT needs a Java runtime")


@needs_java
def test_hermit_finds_the_ontology_consistent(tmp_path: Path) -> None:
    _, world = hermit(ontology_graph(), tmp_path)
    assert list(world.inconsistent_classes()) == []


@needs_java
def test_hermit_finds_ontology_plus_data_consistent_and_catches_a_clash(tmp_path: Path) -> None:
    data = data_graph(MANIFEST.parent / "data" / "dataset-ok.trig")
    graph = Graph()
    for triple in ontology_graph():
        graph.add(triple)
    for triple in data:
        graph.add(triple)
    hermit(graph, tmp_path, ignore_unsupported_datatypes=True)

    person = URIRef("https://w3id.org/kgpub/id/person/anna-brandt")
    graph.add((person, RDF.type, KGP.Country))  # Person and Country are disjoint
    clash = tmp_path / "clash"
    clash.mkdir()
    owlready2 = pytest.importorskip("owlready2")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        hermit(graph, clash, ignore_unsupported_datatypes=True)
