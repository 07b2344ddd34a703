"""The SPARQL token scanner the endpoint's gate and the shapes check share."""

from __future__ import annotations

from kgpub.sparql_text import service_calls, tokens


def _calls(text: str) -> list[str]:
    return [t.value for t in service_calls(tokens(text))]


def test_service_targets_with_and_without_silent() -> None:
    query = """SELECT * WHERE {
      SERVICE <http://a.example/sparql> { ?s ?p ?o }
      service silent ?endpoint { ?x ?y ?z }
    }"""
    assert _calls(query) == ["<http://a.example/sparql>", "?endpoint"]
    first = next(service_calls(tokens(query)))
    assert (first.line, first.column) == (2, 15)


def test_service_where_it_is_not_a_keyword() -> None:
    for text in ['SELECT ("SERVICE <http://x/>" AS ?s) {}',
                 "SELECT * { ?s <http://x/SERVICE> ?o }",
                 "SELECT * { ?s ex:SERVICE ?o } # SERVICE <http://x/> {}",
                 "SELECT ?SERVICE { ?SERVICE ?p ?o }",
                 "SELECT * { ?s ?p '''\nSERVICE <http://x/> {}''' }"]:
        assert _calls(text) == [], text


def test_codepoint_escapes_are_decoded_before_scanning() -> None:
    assert _calls(r"SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }") == ["<http://x/>"]
    assert _calls(r"SELECT * { \U00000053ERVICE <http://x/> { } }") == ["<http://x/>"]


def test_keywords_ignore_case_and_kinds_are_told_apart() -> None:
    kinds = [(t.kind, t.keyword) for t in tokens("select ?x { ?x a ex:Thing }")]
    assert kinds == [("word", "SELECT"), ("var", ""), ("open", ""), ("var", ""),
                     ("word", "A"), ("pname", ""), ("close", "")]
