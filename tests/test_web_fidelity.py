"""The endpoint answers what the dumps say: set semantics of the default graph, literals as
published, every format name clients send, and 400 for a POST without a query."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from conftest import ROOT, RunningServer
from fidelity import assert_endpoint_answers_the_dumps, select
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

KG = "https://w3id.org/kgpub/"
KYRGYZSTAN = URIRef(f"{KG}id/country/kyrgyzstan")
COUNTRIES = f"SELECT ?c ?l WHERE {{ ?c a <{KG}ontology#Country> ; " \
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?c"
CONSTRUCT = f"CONSTRUCT {{ <{KYRGYZSTAN}> ?p ?o }} WHERE {{ <{KYRGYZSTAN}> ?p ?o }}"


def dataset_counts() -> tuple[int, int]:
    """Quads of the committed dataset, and distinct triples (the default graph as a set)."""
    quads = list(ox.parse(path=str(ROOT / "data/ttl/kgpub.nq"), format=ox.RdfFormat.N_QUADS))
    return len(quads), len({q.triple for q in quads})


@pytest.fixture(scope="module")
def roomy(tmp_path_factory, checkout):
    """The default dataset with the default result cap (CONSTRUCT of everything fits)."""
    srv = RunningServer(["--root", str(checkout), "--workers", "2"],
                        tmp_path_factory.mktemp("roomy") / "log", cwd=checkout)
    yield srv.wait_ready()
    srv.stop()


def test_construct_of_everything_and_every_dump_agree(roomy) -> None:
    assert_endpoint_answers_the_dumps(roomy.url + "/sparql", ROOT / "data/ttl")


def test_bag_setting_counts_each_graph_s_copy(tmp_path, checkout) -> None:
    srv = RunningServer(["--root", str(checkout), "--workers", "1", "--default-graph", "bag"],
                        tmp_path / "log", cwd=checkout)
    quads, triples = dataset_counts()
    try:
        srv.wait_ready()
        (row,) = select(srv.url + "/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        (distinct,) = select(srv.url + "/sparql",
                             "SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?s ?p ?o }")
        assert int(row["n"].value) == quads > int(distinct["n"].value) == triples
        health = httpx.get(srv.url + "/healthz").json()
        assert health["triples"] == quads
    finally:
        srv.stop()


def test_counts_stay_quads_with_the_set_default(roomy) -> None:
    quads, triples = dataset_counts()
    assert httpx.get(roomy.url + "/healthz").json()["triples"] == quads
    (row,) = select(roomy.url + "/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(row["n"].value) == triples


def test_post_without_a_query_is_400_get_is_the_service_description(server) -> None:
    for kwargs in ({"data": {"default-graph-uri": f"{KG}graph/links"}},
                   {"data": {}, "headers": {"Content-Type": "application/x-www-form-urlencoded"}}):
        response = httpx.post(server.url + "/sparql", timeout=10, **kwargs)
        assert response.status_code == 400, response.text
        assert "no query" in response.text
    sd = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200 and "sparql-service-description" in sd.text


@pytest.mark.parametrize(("query", "fmt", "media"), [
    (COUNTRIES, "json", "application/sparql-results+json"),
    (COUNTRIES, "xml", "application/sparql-results+xml"),
    (COUNTRIES, "csv", "text/csv"),
    (COUNTRIES, "tsv", "text/tab-separated-values"),
    (CONSTRUCT, "json", "application/ld+json"),
    (CONSTRUCT, "xml", "application/rdf+xml"),
    (CONSTRUCT, "json-ld", "application/ld+json"),
    (CONSTRUCT, "jsonld", "application/ld+json"),
    (CONSTRUCT, "turtle", "text/turtle"),
    (CONSTRUCT, "ttl", "text/turtle"),
    (CONSTRUCT, "n-triples", "application/n-triples"),
    (CONSTRUCT, "nt", "application/n-triples"),
    (CONSTRUCT, "rdf+xml", "application/rdf+xml"),
    (CONSTRUCT, "rdf", "application/rdf+xml"),
    (CONSTRUCT, "n3", "text/n3"),
])
def test_format_names_clients_send(server, query: str, fmt: str, media: str) -> None:
    response = httpx.get(server.url + "/sparql", params={"query": query, "format": fmt})
    assert response.status_code == 200, (fmt, response.text)
    assert response.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize("fmt", ["JSON", "XML", "CSV", "TSV", "TURTLE", "N3", "RDF", "RDFXML",
                                 "JSONLD"])
def test_every_sparqlwrapper_return_format(server, fmt: str) -> None:
    """SPARQLWrapper sends its format as `format=` (twice for json-ld, tsv and rdf+xml: the name
    and the media types) beside an Accept header; each must be understood, GET and POST."""
    import SPARQLWrapper as sw

    graph_form = fmt in ("TURTLE", "N3", "RDF", "RDFXML", "JSONLD")
    for method in ("GET", "POST"):
        client = sw.SPARQLWrapper(server.url + "/sparql")
        client.setMethod(method)
        client.setQuery(CONSTRUCT if graph_form else COUNTRIES)
        client.setReturnFormat(getattr(sw, fmt))
        result = client.query()
        assert result.response.status == 200, (fmt, method)
        converted = result.convert()
        if graph_form:
            graph = converted if isinstance(converted, Graph) else Graph().parse(
                data=converted, format={"TURTLE": "turtle", "N3": "n3"}.get(fmt, "xml"))
            assert (KYRGYZSTAN, RDF.type, URIRef(f"{KG}ontology#Country")) in graph, fmt
        elif fmt == "JSON":
            assert str(KYRGYZSTAN) in {b["c"]["value"] for b in converted["results"]["bindings"]}
        elif fmt == "XML":
            assert converted.getElementsByTagName("result")
        else:
            assert str(KYRGYZSTAN) in (converted.decode() if isinstance(converted, bytes)
                                       else converted)
