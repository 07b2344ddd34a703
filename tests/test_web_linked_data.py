"""Dereferenceable IRIs, dumps, VoID and health, over real HTTP; --data and --store servers."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, RunningServer
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, OWL, RDF, VOID

KG = "https://w3id.org/kgpub/"
KYRGYZSTAN = URIRef(f"{KG}id/country/kyrgyzstan")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def get(server, path: str, **kw) -> httpx.Response:
    return httpx.get(server.url + path, timeout=30, **kw)


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
])
def test_instance_iri_303s_to_rdf_by_accept(server, accept: str, fmt: str) -> None:
    first = get(server, "/id/country/kyrgyzstan", headers={"Accept": accept})
    assert first.status_code == 303
    assert "Accept" in first.headers["vary"]
    location = first.headers["location"]
    assert location.startswith("/data/id/country/kyrgyzstan")
    doc = get(server, location, headers={"Accept": accept})
    assert doc.status_code == 200
    assert doc.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=doc.content, format=fmt)
    assert (KYRGYZSTAN, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q813")) in graph
    incoming = set(graph.subjects(None, KYRGYZSTAN))
    assert any("/stance/" in str(s) for s in incoming)  # links in, not only out


def test_browsers_are_sent_to_the_page(server) -> None:
    first = get(server, "/id/country/kyrgyzstan", headers={"Accept": BROWSER})
    assert first.status_code == 303 and first.headers["location"] == "/page/id/country/kyrgyzstan"
    page = get(server, first.headers["location"], headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"


def test_format_parameter_overrides_accept(server) -> None:
    response = get(server, "/id/country/kyrgyzstan?format=jsonld", headers={"Accept": BROWSER})
    assert response.status_code == 303 and response.headers["location"].endswith("format=jsonld")
    page = get(server, "/id/country/kyrgyzstan?format=html")
    assert page.headers["location"] == "/page/id/country/kyrgyzstan"


def test_other_minted_iris_dereference(server) -> None:
    for path in ("/graph/entities", "/stance-type/StrategicPartner", "/cameo/030"):
        response = get(server, path, headers={"Accept": "text/turtle"})
        assert response.status_code == 303, path
        assert get(server, response.headers["location"]).status_code == 200, path
    for path in ("/id/dataset", "/id/dataset/distribution/kgpub.trig"):
        response = get(server, path, headers={"Accept": "text/turtle"})
        assert response.status_code == 303 and response.headers["location"] == "/.well-known/void"


def test_unknown_iri_is_404_and_unsafe_paths_never_reach_the_store(server) -> None:
    assert get(server, "/id/country/atlantis").status_code == 404
    for path in ("/id/a%3E%20%3Fp%20%3Fo%20%7D%20%23", "/id/<script>", "/page/id/x%20y",
                 "/data/id/%22quote"):
        response = get(server, path)
        assert response.status_code == 404, path
        assert "Traceback" not in response.text


def test_ontology_by_accept(server) -> None:
    turtle = get(server, "/ontology", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(f"{KG}ontology"), RDF.type, OWL.Ontology) in graph
    assert (URIRef(f"{KG}ontology#Stance"), RDF.type, OWL.Class) in graph
    as_xml = get(server, "/ontology", headers={"Accept": "application/rdf+xml"})
    assert len(Graph().parse(data=as_xml.content, format="xml")) == len(graph)
    html = get(server, "/ontology", headers={"Accept": BROWSER})
    assert html.headers["content-type"].startswith("text/html")
    assert get(server, "/ontology", headers={"Accept": "image/png"}).status_code == 406
    version = next(graph.objects(URIRef(f"{KG}ontology"), OWL.versionIRI))
    assert str(version).startswith(KG)
    by_version = get(server, "/" + str(version).removeprefix(KG),
                     headers={"Accept": "text/turtle"})
    assert by_version.status_code == 200 and by_version.text == turtle.text
    assert get(server, "/ontology/9.9.9").status_code == 404


def test_dumps_index_media_types_validators_and_gzip(server) -> None:
    listing = get(server, "/dumps/", headers={"Accept": "application/json"}).json()["dumps"]
    names = {d["name"] for d in listing}
    dumps = server.project / "data/ttl"
    committed = {p.name for p in dumps.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert names == committed
    expected = {"kgpub.trig": "application/trig", "kgpub.nq": "application/n-quads",
                "kgpub.jsonld": "application/ld+json", "void.ttl": "text/turtle",
                "kgpub.trig.gz": "application/gzip"}
    for name, media in expected.items():
        response = get(server, f"/dumps/{name}", headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media
        assert response.content == (dumps / name).read_bytes()
        etag, modified = response.headers["etag"], response.headers["last-modified"]
        assert get(server, f"/dumps/{name}", headers={
            "If-None-Match": etag, "Accept-Encoding": "identity"}).status_code == 304
        assert get(server, f"/dumps/{name}", headers={
            "If-Modified-Since": modified, "Accept-Encoding": "identity"}).status_code == 304
    zipped = httpx.get(server.url + "/dumps/kgpub.trig", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == (dumps / "kgpub.trig").read_bytes()  # httpx decodes
    assert gzip.decompress((dumps / "kgpub.trig.gz").read_bytes()) == zipped.content


@pytest.mark.parametrize("path", [
    "/dumps/../pyproject.toml", "/dumps/..%2Fpyproject.toml", "/dumps/%2e%2e%2fREADME.md",
    "/dumps/..%2F..%2Fetc%2Fpasswd", "/static/../web/app.py", "/static/..%2Fweb%2Fapp.py",
    "/id/../../etc/passwd", "/id/..%2F..%2Fetc%2Fpasswd",
])
def test_path_traversal_stays_inside(server, path: str) -> None:
    response = httpx.get(server.url + path)
    assert response.status_code in (404, 400), path
    assert "[build-system]" not in response.text and "root:" not in response.text
    assert "import" not in response.text


def test_void_with_dcat(server) -> None:
    response = get(server, "/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    void = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef(f"{KG}id/dataset")
    assert (dataset, RDF.type, VOID.Dataset) in void and (dataset, RDF.type, DCAT.Dataset) in void
    distributions = set(void.objects(dataset, DCAT.distribution))
    assert len(distributions) >= 5
    triples = int(next(void.objects(dataset, VOID.triples)))
    health = get(server, "/healthz").json()
    assert health["status"] == "ok" and health["triples"] == triples
    as_jsonld = get(server, "/.well-known/void", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=as_jsonld.content, format="json-ld")) == len(void)


def test_cors_allows_any_origin_without_credentials(server) -> None:
    response = get(server, "/sparql", params={"query": "ASK {}"},
                   headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = httpx.options(server.url + "/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 200


def _user_file(tmp_path: Path) -> Path:
    data = tmp_path / "mine.ttl"
    data.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "ex:alice ex:knows ex:bob ; ex:name \"Alice\" .\n", encoding="utf-8")
    return data


def test_serving_someone_elses_files(tmp_path: Path) -> None:
    data = _user_file(tmp_path)
    srv = RunningServer(["--data", str(data), "--workers", "1",
                         "--base-iri", "http://example.org/"], tmp_path / "log").wait_ready()
    try:
        response = httpx.get(srv.url + "/sparql", params={
            "query": "SELECT ?n WHERE { ?s <http://example.org/name> ?n }"})
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "Alice"
        redirect = httpx.get(srv.url + "/alice", headers={"Accept": "text/turtle"})
        assert redirect.status_code == 303
        doc = httpx.get(srv.url + redirect.headers["location"])
        graph = Graph().parse(data=doc.text, format="turtle")
        assert (URIRef("http://example.org/alice"), URIRef("http://example.org/name"),
                Literal("Alice")) in graph
        assert httpx.get(srv.url + "/dumps/mine.ttl").content == data.read_bytes()
        void = Graph().parse(data=httpx.get(srv.url + "/.well-known/void").text, format="turtle")
        assert int(next(void.objects(None, VOID.triples))) == 2
    finally:
        srv.stop()


def test_unreadable_data_stops_the_server_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kgpub.cli", "serve", "--data", str(broken), "--port", "1"],
        capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 2
    assert "broken.ttl" in result.stderr and "line 2" in result.stderr, result.stderr


def test_on_disk_store_survives_a_restart(tmp_path: Path) -> None:
    data = _user_file(tmp_path)
    store = tmp_path / "store"
    args = ["--data", str(data), "--store", str(store), "--workers", "2"]
    query = {"query": "SELECT ?n WHERE { ?s <http://example.org/name> ?n }"}
    for attempt, expected in ((1, "loaded"), (2, "not reloaded")):
        log = tmp_path / f"log{attempt}"
        srv = RunningServer(args, log).wait_ready()
        try:
            rows = httpx.get(srv.url + "/sparql", params=query).json()["results"]["bindings"]
            assert rows[0]["n"]["value"] == "Alice"
        finally:
            srv.stop()
        assert expected in log.read_text(), log.read_text()
        # The search index is kept in the store directory: a restart on the same files makes
        # none (at 10,000 articles making it takes minutes).
        made = "made the search index" in log.read_text()
        assert made == (attempt == 1), log.read_text()
    # The start-up counts are kept in the store directory too, for the data it holds: what is
    # kept is what a start on that data uses (checked by changing it), and a reload counts anew.
    import json as _json

    counts = store / "kgpub-counts.json"
    kept = _json.loads(counts.read_text(encoding="utf-8"))
    real = sum(kept["sizes"].values()) + kept["default"]
    counts.write_text(_json.dumps({**kept, "default": kept["default"] + 1000}), encoding="utf-8")
    srv = RunningServer(args, tmp_path / "log-counts").wait_ready()
    try:
        void = httpx.get(srv.url + "/.well-known/void", headers={"Accept": "text/turtle"}).text
        assert f"void:triples {real + 1000}" in void, void
    finally:
        srv.stop()
    data.write_text(data.read_text().replace("Alice", "Alicia"), encoding="utf-8")
    srv = RunningServer(args, tmp_path / "log3").wait_ready()  # changed file: reloaded
    try:
        rows = httpx.get(srv.url + "/sparql", params=query).json()["results"]["bindings"]
        assert [r["n"]["value"] for r in rows] == ["Alicia"]
        void = httpx.get(srv.url + "/.well-known/void", headers={"Accept": "text/turtle"}).text
        assert f"void:triples {real}" in void, void
    finally:
        srv.stop()
    assert "made the search index" in (tmp_path / "log3").read_text()


REFUSE_GZIP = ["gzip;q=0, identity", "identity", "gzip;q=0, *", "*;q=0, identity",
               "x-gzip;q=0, gzip;q=0.0", "deflate", "gzip ; q=0"]
TAKE_GZIP = ["gzip", "*", "br, gzip;q=0.5", "GZIP", "deflate, gzip;q=0.001", "identity, x-gzip"]


@pytest.mark.parametrize("path", ["/dumps/kgpub.trig", "/dumps/kgpub.jsonld",
                                  "/.well-known/void", "/"])
def test_gzip_only_to_clients_that_take_it(server, path: str) -> None:
    """Accept-Encoding by its q-values, for precompressed dumps and for compressed responses."""
    for value in REFUSE_GZIP:
        response = get(server, path, headers={"Accept-Encoding": value})
        assert response.status_code == 200
        assert "content-encoding" not in response.headers, (path, value)
    for value in TAKE_GZIP:
        response = get(server, path, headers={"Accept-Encoding": value})
        assert response.headers.get("content-encoding") == "gzip", (path, value)
        assert "Accept-Encoding" in response.headers["vary"], (path, value)
