"""The OpenAPI path items of the finding routes (web/finding.py): /search, /browse/…,
/timeline and /network. Built from the same tables the handlers use (kinds, limits), so the
fuzzing in tests/test_web_openapi.py checks the handlers against what they promise."""

from __future__ import annotations

from typing import Any

from ..search.browse import MAX_PAGE, MAX_VALUE_CHARS
from ..search.kinds import KINDS, SEARCH_KINDS
from ..search.query import MAX_LIMIT
from ..search.text import MAX_QUERY_CHARS
from . import openapi as oa
from .finding import BROWSE_OFFERS, DEFAULT_LIMIT, FORMATS, PICTURE_OFFERS, SEARCH_OFFERS

DATE_PATTERN = "^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$"  # empty: no bound (as forms send it)
HIT = {"type": "object", "required": ["iri", "label", "kind", "snippet", "score"],
       "properties": {"iri": oa.TEXT, "label": oa.TEXT, "kind": {"enum": list(SEARCH_KINDS)},
                      "snippet": {"type": "string", "description": "HTML: the text escaped, "
                                  "the matching words in <mark>."},
                      "score": {"type": "number"}}}
SEARCH_RESULT = {"type": "object", "required": ["results", "total"],
                 "properties": {"results": {"type": "array", "items": HIT},
                                "total": oa.COUNT}}
LIST_EXPORT = {"type": "object", "required": ["kind", "total", "filters", "rows"],
               "properties": {"kind": {"enum": list(KINDS)}, "total": oa.COUNT,
                              "filters": {"type": "array"},
                              "rows": {"type": "array", "items": {
                                  "type": "object", "required": ["iri", "label"]}}}}
LISTS = {"type": "object", "required": ["lists"], "properties": {"lists": {"type": "array"}}}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


def _format(offers: tuple[str, ...]) -> dict[str, Any]:
    names = [n for n, media in FORMATS.items() if media in offers]
    return _query("format", "Overrides the Accept header.",
                  {"type": "string", "enum": ["", *names, *offers]})


def _dates(what: str) -> list[dict[str, Any]]:
    return [_query(name, f"{what} {word} this date (YYYY, YYYY-MM or YYYY-MM-DD; a period "
                         f"counts from its first to its last day).",
                   {"type": "string", "pattern": DATE_PATTERN})
            for name, word in (("from", "on or after"), ("to", "on or before"))]


def _iri(name: str, description: str) -> dict[str, Any]:
    return _query(name, description + " Unknown IRIs give an empty result.",
                  {"type": "string", "maxLength": MAX_VALUE_CHARS})


def finding_paths() -> dict[str, Any]:
    bad = oa._error("A parameter out of range or not a date, with what to change.", html=True)
    no_index = oa._error("This server has no search index.", html=True)
    busy = oa._error("The index did not answer in time.", html=True, retry_after=True)
    not_offered = oa._error("The format or Accept asks for a type not offered here.")
    errors = {"400": bad, "404": no_index, "406": not_offered, "503": busy}
    paths: dict[str, Any] = {
        "/search": {oa.ROUTE_KEY: "/search", "get": oa._op(
            "search", "Full-text search: actors (every label and spelling), events, articles, "
                      "quotes, evidence, vocabulary concepts",
            {"200": oa._ok("Results grouped by kind, exact label matches first (score: "
                           "higher is better; a whole name adds 100, a name with a word the "
                           "text begins 50).",
                           SEARCH_OFFERS, SEARCH_RESULT), **errors},
            [_query("q", "Words to find, case and diacritics ignored; the last word also "
                         "as a prefix; words in double quotes as a phrase. Query syntax "
                         "characters are only separators.",
                    {"type": "string", "maxLength": MAX_QUERY_CHARS,
                     "examples": ["Zheenbekov", "strategic partner"]}),
             _query("kind", "Only this kind of result.",
                    {"type": "string", "enum": ["", *SEARCH_KINDS]}),
             _query("limit", f"Results to return (default {DEFAULT_LIMIT}, 50 on the page).",
                    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
             _format(SEARCH_OFFERS)])},
        "/browse/": {oa.ROUTE_KEY: "/browse/", "get": oa._op(
            "browseIndex", "The lists, with their sizes",
            {"200": oa._ok("HTML, or JSON with format=json.", ("text/html", "application/json"),
                           LISTS), "404": no_index, "406": not_offered, "503": busy},
            [_format(("text/html", "application/json"))])},
        "/timeline": {oa.ROUTE_KEY: "/timeline", "get": oa._op(
            "timeline", "A timeline of stances (SVG in a page, or alone): date across, type "
                        "down, one mark per stance and reporting source",
            {"200": oa._ok("The page or the SVG.", PICTURE_OFFERS), **errors},
            [_iri("actor", "Stances this actor holds, is the target of or stated."),
             _iri("holder", "Stances this actor holds."),
             _iri("target", "Stances toward this actor."),
             _iri("type", "Stances of this type."), *_dates("Stated"),
             _format(PICTURE_OFFERS)])},
        "/network": {oa.ROUTE_KEY: "/network", "get": oa._op(
            "network", "The stance network, one arrow per holder and target weighted by the "
                       "number of stances",
            {"200": oa._ok("The page or the SVG.", PICTURE_OFFERS), **errors},
            [_iri("type", "Only stances of this type."), *_dates("Stances stated"),
             _format(PICTURE_OFFERS)])},
    }
    for kind in KINDS.values():
        params = [_query("page", "Which page of 50.",
                         {"type": "integer", "minimum": 1, "maximum": MAX_PAGE})]
        params += [_iri(name, f"Only {kind.name} whose {title} is this value (an IRI, or a "
                              "literal such as a language code); filters combine with AND.")
                   for name, title in kind.facets]
        if kind.by_date:
            params += _dates(kind.title + " with a " + kind.date_title + " date")
        params.append(_format(BROWSE_OFFERS))
        ok = oa._ok("One page of the list with its facets (HTML), or every row of the "
                    "filtered list as CSV or JSON.", BROWSE_OFFERS, LIST_EXPORT)
        paths[f"/browse/{kind.name}"] = {oa.ROUTE_KEY: "/browse/{kind}", "get": oa._op(
            f"browse_{kind.name}", f"{kind.title}, with facets "
                                   f"({', '.join(n for n, _ in kind.facets)})",
            {"200": ok, **errors}, params)}
    return paths
