"""Does an endpoint answer what the dumps say? Shared by the tests of `kgpub serve` (local
workers and --backend) and of `kgpub publish` (the stores themselves)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox

from kgpub.dump import graph_file_name


def construct(url: str, query: str, **params: object) -> set[ox.Triple]:
    response = httpx.post(url, data={"query": query, **params}, timeout=60,
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text[:500]
    return {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}


def select(url: str, query: str, **params: object) -> list[ox.QuerySolution]:
    response = httpx.post(url, data={"query": query, **params}, timeout=60,
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text[:500]
    return list(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON))


def dump_quads(dumps: Path) -> set[ox.Quad]:
    quads = set(ox.parse(path=str(dumps / "kgpub.nq"), format=ox.RdfFormat.N_QUADS))
    # Without blank nodes, isomorphic is equal: the comparisons below are set equality.
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    return quads


# Virtuoso 7.2 keeps xsd:duration literals as numbers: "P6Y" comes back as "72" (months). The
# dataset has one (kgp:termLength); over Virtuoso that triple is compared without its value.
VIRTUOSO_DURATION = "https://w3id.org/kgpub/ontology#termLength"


def _masked(triples: set, masked: frozenset[str]) -> set:
    return {(t.subject, t.predicate) if t.predicate.value in masked else t for t in triples}


def assert_endpoint_answers_the_dumps(url: str, dumps: Path, masked: frozenset[str] = frozenset(),
                                      **params: object) -> None:
    """The default graph is the set union of the dump's graphs, every named graph holds exactly
    its quads, and every per-graph Turtle dump equals a CONSTRUCT of its graph (the values of
    `masked` predicates excepted: see VIRTUOSO_DURATION)."""
    quads = dump_quads(dumps)
    union = {q.triple for q in quads}
    everything = construct(url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", **params)
    assert len(everything) == len(union)
    assert _masked(everything, masked) == _masked(union, masked)
    (count,) = select(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **params)
    assert int(count["n"].value) == len(union)  # a set: no triple counted twice
    rows = select(url, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **params)
    served = {ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows}
    assert len(served) == len(quads)
    assert {(q.graph_name, t) for q in served for t in _masked({q.triple}, masked)} == \
        {(q.graph_name, t) for q in quads for t in _masked({q.triple}, masked)}
    graphs = {q.graph_name.value for q in quads}
    for graph in graphs:
        path = dumps / graph_file_name(graph)
        if not path.exists():
            continue  # nanopublication envelopes are only in the whole-dataset dumps
        expected = {q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}
        got = construct(url, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                        **params)
        assert _masked(got, masked) == _masked(expected, masked), graph
