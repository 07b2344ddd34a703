"""The SPARQL 1.1 Protocol at /sparql, driven over real HTTP against a `kgpub serve` process."""

from __future__ import annotations

import io
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.query import Result

ROOT = Path(__file__).resolve().parents[1]
KG = "https://w3id.org/kgpub/"
COUNTRIES = f"SELECT ?c ?l WHERE {{ ?c a <{KG}ontology#Country> ; " \
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?c"
KYRGYZSTAN = URIRef(f"{KG}id/country/kyrgyzstan")
CONSTRUCT = f"CONSTRUCT {{ <{KYRGYZSTAN}> ?p ?o }} WHERE {{ <{KYRGYZSTAN}> ?p ?o }}"
SD = "http://www.w3.org/ns/sparql-service-description#"


def _countries(result: Result) -> set[str]:
    return {str(row[0]) for row in result}


def _sparql(server, **kw) -> httpx.Response:
    return httpx.request(kw.pop("method", "GET"), server.url + "/sparql", timeout=30, **kw)


def test_get_post_form_and_post_direct_agree(server) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = _sparql(server, params={"query": COUNTRIES}, headers=accept)
    by_form = _sparql(server, method="POST", data={"query": COUNTRIES}, headers=accept)
    by_body = _sparql(server, method="POST", content=COUNTRIES.encode(),
                      headers={**accept, "Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
    bindings = by_get.json()["results"]["bindings"]
    assert str(KYRGYZSTAN) in {b["c"]["value"] for b in bindings}
    assert by_form.json() == by_get.json() == by_body.json()


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
])
def test_select_result_formats_parse_to_the_same_rows(server, accept: str, fmt: str) -> None:
    response = _sparql(server, params={"query": COUNTRIES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert "Accept" in response.headers["vary"]
    rows = _countries(Result.parse(io.BytesIO(response.content), format=fmt))
    assert str(KYRGYZSTAN) in rows and len(rows) > 5


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
    ("application/trig", "trig"),
    ("application/n-quads", "nquads"),
])
def test_construct_formats_parse_to_the_same_graph(server, accept: str, fmt: str) -> None:
    response = _sparql(server, params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph()
    graph.parse(data=response.content, format=fmt)
    assert (KYRGYZSTAN, URIRef("http://www.w3.org/2002/07/owl#sameAs"),
            URIRef("http://www.wikidata.org/entity/Q813")) in graph
    assert (KYRGYZSTAN, RDF.type, URIRef(f"{KG}ontology#Country")) in graph


def test_ask_and_describe(server) -> None:
    ask = _sparql(server, params={"query": f"ASK {{ <{KYRGYZSTAN}> ?p ?o }}"})
    assert ask.json() == {"head": {}, "boolean": True}
    describe = _sparql(server, params={"query": f"DESCRIBE <{KYRGYZSTAN}>"},
                       headers={"Accept": "text/turtle"})
    assert describe.status_code == 200
    assert len(Graph().parse(data=describe.text, format="turtle")) > 3


def test_q_values_choose_and_406_when_nothing_fits(server) -> None:
    chosen = _sparql(server, params={"query": COUNTRIES},
                     headers={"Accept": "text/csv;q=0.4, application/sparql-results+xml;q=0.8"})
    assert chosen.headers["content-type"].startswith("application/sparql-results+xml")
    refused = _sparql(server, params={"query": COUNTRIES}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.text
    graph_as_csv = _sparql(server, params={"query": CONSTRUCT, "format": "csv"})
    assert graph_as_csv.status_code == 406


def test_format_parameter_overrides_accept(server) -> None:
    response = _sparql(server, params={"query": COUNTRIES, "format": "tsv"},
                       headers={"Accept": "application/sparql-results+json"})
    assert response.headers["content-type"].startswith("text/tab-separated-values")


def test_malformed_query_is_400_with_line_and_column(server) -> None:
    response = _sparql(server, params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "3:1" in response.text or "2:" in response.text, response.text


def test_protocol_dataset_parameters(server) -> None:
    graph = f"{KG}graph/links"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }"
    everything = _sparql(server, params={"query": query}).json()
    only_links = _sparql(server, params={"query": query, "default-graph-uri": graph}).json()
    only_entities = _sparql(server, params={
        "query": query, "default-graph-uri": f"{KG}graph/entities"}).json()
    n = [int(r["results"]["bindings"][0]["n"]["value"])
         for r in (everything, only_links, only_entities)]
    assert n[0] >= n[1] > 0 and n[2] == 0
    named = _sparql(server, params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": [graph, f"{KG}graph/vocab"]}).json()
    assert {b["g"]["value"] for b in named["results"]["bindings"]} == {graph, f"{KG}graph/vocab"}
    from_clause = _sparql(server, params={"query": query.replace("WHERE", f"FROM <{graph}> WHERE")
                                          }).json()
    assert int(from_clause["results"]["bindings"][0]["n"]["value"]) == n[1]


def test_service_description_without_query(server) -> None:
    response = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    sd = Graph().parse(data=response.text, format="turtle")
    service = next(sd.subjects(RDF.type, URIRef(SD + "Service")))
    assert (service, URIRef(SD + "endpoint"), URIRef(server.url + "/sparql")) in sd
    assert (service, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in sd
    assert (service, URIRef(SD + "feature"), URIRef(SD + "BasicFederatedQuery")) not in sd
    names = set(sd.objects(None, URIRef(SD + "name")))
    assert URIRef(f"{KG}graph/entities") in names
    as_xml = httpx.get(server.url + "/sparql", headers={"Accept": "application/rdf+xml"})
    assert len(Graph().parse(data=as_xml.content, format="xml")) == len(sd)


def test_browsers_get_the_query_page(server) -> None:
    response = httpx.get(server.url + "/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(("method", "path", "kw"), [
    ("POST", "/sparql", {"data": {"update": "INSERT DATA { <a:a> <a:b> <a:c> }"}}),
    ("POST", "/sparql", {"content": b"DROP ALL",
                         "headers": {"Content-Type": "application/sparql-update"}}),
    ("POST", "/sparql", {"data": {"query": "CLEAR ALL"}}),
    ("GET", "/sparql", {"params": {"query": "LOAD <http://example.org/x>"}}),
    ("PUT", "/sparql", {"content": b"<a:a> <a:b> <a:c> ."}),
    ("DELETE", "/sparql", {}),
    ("POST", "/id/country/kyrgyzstan", {"content": b"<a:a> <a:b> <a:c> ."}),
    ("PUT", "/dumps/kgpub.trig", {"content": b""}),
    ("DELETE", "/dumps/kgpub.trig", {}),
    ("PATCH", "/", {}),
    ("POST", "/data/id/country/kyrgyzstan", {"content": b""}),
])
def test_every_update_form_is_refused(server, method: str, path: str, kw: dict) -> None:
    response = httpx.request(method, server.url + path, timeout=10, **kw)
    assert 400 <= response.status_code < 500, (method, path, response.status_code)
    count = _sparql(server, params={"query": "ASK { <a:a> ?p ?o }"}).json()
    assert count["boolean"] is False


def test_no_query_reaches_another_host_or_a_file(server, canary, tmp_path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:secret> <urn:is> <urn:leaked> .\n")
    target = f"http://127.0.0.1:{canary.port}/sparql"
    attempts = [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    ]
    for query in attempts:
        response = _sparql(server, params={"query": query})
        assert response.status_code in (200, 403), response.text
        assert "leaked" not in response.text and "root:" not in response.text
        if response.status_code == 200 and "CONSTRUCT" not in query:
            assert response.json()["results"]["bindings"] == []
    for graph in (target, secret.as_uri()):
        response = _sparql(server, params={"query": "SELECT * WHERE { ?s ?p ?o }",
                                           "default-graph-uri": graph})
        assert response.json()["results"]["bindings"] == []
    time.sleep(0.3)
    assert canary.hits == []


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_runaway_query_is_stopped_while_others_are_served(server) -> None:
    def runaway() -> tuple[int, float, str]:
        start = time.monotonic()
        response = _sparql(server, params={"query": RUNAWAY})
        return response.status_code, time.monotonic() - start, response.text

    with ThreadPoolExecutor(4) as pool:
        slow = pool.submit(runaway)
        time.sleep(0.3)
        cheap = []
        while not slow.done():
            start = time.monotonic()
            response = _sparql(server, params={"query": COUNTRIES})
            cheap.append((response.status_code, time.monotonic() - start))
            time.sleep(0.1)
        status, seconds, text = slow.result()
    assert status == 503 and "limit" in text
    assert seconds < 3 + 10  # stopped by the server's --timeout (3 s), with room for a slow host
    assert cheap and all(code == 200 for code, _ in cheap)
    assert max(t for _, t in cheap) < 3  # none waited for the runaway to end
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        health = httpx.get(server.url + "/healthz").json()
        if health["alive"] == health["workers"] and health["replaced"] >= 1:
            break
        time.sleep(0.2)
    assert health["alive"] == health["workers"] and health["timeouts"] >= 1


def test_result_size_cap(server) -> None:
    response = _sparql(server, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 422
    assert "LIMIT" in response.text
    assert _sparql(server, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"}).is_success


def test_request_body_cap(server) -> None:
    body = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 * 1024 * 1024)
    response = _sparql(server, method="POST", content=body.encode(),
                       headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_deeply_nested_query_is_refused_and_server_stays_up(server) -> None:
    query = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    response = _sparql(server, method="POST", content=query.encode(),
                       headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and "nested" in response.text
    assert _sparql(server, params={"query": COUNTRIES}).is_success


def test_unsupported_post_body(server) -> None:
    response = _sparql(server, method="POST", content=b"{}",
                       headers={"Content-Type": "application/json"})
    assert response.status_code == 415


def test_competency_questions_over_http_match_the_library(server, store) -> None:
    from kgpub.query import run

    for path in sorted((ROOT / "queries").glob("cq*.rq")):
        text = path.read_text(encoding="utf-8")
        response = _sparql(server, params={"query": text}, headers={"Accept": "text/csv"})
        assert response.status_code == 200, (path.name, response.text)
        served = Result.parse(io.BytesIO(response.content), format="csv")
        local = run(store, text)
        names = [v.value for v in local.variables]
        local_rows = sorted(tuple(sol[v].value if sol[v] is not None else "" for v in names)
                            for sol in local)
        served_rows = sorted(tuple(str(c) if c is not None else "" for c in row)
                             for row in served)
        assert served_rows == local_rows, path.name


def test_sparqlwrapper_client(server) -> None:
    from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(COUNTRIES)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert str(KYRGYZSTAN) in {r["c"]["value"] for r in rows}
    client.setReturnFormat(XML)
    assert client.query().convert().getElementsByTagName("result")
    client.setMethod("POST")
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (KYRGYZSTAN, RDF.type, URIRef(f"{KG}ontology#Country")) in graph
    client.setQuery(f"ASK {{ <{KYRGYZSTAN}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore_client(server) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server.url + "/sparql", returnFormat="xml"))
    rows = list(graph.query(COUNTRIES))
    assert KYRGYZSTAN in {row[0] for row in rows}
    assert (KYRGYZSTAN, URIRef("http://www.w3.org/2002/07/owl#sameAs"),
            URIRef("http://www.wikidata.org/entity/Q813")) in graph
