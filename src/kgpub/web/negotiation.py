"""Content negotiation: pick one of the server's offers for a client's Accept header.

A pure function so that it can be tested from a table. Parsing and q-value ranking come from
Werkzeug's `MIMEAccept`; media-type parameters other than `q` (`charset=utf-8`, `profile=…`)
are dropped before ranking, because Werkzeug treats them as part of the type and clients such
as SPARQLWrapper send them with types whose parameters this server does not vary on.
"""

from __future__ import annotations

from collections.abc import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

# ?format= values and the media type each one stands for.
FORMAT_ALIASES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "rdf/xml": "application/rdf+xml",
    "n3": "text/n3",
    "owl": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "n-quads": "application/n-quads",
    "html": "text/html",
}
# Names that mean an RDF syntax when the answer is a graph (CONSTRUCT, DESCRIBE): SPARQLWrapper
# sends format=json or format=xml whatever the query form.
GRAPH_MEANINGS: dict[str, str] = {
    "json": "application/ld+json",
    "xml": "application/rdf+xml",
    "application/x-json+ld": "application/ld+json",
}


def _without_parameters(accept: str) -> str:
    ranges = []
    for item in accept.split(","):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0]:
            continue
        kept = [parts[0]] + [p for p in parts[1:] if p.replace(" ", "").lower().startswith("q=")]
        ranges.append(";".join(kept))
    return ",".join(ranges)


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """Return the offer the client ranks highest, or None when none is acceptable (406).

    No header, an empty one or one with no parsable media range means "anything": the first
    offer, which is the server's preference. Among equally ranked offers the earlier wins.
    """
    if not offers:
        return None
    if accept is None or not accept.strip():
        return offers[0]
    parsed = parse_accept_header(_without_parameters(accept), MIMEAccept)
    if not list(parsed):
        return offers[0]
    return parsed.best_match(list(offers))


def accepts_encoding(header: str | None, coding: str) -> bool:
    """Whether an Accept-Encoding header takes `coding` (RFC 9110, section 12.5.3).

    By q-value, not by substring: `gzip;q=0` refuses gzip, a named coding outranks `*` in
    either order, `x-gzip` stands for gzip. No header: only the identity (kgpub's choice).
    """
    if not header or not header.strip():
        return False
    quality = {value.lower(): q for value, q in parse_accept_header(header)}
    for name in (coding, "x-" + coding) if coding in ("gzip", "compress") else (coding,):
        if name in quality:
            return quality[name] > 0
    return quality.get("*", 0) > 0


def format_override(value: str | None, offers: Sequence[str]) -> str | None:
    """Resolve `?format=` (alias or media type) against the offers; None when it names none.

    A comma-separated list (several `format` parameters joined, as SPARQLWrapper sends them:
    `format=json-ld&format=application/ld+json,application/x-json+ld`) gives the first name that
    resolves.
    """
    if value is None:
        return None
    for name in (v.strip().lower() for v in value.split(",")):
        for media in (FORMAT_ALIASES.get(name), GRAPH_MEANINGS.get(name), name):
            if media in offers:
                return media
    return None
