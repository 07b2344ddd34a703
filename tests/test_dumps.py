"""Dumps: every format present, parseable, deterministic, committed copy equal to a fresh build."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, VOID

from kgpub.dump import example_resource, write_atomic
from kgpub.pipeline import build

ROOT = Path(__file__).resolve().parents[1]


def test_expected_files(built) -> None:
    out, _ = built
    names = {p.name for p in out.iterdir() if p.is_file()}
    assert {"kgpub.trig", "kgpub.trig.gz", "kgpub.nq", "kgpub.nq.gz", "kgpub.jsonld",
            "void.ttl", "entities.ttl", "links.ttl", "context.ttl", "vocab.ttl",
            "article-rferl-28883735.ttl", "article-tca-20171129-jeenbekov-visit-russia.ttl",
            "pagechrome-rferl-28883735.ttl"} <= names
    assert sorted(n for n in names if n.endswith(".tmp") or n.startswith(".")) == \
        [".kgpub-build.json"]


def test_all_formats_hold_the_same_quads(built) -> None:
    out, result = built
    nq = set(ox.parse(path=str(out / "kgpub.nq"), format=ox.RdfFormat.N_QUADS))
    trig = set(ox.parse(path=str(out / "kgpub.trig"), format=ox.RdfFormat.TRIG))
    jsonld = set(ox.parse(path=str(out / "kgpub.jsonld"), format=ox.RdfFormat.JSON_LD))
    gz = set(ox.parse(gzip.decompress((out / "kgpub.nq.gz").read_bytes()),
                      format=ox.RdfFormat.N_QUADS))
    assert nq == trig == jsonld == gz
    assert len(nq) == result.total
    for name in ("kgpub.nq", "kgpub.trig"):  # one gzip member: HTTP clients read only the first
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        assert decoder.decompress((out / f"{name}.gz").read_bytes()) == (out / name).read_bytes()
        assert decoder.eof and not decoder.unused_data


def test_per_graph_turtle_matches_the_graph(built) -> None:
    out, _ = built
    nq = list(ox.parse(path=str(out / "kgpub.nq"), format=ox.RdfFormat.N_QUADS))
    graph = "https://w3id.org/kgpub/graph/article/rferl-28883735"
    expected = {q.triple for q in nq if q.graph_name.value == graph}
    got = {q.triple for q in ox.parse(path=str(out / "article-rferl-28883735.ttl"),
                                      format=ox.RdfFormat.TURTLE)}
    assert got == expected


def test_void_counts(built) -> None:
    out, result = built
    void = Graph().parse(out / "void.ttl")
    dataset = URIRef("https://w3id.org/kgpub/id/dataset")
    assert int(void.value(dataset, VOID.triples)) == result.total
    subsets = list(void.objects(dataset, VOID.subset))
    assert len(subsets) == len(result.graph_sizes)
    for subset in subsets:
        name = str(void.value(subset, URIRef("http://www.w3.org/ns/sparql-service-description#name")))
        assert int(void.value(subset, VOID.triples)) == result.graph_sizes[name]
    dumps = {str(o).rsplit("/", 1)[-1] for o in void.objects(dataset, VOID.dataDump)}
    assert {"kgpub.trig", "kgpub.nq", "kgpub.jsonld"} <= dumps
    assert (dataset, RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset")) in void
    assert URIRef("http://www.w3.org/ns/prov#") in set(void.objects(dataset, VOID.vocabulary))


def test_rebuild_is_byte_identical(built, tmp_path: Path) -> None:
    out, _ = built
    build(ROOT, tmp_path)
    for path in sorted(p for p in out.iterdir() if p.is_file()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_committed_dumps_equal_a_fresh_build(built) -> None:
    out, _ = built
    committed = ROOT / "data" / "ttl"
    fresh = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    on_disk = {p.name: p.read_bytes() for p in committed.iterdir() if p.is_file()}
    stale = sorted(n for n in fresh if fresh[n] != on_disk.get(n))
    extra = sorted(set(on_disk) - set(fresh))
    assert not stale and not extra, (
        f"data/ttl differs from a fresh build (stale: {stale}, extra: {extra}); run `kgpub build`")


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "x.ttl"
    target.write_bytes(b"old")
    write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir()] == ["x.ttl"]


def test_void_example_resource_comes_from_the_data(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "dumps"
    build(mini_project, out)
    quads = list(ox.parse(path=str(out / "kgpub.nq"), format=ox.RdfFormat.N_QUADS))
    void = Graph().parse(out / "void.ttl")
    dataset = URIRef("https://w3id.org/kgpub/id/dataset")
    examples = list(void.objects(dataset, VOID.exampleResource))
    assert examples == [URIRef(example_resource(quads, "https://w3id.org/kgpub/id/"))]
    mentioned = {t.value for q in quads for t in (q.subject, q.object)
                 if isinstance(t, ox.NamedNode)}
    assert str(examples[0]) in mentioned  # the mini dataset has no Kyrgyzstan


def test_example_resource_is_the_most_linked_of_the_space() -> None:
    def q(s: str, p: str, o: str, g: str = "http://x/g") -> ox.Quad:
        return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), ox.NamedNode(g))

    space = "http://x/id/"
    a, b, c = space + "a", space + "b", space + "c"
    kinds = "http://x/Kind"
    rdf_type = str(RDF.type)
    quads = [q(a, "http://x/p", b), q(a, "http://x/q", b, "http://x/g2"),  # one linker, twice
             q(c, "http://x/p", a), q("http://other/d", "http://x/p", a),  # two linkers
             q(b, "http://x/p", b),  # itself: not a link
             q(a, rdf_type, space + "Kind"), q(b, rdf_type, space + "Kind"),
             q(c, rdf_type, space + "Kind"), q(a, "http://x/p", "http://other/e"),
             q(a, "http://x/p", kinds)]
    assert example_resource(quads, space) == a
    assert example_resource(quads + [q("http://other/f", "http://x/p", b)], space) == a  # tie
    assert example_resource([q(c, "http://x/p", "http://other/e"),
                             q(b, rdf_type, kinds)], space) == b  # no link: first subject
    assert example_resource([q("http://other/f", "http://x/p", "http://other/e")], space) is None


def test_dumps_hold_literals_in_the_form_a_store_gives_back(built) -> None:
    """Oxigraph stores typed literals by value ("5"^^xsd:nonNegativeInteger comes back as
    "5"^^xsd:integer, "1.0"^^xsd:decimal as "1"^^xsd:decimal): the dumps are already in that
    form, so what /sparql answers is exactly what they say."""
    out, _ = built
    for name in ("kgpub.nq", "vocab.ttl", "article-rferl-28883735.ttl"):
        path = out / name
        quads = set(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS if name.endswith(".nq")
                             else ox.RdfFormat.TURTLE))
        store = ox.Store()
        store.extend(quads)
        assert set(store) == quads, name


def test_canonical_literals_maps_only_what_a_store_changes() -> None:
    from rdflib import Literal
    from rdflib.namespace import XSD

    from kgpub.rdfio import canonical_literals

    kept = [Literal(5), Literal("x", lang="en"), Literal("2017-11-28", datatype=XSD.date)]
    changed = canonical_literals([*kept, Literal("5", datatype=XSD.nonNegativeInteger),
                                  Literal("1.0", datatype=XSD.decimal)])
    assert changed == {Literal("5", datatype=XSD.nonNegativeInteger): Literal(5),
                       Literal("1.0", datatype=XSD.decimal): Literal("1", datatype=XSD.decimal)}
