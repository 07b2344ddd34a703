"""Property-based tests of the two pure functions every request passes: the gate and negotiation.

Whatever text or header arrives, the answer is a decision (a classification, a refusal with a
status, an offer or None for 406), never an exception, and the refusals cannot be dodged by
spelling, spacing or position.
"""

from __future__ import annotations

import contextlib
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgpub.web.gate import GateSettings, QueryInfo, Refused, inspect_query
from kgpub.web.negotiation import format_override, negotiate

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OFFERS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
          "text/tab-separated-values", "text/html")

# Pieces of SPARQL and of things that look like it, so that generated text reaches the branches
# a random string never would (strings, IRIs, comments, prefixed names, keywords, brackets).
SPARQL_BITS = st.sampled_from([
    "SELECT", "select", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FROM", "NAMED", "SERVICE",
    "SILENT", "INSERT", "DELETE", "DATA", "LOAD", "CLEAR", "DROP", "WITH", "PREFIX", "BASE",
    "{", "}", "(", ")", "[", "]", ".", ";", ",", "*", "?s", "$o", "<http://x/y>", "<", ">",
    "ex:a", ":b", "_:c", "'str'", '"str"', "'''long'''", '"""long"""', "'", '"', "#c\n", "\\",
    "a", "1", "UNION", "FILTER", "!", "\n", " ", "\t", "é", "%20", "SERVICE<http://x>",
])
TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(SPARQL_BITS, max_size=40).map(" ".join),
    st.lists(SPARQL_BITS, max_size=40).map("".join),
)


@FUZZ
@given(TEXT)
def test_the_gate_always_decides(text: str) -> None:
    try:
        info = inspect_query(text, GateSettings(max_depth=8))
    except Refused as exc:
        assert exc.status in (400, 403) and exc.message
        return
    assert isinstance(info, QueryInfo)
    assert info.form in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
    assert info.services == ()  # nothing is allowed, so nothing may get through


@FUZZ
@given(st.sampled_from(["INSERT DATA", "DELETE WHERE", "LOAD", "CLEAR ALL", "DROP ALL",
                        "CREATE GRAPH", "COPY", "MOVE", "ADD", "WITH <g> DELETE"]),
       st.sampled_from(["", "PREFIX ex: <http://x/> ", "BASE <http://x/> ", "# SELECT\n",
                        "PREFIX select: <http://x/select> "]),
       st.sampled_from(["lower", "upper", "title"]),
       st.sampled_from([" ", "\n", "\t", "  \r\n"]))
def test_updates_are_refused_however_spelled(update: str, prologue: str, case: str,
                                             space: str) -> None:
    text = prologue + getattr(update, case)().replace(" ", space) + " { <a:a> <a:b> <a:c> }"
    try:
        inspect_query(text)
    except Refused as exc:
        assert exc.status == 403 and "read-only" in exc.message
    else:
        raise AssertionError(f"not refused: {text!r}")


@FUZZ
@given(st.lists(SPARQL_BITS.filter(lambda b: "SERVICE" not in b and "'" not in b
                                   and '"' not in b and "#" not in b and b not in ("<", ">")
                                   and "\\" not in b), max_size=10).map(" ".join),
       st.sampled_from(["SERVICE", "service", "Service"]),
       st.sampled_from([" <http://127.0.0.1:9/sparql>", "<http://127.0.0.1:9/>",
                        " SILENT <http://x/>", " ?endpoint", " ex:svc", "\n<file:///etc/x>"]))
def test_service_is_refused_anywhere_outside_strings(before: str, keyword: str,
                                                    target: str) -> None:
    text = f"SELECT * WHERE {{ {before} {keyword}{target} {{ ?s ?p ?o }} }}"
    try:
        inspect_query(text)
    except Refused as exc:
        assert exc.status in (400, 403)
    else:
        raise AssertionError(f"not refused: {text!r}")


def test_the_gate_is_linear_on_hostile_text() -> None:
    """Each of these took seconds per 20 kB (quadratic backtracking) before the tokenizer was
    made possessive. Linear means 8x the text costs about 8x the time (quadratic: 64x); a ratio
    against a baseline measured in the same run, so that a slow machine cannot fail it."""
    import time

    def cost(text: str) -> float:
        start = time.process_time()
        with contextlib.suppress(Refused):
            inspect_query(text)
        return time.process_time() - start

    small = 1 << 16
    for piece in ("a.", "a-", "é.", "'a", '"a', "'''a'", "<a", "?", "%", "\\", "{}", "_:"):
        base = cost("SELECT * WHERE { " + piece * (small // len(piece)))
        big = cost("SELECT * WHERE { " + piece * (8 * small // len(piece)))
        assert big < 16 * base + 0.2, (piece, base, big)


MEDIA = st.sampled_from(["*/*", "text/*", "application/*", "text/html", "text/csv",
                         "application/sparql-results+json", "application/json", "image/png",
                         "text/turtle", "*", "", "/", "text/", "a/b/c", "application/xml"])
PARAMS = st.sampled_from(["", ";q=0", ";q=1", ";q=0.5", ";q=abc", ";q=-1", ";q=2",
                          ";charset=utf-8", ";level=1;q=0.3", ";q", ";=", ";;"])
ACCEPT = st.one_of(
    st.text(max_size=100),
    st.lists(st.tuples(MEDIA, PARAMS).map("".join), max_size=6).map(", ".join),
    st.text(alphabet=string.printable, max_size=100),
)


@FUZZ
@given(ACCEPT)
def test_negotiation_always_answers_an_offer_or_none(accept: str) -> None:
    chosen = negotiate(accept, OFFERS)
    assert chosen is None or chosen in OFFERS


@FUZZ
@given(st.lists(st.tuples(MEDIA.filter(lambda m: m != "text/csv"), PARAMS).map("".join),
                min_size=1, max_size=6))
def test_a_type_refused_by_name_is_never_chosen(ranges: list[str]) -> None:
    """`text/csv;q=0` outranks `text/*` and `*/*`: the more specific range decides."""
    chosen = negotiate(", ".join(ranges) + ", text/csv;q=0", OFFERS)
    assert chosen != "text/csv"


@FUZZ
@given(st.text(max_size=40))
def test_format_override_answers_an_offer_or_none(value: str) -> None:
    assert format_override(value, OFFERS) in (None, *OFFERS)


HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e),
                      max_size=120)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
# Printable ASCII without leading or trailing blanks: what an HTTP client can send at all (h11
# refuses a header value such as " " before it leaves the test).
@given(st.one_of(ACCEPT.map(lambda a: "".join(c for c in a if " " <= c <= "~")), HEADER_TEXT)
       .map(str.strip),
       st.sampled_from(["/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201",
                        "/sparql?query=DESCRIBE%20%3Chttps%3A%2F%2Fw3id.org%2Fkgpub%2Fid%2F"
                        "country%2Fkyrgyzstan%3E", "/sparql", "/id/country/kyrgyzstan",
                        "/ontology", "/.well-known/void", "/page/id/country/kyrgyzstan",
                        "/data/id/country/kyrgyzstan", "/dumps/kgpub.trig", "/"]))
def test_any_accept_header_gets_an_answer_or_406_over_http(server, accept: str,
                                                           path: str) -> None:
    import httpx

    response = httpx.get(server.url + path, headers={"Accept": accept}, timeout=30)
    assert response.status_code in (200, 303, 406), (accept, path, response.status_code)
    if response.status_code == 406:
        assert "available" in response.text or "Not acceptable" in response.text
