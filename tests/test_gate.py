"""The query gate, from a table: what it lets through, what it refuses and why."""

from __future__ import annotations

import pytest

from kgpub.web.gate import GateSettings, Refused, inspect_query

ALLOWED = [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://e/> ASK { ex:a ex:b ex:c }", "ASK"),
    ("BASE <http://e/> CONSTRUCT WHERE { <a> ?p ?o }", "CONSTRUCT"),
    ("describe <http://e/a>", "DESCRIBE"),
    # keywords that are only words inside strings, IRIs, comments, prefixed names or variables
    ('SELECT * { ?s ?p "SERVICE <http://x> INSERT" }', "SELECT"),
    ("SELECT * { ?s ?p '''DROP ALL''' }", "SELECT"),
    ("# INSERT DATA { }\nSELECT * { ?s ?p ?o }", "SELECT"),
    ("PREFIX service: <http://e/> SELECT * { service:x ?p ?o }", "SELECT"),
    ("SELECT ?service { ?service ?p <http://e/SERVICE> }", "SELECT"),
    ("SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }", "SELECT"),
]


@pytest.mark.parametrize(("query", "form"), ALLOWED)
def test_allowed(query: str, form: str) -> None:
    assert inspect_query(query).form == form


REFUSED = [
    ("INSERT DATA { <a:a> <a:b> <a:c> }", 403, "read-only"),
    ("PREFIX ex: <http://e/>\nDELETE WHERE { ?s ?p ?o }", 403, "line 2"),
    ("LOAD <http://example.org/x.ttl>", 403, "read-only"),
    ("CLEAR ALL", 403, "read-only"),
    ("DROP GRAPH <a:g>", 403, "read-only"),
    ("CREATE GRAPH <a:g>", 403, "read-only"),
    ("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", 403, "read-only"),
    ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403, "SERVICE"),
    ("SELECT * { service silent <http://e/sparql> { ?s ?p ?o } }", 403, "SERVICE"),
    ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", 403, "SERVICE"),
    ("PREFIX e: <http://e/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }", 403, "SERVICE"),
    ("SELECT * WHERE " + "{" * 200 + "?s ?p ?o" + "}" * 200, 400, "nested"),
    ("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", 400, "nested"),
    ("PREFIX ex: <http://e/>", 400, "not a SPARQL query"),
    ("", 400, "not a SPARQL query"),
]


@pytest.mark.parametrize(("query", "status", "words"), REFUSED)
def test_refused(query: str, status: int, words: str) -> None:
    with pytest.raises(Refused) as caught:
        inspect_query(query)
    assert caught.value.status == status
    assert words in caught.value.message


def test_allowlisted_service_passes_only_by_full_iri() -> None:
    settings = GateSettings(service_allowlist=frozenset({"http://e/sparql"}))
    info = inspect_query("SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }", settings)
    assert info.services == ("http://e/sparql",)
    with pytest.raises(Refused):
        inspect_query("SELECT * { SERVICE <http://other/sparql> { ?s ?p ?o } }", settings)


def test_dataset_clause_is_noticed() -> None:
    assert inspect_query("SELECT * FROM <a:g> { ?s ?p ?o }").has_dataset_clause
    assert not inspect_query("SELECT * { ?s ?p 'FROM' }").has_dataset_clause


def test_gate_is_linear_on_a_large_query() -> None:
    query = "SELECT * { " + " ".join(f"?s{i} ?p ?o ." for i in range(50_000)) + " }"
    assert inspect_query(query).form == "SELECT"
