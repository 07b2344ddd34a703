"""Content negotiation from a table: q-values, wildcards, parameters, defaults and 406."""

from __future__ import annotations

import pytest

from kgpub.web.negotiation import accepts_encoding, format_override, negotiate

RESULTS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values")
PAGES = ("text/turtle", "application/ld+json", "text/html")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"

CASES = [
    (None, RESULTS, "application/sparql-results+json"),
    ("", RESULTS, "application/sparql-results+json"),
    ("*/*", RESULTS, "application/sparql-results+json"),
    ("text/csv", RESULTS, "text/csv"),
    ("text/*", RESULTS, "text/csv"),
    ("text/csv;q=0.5, text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.8", RESULTS,
     "application/sparql-results+xml"),
    ("application/sparql-results+json; charset=utf-8", RESULTS,
     "application/sparql-results+json"),
    ("image/png", RESULTS, None),
    ("text/csv;q=0", RESULTS, None),
    ("text/csv;q=0, */*;q=0.1", RESULTS, "application/sparql-results+json"),
    (BROWSER, PAGES, "text/html"),
    ("*/*", PAGES, "text/turtle"),
    ("application/ld+json, text/turtle;q=0.9", PAGES, "application/ld+json"),
    (",,;;", PAGES, "text/turtle"),
]


@pytest.mark.parametrize(("accept", "offers", "expected"), CASES)
def test_negotiate(accept: str | None, offers: tuple[str, ...], expected: str | None) -> None:
    assert negotiate(accept, offers) == expected


def test_format_override() -> None:
    assert format_override("csv", RESULTS) == "text/csv"
    assert format_override("TSV", RESULTS) == "text/tab-separated-values"
    assert format_override("text/csv", RESULTS) == "text/csv"
    assert format_override("ttl", RESULTS) is None
    assert format_override("ttl", PAGES) == "text/turtle"


@pytest.mark.parametrize(("header", "takes"), [
    (None, False), ("", False), ("gzip", True), ("GZIP", True), ("*", True),
    ("identity", False), ("deflate", False), ("x-gzip", True),
    ("gzip;q=0, identity", False), ("gzip;q=0.0", False), ("gzip ; q=0", False),
    ("*;q=0.5, gzip;q=0", False),  # the named coding outranks the wildcard, either order
    ("gzip;q=0, *", False), ("*;q=0, gzip", True), ("deflate, gzip;q=0.001", True),
    ("gzip;q=nonsense", False),
])
def test_accepts_encoding(header: str | None, takes: bool) -> None:
    assert accepts_encoding(header, "gzip") is takes
