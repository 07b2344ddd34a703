"""From a request path to the dataset IRIs it may stand for, and back, from a table."""

from __future__ import annotations

import pytest

from kgpub.web.iris import iri_to_uri, path_iris, uri_path_to_iri

BASE = "http://example.org/"

CASES = [
    (b"id/plain", "id/plain"),
    (b"id/m%C3%BCller", "id/müller"),
    (b"id/m%c3%bcller", "id/müller"),
    ("id/müller".encode(), "id/müller"),  # raw UTF-8 on the wire
    (b"id/%D0%96%D1%83%D0%BA%D0%BE%D0%B2", "id/Жуков"),
    (b"id/%7Euser%2dx", "id/~user-x"),  # unreserved: decoded
    (b"id/a%2Fb", "id/a%2Fb"),  # reserved: kept, so it is not a path step
    (b"id/a%3e%20b", "id/a%3E%20b"),  # forbidden in IRIs: kept, hex upper-cased
    (b"id/%FF%FE", "id/%FF%FE"),  # escaped bytes that are not UTF-8: kept escaped
    (b"id/\xff", None),  # raw bytes that are not UTF-8: no IRI at all
    (b"id/%G1", None),  # a malformed escape
    (b"id/50%", None),
]


@pytest.mark.parametrize(("raw", "iri"), CASES)
def test_uri_path_to_iri(raw: bytes, iri: str | None) -> None:
    assert uri_path_to_iri(raw) == iri


def test_path_iris_best_first() -> None:
    assert path_iris(BASE, b"/page/id/m%C3%BCller?page=2", "page/") == [BASE + "id/müller",
                                                                        BASE + "id/m%C3%BCller"]
    decomposed = path_iris(BASE, b"/id/mu%CC%88ller")
    assert decomposed[:2] == [BASE + "id/mu\u0308ller", BASE + "id/m\u00fcller"]  # as sent, NFC
    assert path_iris(BASE, b"/id/plain") == [BASE + "id/plain"]
    assert path_iris(BASE, b"/") == []
    assert path_iris(BASE, b"/data/", "data/") == []
    assert path_iris(BASE, b"/id/a%3E%20b") == [BASE + "id/a%3E%20b"]  # escaped, harmless
    assert path_iris(BASE, b"/id/<x>") == []  # would not survive between <> in a query
    assert path_iris(BASE, b"/id/a b") == []


def test_iri_to_uri() -> None:
    assert iri_to_uri("/page/id/müller") == "/page/id/m%C3%BCller"
    assert iri_to_uri("http://example.org/id/Жуков?format=ttl") == \
        "http://example.org/id/%D0%96%D1%83%D0%BA%D0%BE%D0%B2?format=ttl"
    assert iri_to_uri("http://example.org/id/caf%C3%A9#x") == "http://example.org/id/caf%C3%A9#x"
    for _, iri in CASES:
        if iri is not None:
            assert uri_path_to_iri(iri_to_uri(iri).encode()) == iri  # a round trip
