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


def assert_endpoint_answers_the_dumps(url: str, dumps: Path, **params: object) -> None:
    """The default graph is the set union of the dump's graphs, every named graph holds exactly
    its quads, and every per-graph Turtle dump equals a CONSTRUCT of its graph."""
    quads = dump_quads(dumps)
    union = {q.triple for q in quads}
    assert construct(url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", **params) == union
    (count,) = select(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **params)
    assert int(count["n"].value) == len(union)  # a set: no triple counted twice
    rows = select(url, "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **params)
    served = {ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows}
    assert served == quads
    graphs = {q.graph_name.value for q in quads}
    for graph in graphs:
        path = dumps / graph_file_name(graph)
        if not path.exists():
            continue  # nanopublication envelopes are only in the whole-dataset dumps
        expected = {q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}
        got = construct(url, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                        **params)
        assert got == expected, graph
