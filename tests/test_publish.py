"""`kgpub publish` against real stores started here: Oxigraph's server and Virtuoso 7."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from fidelity import VIRTUOSO_DURATION, assert_endpoint_answers_the_dumps, dump_quads
from stores import OxigraphServer, StoreServer, VirtuosoServer

from kgpub.cli import main
from kgpub.publish import (
    LOG_GRAPH,
    UNION_GRAPH,
    Endpoints,
    PublishError,
    PublishOptions,
    StoreClient,
    parse_log,
    publish,
)

KGG = "https://w3id.org/kgpub/graph/"
LINKS = KGG + "links"


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request, tmp_path: Path):
    kind = OxigraphServer if request.param == "oxigraph" else VirtuosoServer
    with kind(tmp_path / request.param) as srv:
        yield srv


def run(store: StoreServer, *args: str, data: Path | None = None, password: str | None = None):
    argv = ["publish", "--gsp", store.gsp, "--sparql", store.query, "--update", store.update,
            "--retries", "1"]
    if store.auth:
        argv += ["--user", store.auth[0], "--password", password or store.auth[1]]
    if data is not None:
        argv += ["--data", str(data)]
    return CliRunner().invoke(main, [*argv, *args])


def counts(store: StoreServer, graphs: list[str]) -> dict[str, int]:
    values = " ".join(f"<{g}>" for g in graphs)
    response = httpx.post(store.query, data={"query": f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ "
                                             f"VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
                                             " GROUP BY ?g"},
                          headers={"Accept": "application/sparql-results+json"})
    rows = response.json()["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def the_log(store: StoreServer):
    auth = httpx.DigestAuth(*store.auth) if store.auth else None
    key = "graph-uri" if "crud" in store.gsp else "graph"
    response = httpx.get(store.gsp, params={key: LOG_GRAPH}, auth=auth,
                         headers={"Accept": "application/n-triples"})
    return parse_log(LOG_GRAPH, [q.triple for q in ox.parse(response.content,
                                                            format=ox.RdfFormat.N_TRIPLES)])


def write_nq(path: Path, quads) -> Path:
    path.write_bytes(ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS))
    return path


def test_publish_changes_only_what_changed_and_the_store_answers_the_dumps(
        store, built, tmp_path: Path) -> None:
    dumps, result = built
    quads = dump_quads(dumps)
    first = run(store, data=dumps / "kgpub.nq")
    assert first.exit_code == 0, first.output
    assert f"{len(result.graph_sizes) + 1} graphs sent, 0 unchanged, 0 removed" in first.output
    expected = {g: n for g, n in result.graph_sizes.items()}
    assert counts(store, sorted(expected)) == expected
    log = the_log(store)
    assert log.union_graph == UNION_GRAPH and all(e.state == "current"
                                                  for e in log.entries.values())
    # What the store answers, with the union graph as default graph, is what the dumps say.
    masked = frozenset({VIRTUOSO_DURATION}) if store.name == "virtuoso" else frozenset()
    assert_endpoint_answers_the_dumps(store.query, dumps, masked, **{
        "default-graph-uri": UNION_GRAPH, "named-graph-uri": sorted(expected)})

    again = run(store, data=dumps / "kgpub.nq")
    total = len(result.graph_sizes) + 1  # and the union graph
    assert again.exit_code == 0 and f"0 graphs sent, {total} unchanged, 0 removed" in again.output

    # One graph changes, one disappears: only those are touched (and the union follows).
    changed = {q for q in quads if q.graph_name.value != KGG + "vocab"}
    changed.add(ox.Quad(ox.NamedNode("https://w3id.org/kgpub/id/x"),
                        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                        ox.Literal("new"), ox.NamedNode(LINKS)))
    data = write_nq(tmp_path / "changed.nq", changed)
    dry = run(store, "--dry-run", data=data)
    assert "would send 2 graphs" in dry.output and "remove 1" in dry.output, dry.output
    assert counts(store, [KGG + "vocab"]) == {KGG + "vocab": expected[KGG + "vocab"]}
    # The atomic path is Oxigraph's (one transaction per update). Virtuoso 7.2 fails a SPARQL
    # DROP of a graph holding an xsd:duration (its SR553), so it gets Graph Store PUTs.
    third = run(store, "--atomic" if store.name == "oxigraph" else "--chunk-triples=1000",
                data=data)
    assert third.exit_code == 0, third.output
    assert f"2 graphs sent, {total - 3} unchanged, 1 removed" in third.output, third.output
    assert f"sent     {LINKS}" in third.output and f"removed  {KGG}vocab" in third.output
    assert counts(store, [LINKS, KGG + "vocab"]) == {LINKS: expected[LINKS] + 1}

    # Back to the build, all at once through staging graphs and one switch.
    bulk = run(store, "--bulk", data=dumps / "kgpub.nq")
    assert bulk.exit_code == 0, bulk.output
    assert f"3 graphs sent, {total - 3} unchanged, 0 removed" in bulk.output, bulk.output
    assert counts(store, sorted(expected)) == expected
    staging = httpx.post(store.query, headers={"Accept": "application/sparql-results+json"},
                         data={"query": 'SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } '
                                        'FILTER(STRSTARTS(STR(?g), "urn:kgpub:staging:")) }'})
    assert staging.json()["results"]["bindings"] == []


def test_a_changed_store_fails_the_count_check_and_the_next_publish_repairs_it(
        tmp_path: Path, built) -> None:
    dumps, result = built
    with OxigraphServer(tmp_path / "ox") as store:
        assert run(store, data=dumps / "kgpub.nq").exit_code == 0
        httpx.post(store.update, data={"update": f"DELETE WHERE {{ GRAPH <{LINKS}> {{ "
                                                 "?s <http://www.w3.org/2002/07/owl#sameAs> ?o "
                                                 "} }"}).raise_for_status()
        broken = run(store, data=dumps / "kgpub.nq")
        assert broken.exit_code == 1
        assert f"<{LINKS}> where the dataset has {result.graph_sizes[LINKS]:,}" in broken.output
        assert "pending" in broken.output
        assert the_log(store).entries[LINKS].state == "pending"
        repaired = run(store, data=dumps / "kgpub.nq")
        assert repaired.exit_code == 0 and \
            f"1 graphs sent, {len(result.graph_sizes)} unchanged" in repaired.output
        assert counts(store, [LINKS]) == {LINKS: result.graph_sizes[LINKS]}


def test_a_store_that_dies_mid_publish_leaves_the_log_true_and_is_repaired(
        tmp_path: Path, built) -> None:
    dumps, result = built
    location = tmp_path / "ox"
    store = OxigraphServer(location)
    client = StoreClient(Endpoints(store.gsp, store.query, store.update), retries=0)
    sent = []

    def progress(n: int) -> None:
        sent.append(n)
        if len(sent) == 3:
            store.stop()  # the store goes down after the third graph

    with pytest.raises(PublishError) as failure:
        publish(client, PublishOptions(dumps / "kgpub.nq"), progress)
    client.close()
    message = str(failure.value)
    total = len(result.graph_sizes) + 1  # and the union graph
    assert "cannot connect" in message and f"3 of {total} graphs sent" in message, message
    with OxigraphServer(location, ) as again:  # the same database, restarted
        log = the_log(again)
        pending = [g for g, e in log.entries.items() if e.state == "pending"]
        assert len(pending) in (total - 3, total), pending
        repaired = run(again, data=dumps / "kgpub.nq")
        assert repaired.exit_code == 0, repaired.output
        assert f"{len(pending)} graphs sent" in repaired.output
        assert counts(again, sorted(result.graph_sizes)) == result.graph_sizes
        assert all(e.state == "current" for e in the_log(again).entries.values())


def test_wrong_password_is_refused_clearly(tmp_path: Path, built) -> None:
    dumps, _ = built
    with VirtuosoServer(tmp_path / "virtuoso") as store:
        result = run(store, data=dumps / "kgpub.nq", password="wrong")
        assert result.exit_code == 1
        assert "refused the credentials (HTTP 401)" in result.output, result.output
        assert "Traceback" not in result.output


def test_store_down_timeout_and_html_are_one_line_errors(tmp_path: Path, built) -> None:
    dumps, _ = built
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    down = CliRunner().invoke(main, ["publish", "--gsp", f"http://127.0.0.1:{port}/store",
                                     "--sparql", f"http://127.0.0.1:{port}/query",
                                     "--retries", "1", "--data", str(dumps / "kgpub.nq")])
    assert down.exit_code == 1
    assert "cannot connect to 127.0.0.1" in down.output and "is the store running" in down.output

    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    held = []
    stop = threading.Event()

    def hold() -> None:
        silent.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(silent.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        slow = CliRunner().invoke(main, ["publish", "--gsp", url + "/store", "--sparql",
                                         url + "/query", "--timeout", "0.5", "--retries", "1",
                                         "--data", str(dumps / "kgpub.nq")])
        assert slow.exit_code == 1
        assert "did not answer within 0.5 s (2 attempts)" in slow.output, slow.output
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        silent.close()

    page = HTTPServer(("127.0.0.1", 0), HtmlPage)  # a login page where the store should be
    serving = threading.Thread(target=page.serve_forever, daemon=True)
    serving.start()
    try:
        url = f"http://127.0.0.1:{page.server_port}/"
        html = CliRunner().invoke(main, ["publish", "--gsp", url, "--sparql", url, "--data",
                                         str(dumps / "kgpub.nq")])
    finally:
        page.shutdown()
        page.server_close()
        serving.join()
    assert html.exit_code == 1
    assert "answered text/html, not N-Triples" in html.output and "--gsp" in html.output, \
        html.output
    assert len(html.output.strip().splitlines()) == 1


class HtmlPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server asks for
        body = b"<!doctype html><title>Sign in</title><p>Please sign in"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_GET

    def log_message(self, *args: object) -> None:
        pass


def test_a_store_that_rejects_graphs(tmp_path: Path, built) -> None:
    dumps, _ = built
    OxigraphServer(tmp_path / "ox").stop()  # create the database, then serve it read-only
    with OxigraphServer(tmp_path / "ox", command="serve-read-only") as store:
        result = run(store, data=dumps / "kgpub.nq")
        assert result.exit_code == 1
        assert f"replacing graph <{LOG_GRAPH}>: 127.0.0.1" in result.output, result.output
        assert "refused it (HTTP 403" in result.output and "takes writes" in result.output


def test_dataset_with_default_graph_triples_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "plain.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    result = CliRunner().invoke(main, ["publish", "--gsp", "http://127.0.0.1:9/store",
                                       "--sparql", "http://127.0.0.1:9/query", "--data",
                                       str(data), "--dry-run", "--retries", "0"])
    assert result.exit_code == 2
    assert "plain.ttl: 1 triples are in the default graph" in result.output
