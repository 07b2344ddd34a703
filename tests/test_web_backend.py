"""`kgpub serve --backend` over Oxigraph's server and Virtuoso, both started here and filled
with `kgpub publish`: the same pages, /sparql and answers as with local workers."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from conftest import ROOT, RunningServer
from fidelity import VIRTUOSO_DURATION, assert_endpoint_answers_the_dumps
from rdflib import Graph, URIRef
from stores import OxigraphServer, VirtuosoServer

from kgpub.cli import main

KG = "https://w3id.org/kgpub/"


def publish(store, dumps: Path) -> None:
    argv = ["publish", "--gsp", store.gsp, "--sparql", store.query, "--data",
            str(dumps / "kgpub.nq")]
    if store.auth:
        argv += ["--user", store.auth[0], "--password", store.auth[1]]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def backed(request, tmp_path_factory, checkout):
    """(kgpub serve --backend, the store) with the default dataset published into the store."""
    directory = tmp_path_factory.mktemp(request.param)
    kind = OxigraphServer if request.param == "oxigraph" else VirtuosoServer
    with kind(directory / "store") as store:
        publish(store, ROOT / "data/ttl")
        srv = RunningServer(["--backend", store.query, "--root", str(checkout), "--workers", "2",
                             "--timeout", "3"],
                            directory / "serve.log")
        try:
            yield srv.wait_ready(), store
        finally:
            srv.stop()


def test_answers_are_the_dumps(backed) -> None:
    srv, store = backed
    masked = frozenset({VIRTUOSO_DURATION}) if store.name == "virtuoso" else frozenset()
    assert_endpoint_answers_the_dumps(srv.url + "/sparql", ROOT / "data/ttl", masked)


def test_pages_linked_data_void_and_dumps(backed) -> None:
    srv, _ = backed
    quads = len((ROOT / "data/ttl/kgpub.nq").read_bytes().splitlines())
    home = httpx.get(srv.url + "/", headers={"Accept": "text/html"})
    assert home.status_code == 200 and f"{quads:,}" in home.text
    page = httpx.get(srv.url + "/page/id/country/kyrgyzstan")
    assert page.status_code == 200 and "Kyrgyzstan" in page.text
    first = httpx.get(srv.url + "/id/country/kyrgyzstan", headers={"Accept": "text/turtle"})
    assert first.status_code == 303
    doc = httpx.get(srv.url + first.headers["location"])
    graph = Graph().parse(data=doc.text, format="turtle")
    assert (URIRef(f"{KG}id/country/kyrgyzstan"), URIRef("http://www.w3.org/2002/07/owl#sameAs"),
            URIRef("http://www.wikidata.org/entity/Q813")) in graph
    assert httpx.get(srv.url + "/id/country/atlantis").status_code == 404  # ASK answered false
    void = httpx.get(srv.url + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert void.status_code == 200
    dump = httpx.get(srv.url + "/dumps/kgpub.nq", headers={"Accept-Encoding": "identity"})
    assert dump.content == (ROOT / "data/ttl/kgpub.nq").read_bytes()
    health = httpx.get(srv.url + "/healthz").json()
    assert health["status"] == "ok" and health["triples"] == quads


def test_the_gate_holds_and_no_other_host_is_reached(backed, canary) -> None:
    srv, _ = backed
    target = f"http://127.0.0.1:{canary.port}/"
    refused = {
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}": 403,
        f'PREFIX b: <bif:> SELECT (b:http_get("{target}") AS ?x) WHERE {{}}': 403,
        f'DEFINE get:soft "replace" SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}': 400,
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }": 403,
        "SELECT * WHERE { ?s ?p }": 400,
    }
    for query, status in refused.items():
        response = httpx.post(srv.url + "/sparql", data={"query": query})
        assert response.status_code == status, (query, response.text)
    for query in (f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"):
        response = httpx.post(srv.url + "/sparql", data={"query": query},
                              headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    time.sleep(0.3)
    assert canary.hits == []


def test_errors_are_mapped_like_the_local_endpoint(backed) -> None:
    srv, _ = backed
    bad = httpx.get(srv.url + "/sparql", params={"query": "SELECT * WHERE {\n ?s ?p \n}"})
    assert bad.status_code == 400 and "malformed" in bad.text  # Oxigraph's line and column
    assert httpx.get(srv.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                     headers={"Accept": "image/png"}).status_code == 406
    assert httpx.post(srv.url + "/sparql", data={"default-graph-uri": KG}).status_code == 400


def test_time_limit_and_result_cap(tmp_path: Path, checkout: Path) -> None:
    """Oxigraph only: a runaway goes on inside the store after kgpub gives up (kgpub closes the
    connection); Oxigraph's own --timeout-s stops it there, Virtuoso would run it to the end."""
    with OxigraphServer(tmp_path / "store", "--timeout-s", "20") as store:
        publish(store, ROOT / "data/ttl")
        srv = RunningServer(["--backend", store.query, "--root", str(checkout), "--timeout", "2",
                             "--max-result-bytes", "200000"], tmp_path / "log").wait_ready()
        try:
            started = time.monotonic()
            runaway = httpx.get(srv.url + "/sparql", timeout=30, params={
                "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
            assert runaway.status_code == 503 and "limit" in runaway.text
            assert time.monotonic() - started < 2 + 10  # stopped by --timeout 2, not Oxigraph's 20
            big = httpx.get(srv.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
            assert big.status_code == 422 and "LIMIT" in big.text
            small = httpx.get(srv.url + "/sparql",
                              params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
            assert small.status_code == 200
            store.stop()  # the store goes away under a running kgpub
            gone = httpx.get(srv.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert gone.status_code == 502 and "cannot be reached" in gone.text
            assert "Traceback" not in gone.text
        finally:
            srv.stop()


def test_a_backend_that_is_no_sparql_endpoint_stops_serve_with_one_line(tmp_path: Path) -> None:
    with OxigraphServer(tmp_path / "store") as store:
        for url, says in ((store.url + "/", "answered HTTP"),
                          ("http://127.0.0.1:9/sparql", "cannot be reached")):
            result = subprocess.run(
                [sys.executable, "-m", "kgpub.cli", "serve", "--backend", url, "--port", "1"],
                capture_output=True, text=True, timeout=60, cwd=ROOT)
            assert result.returncode == 2, result.stderr
            assert says in result.stderr and "Traceback" not in result.stderr, result.stderr
