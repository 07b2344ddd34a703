"""The W3C SPARQL 1.1 Protocol test suite, run against `kgpub serve` over HTTP.

Every query test of the suite must pass. The endpoint is read-only, so every update test must
be refused with a 4xx status (the suite expects 2xx for the valid ones: a deliberate deviation).
"""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from conftest import RunningServer
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.query import Result

SUITE = Path(__file__).resolve().parent / "w3c" / "protocol"  # a copy of the W3C files
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")


def _manifest() -> Graph:
    return Graph().parse(SUITE / "manifest.ttl", format="turtle",
                         publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
                                  "protocol/manifest")


def _tests() -> list[tuple[str, URIRef]]:
    g = _manifest()
    entries = next(g.objects(None, MF.entries))
    return [(str(t).rsplit("#", 1)[-1], t) for t in Collection(g, entries)]


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory):
    """One server holding every graph the suite's tests name (ut:graphData)."""
    g = _manifest()
    out = tmp_path_factory.mktemp("w3c")
    lines = []
    for node in set(g.objects(None, UT.graphData)):
        name = str(next(g.objects(node, RDFS.label)))
        source = Path(str(next(g.objects(node, UT.graph))).removeprefix("file://"))
        source = SUITE / source.name
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(line.rstrip().removesuffix(".").rstrip() + f" <{name}> .")
    data = out / "protocol.nq"
    data.write_text("\n".join(sorted(set(lines))) + "\n", encoding="utf-8")
    srv = RunningServer(["--data", str(data), "--workers", "2"], out / "log").wait_ready()
    yield srv
    srv.stop()


def _status_ok(status: int, expected: set[str]) -> bool:
    return any(str(e).endswith(f"StatusCode{status // 100}xx") for e in expected)


@pytest.mark.parametrize(("name", "test"), _tests(), ids=[n for n, _ in _tests()])
def test_protocol_case(w3c_server, name: str, test: URIRef) -> None:
    g = _manifest()
    action = next(g.objects(test, MF.action))
    requests = Collection(g, next(g.objects(action, HT.requests)))
    for request in requests:
        method = str(next(g.objects(request, HT.methodName)))
        path = str(next(g.objects(request, HT.absolutePath))).replace("/sparql/", "/sparql", 1)
        headers = {}
        for lst in g.objects(request, HT.headers):
            for h in Collection(g, lst):
                headers[str(next(g.objects(h, HT.fieldName)))] = \
                    str(next(g.objects(h, HT.fieldValue)))
        content = None
        for body in g.objects(request, HT.body):
            encoding = str(next(g.objects(body, CNT.characterEncoding), "UTF-8"))
            content = str(next(g.objects(body, CNT.chars))).encode(encoding.lower())
        response = httpx.request(method, w3c_server.url + path, headers=headers, content=content,
                                 timeout=30)
        resp = next(g.objects(request, HT.resp))
        expected = set(g.objects(resp, MF.expectedStatus))
        is_update = "update" in name
        if is_update:  # the first request is the update; what follows checks its effect
            assert 400 <= response.status_code < 500, (name, response.status_code)
            break
        assert _status_ok(response.status_code, expected), (name, response.status_code,
                                                            response.text)
        fmt = next(g.objects(resp, MF.expectedFormat), None)
        media = response.headers.get("content-type", "").split(";")[0]
        if fmt is not None and str(fmt) in ("boolean", "tabular"):
            parser = {"application/sparql-results+json": "json",
                      "application/sparql-results+xml": "xml", "text/csv": "csv",
                      "text/tab-separated-values": "tsv"}[media]
            result = Result.parse(io.BytesIO(response.content), format=parser)
            boolean = next(g.objects(resp, MF.expectedBoolean), None)
            if boolean is not None:
                assert result.askAnswer is boolean.toPython(), name
        elif fmt is not None and str(fmt) == "RDF":
            parser = {"text/turtle": "turtle", "application/rdf+xml": "xml",
                      "application/n-triples": "nt", "application/ld+json": "json-ld"}[media]
            Graph().parse(data=response.content, format=parser)  # may be empty, must parse
    assert (test, RDF.type, MF.ProtocolTest) in g
