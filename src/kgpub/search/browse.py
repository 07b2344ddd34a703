"""Lists of one kind of thing, filtered by facets and a date range, paged, with facet counts.

A filter names a facet of the kind and one value (an IRI, or a literal such as a language
code); several filters must all hold, as the triple patterns of a SPARQL query must. A count
is the number of things of the filtered list that have the value, so the counts of a facet can
add up to more than the list when things have several values (a stance with two targets).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .extract import high, low
from .kinds import KINDS, Kind
from .text import BadQuery

DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")  # used with fullmatch
MAX_FILTERS = 20
MAX_VALUE_CHARS = 2_000
FACET_VALUES = 20  # values shown per facet, most frequent first
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Filters:
    facets: tuple[tuple[str, str], ...] = ()  # (facet name, value)
    date_from: str = ""
    date_to: str = ""

    @classmethod
    def from_params(cls, kind: str, params: Iterable[tuple[str, str]],
                    ignore: Iterable[str] = ()) -> Filters:
        """The filters of a query string: facet names of the kind, `from` and `to` (dates as
        YYYY, YYYY-MM or YYYY-MM-DD); names in `ignore` (page, format) are skipped."""
        spec = kind_of(kind)
        names = {name for name, _ in spec.facets}
        facets: list[tuple[str, str]] = []
        dates = {"from": "", "to": ""}
        for name, value in params:
            if name in ignore:
                continue
            if name in dates and spec.by_date:
                if value and not DATE.fullmatch(value):
                    raise BadQuery(f"{name}={value[:40]!r} is not a date: write YYYY, YYYY-MM "
                                   "or YYYY-MM-DD")
                dates[name] = value
            elif name in names:
                if value:
                    facets.append((name, value))
            else:
                known = sorted(names | (set(dates) if spec.by_date else set()))
                raise BadQuery(f"unknown filter {name[:40]!r} for {kind}; it is filtered by "
                               f"{', '.join(known)}")
        return cls(tuple(dict.fromkeys(facets)), dates["from"], dates["to"])

    def params(self) -> list[tuple[str, str]]:
        """As query-string parameters (for links that keep the filter)."""
        out = list(self.facets)
        out += [("from", self.date_from)] if self.date_from else []
        out += [("to", self.date_to)] if self.date_to else []
        return out


@dataclass(frozen=True)
class Row:
    iri: str
    label: str
    data: dict


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    title: str
    values: list[FacetValue]
    distinct: int  # values in all, of which the most frequent are listed


@dataclass
class Listing:
    kind: Kind
    filters: Filters
    total: int
    page: int
    size: int
    rows: list[Row] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # labels of the filter values

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def kind_of(name: str) -> Kind:
    if name not in KINDS:
        raise BadQuery(f"unknown list {name[:40]!r}; the lists are {', '.join(KINDS)}")
    return KINDS[name]


def check(kind: str, filters: Filters) -> Kind:
    spec = kind_of(kind)
    if len(filters.facets) > MAX_FILTERS:
        raise BadQuery(f"{len(filters.facets)} filters; at most {MAX_FILTERS} are taken")
    for name, value in filters.facets:
        if len(value) > MAX_VALUE_CHARS:
            raise BadQuery(f"the value of {name} is longer than {MAX_VALUE_CHARS:,} characters")
    return spec


def _where(kind: str, filters: Filters) -> tuple[str, list[object]]:
    clauses, params = ["i.kind = ?"], [kind]
    for name, value in filters.facets:
        clauses.append("i.id IN (SELECT f.item FROM facet f JOIN term t ON t.id = f.term "
                       "WHERE t.value = ? AND f.kind = ? AND f.name = ?)")
        params += [value, kind, name]
    if filters.date_from:
        clauses.append("i.date_max >= ?")
        params.append(low(filters.date_from))
    if filters.date_to:
        clauses.append("i.date_min <= ?")
        params.append(high(filters.date_to))
    return " AND ".join(clauses), params


def rows(conn: sqlite3.Connection, kind: str, filters: Filters, limit: int = -1,
         offset: int = 0) -> Iterator[Row]:
    check(kind, filters)
    where, params = _where(kind, filters)
    # `ord` is each list's order (newest first where there are dates, else by label), numbered
    # when the index was made, so a page is read along an index instead of sorted.
    cursor = conn.execute(f"SELECT i.iri, i.label, i.data FROM item i WHERE {where} "
                          "ORDER BY i.ord LIMIT ? OFFSET ?", (*params, limit, offset))
    for iri, label, data in cursor:
        yield Row(iri, label, json.loads(data))


def count(conn: sqlite3.Connection, kind: str, filters: Filters) -> int:
    check(kind, filters)
    where, params = _where(kind, filters)
    return conn.execute(f"SELECT COUNT(*) FROM item i WHERE {where}", params).fetchone()[0]


def listing(conn: sqlite3.Connection, kind: str, filters: Filters, page: int,
            size: int) -> Listing:
    """One page of the filtered list, its total and the counts of every facet."""
    spec = check(kind, filters)
    if not 1 <= page <= MAX_PAGE:
        raise BadQuery(f"page must be a whole number from 1 to {MAX_PAGE:,}")
    where, params = _where(kind, filters)
    out = Listing(spec, filters, count(conn, kind, filters), page, size)
    total = out.total
    if (page - 1) * size < total:
        out.rows = list(rows(conn, kind, filters, size, (page - 1) * size))
    out.facets = _facets(conn, kind, filters, where, params)
    values = sorted({v for _, v in filters.facets})
    if values:
        found = conn.execute(f"SELECT value, label FROM term WHERE value IN "
                             f"({', '.join('?' * len(values))})", values).fetchall()
        out.labels = dict(found)
    return out


def _facets(conn: sqlite3.Connection, kind: str, filters: Filters, where: str,
            params: list[object]) -> list[Facet]:
    """Every facet of the kind: its most frequent values (and the chosen ones) with counts."""
    spec = KINDS[kind]
    chosen = set(filters.facets)
    if filters.facets or filters.date_from or filters.date_to:
        # One pass over the facets of the filtered things (facet_item index), all names at once.
        counted = conn.execute(
            f"WITH sel AS MATERIALIZED (SELECT i.id FROM item i WHERE {where}) "
            "SELECT f.name, t.value, t.label, COUNT(*) AS n FROM sel "
            "JOIN facet f INDEXED BY facet_item ON f.item = sel.id "
            "JOIN term t ON t.id = f.term GROUP BY f.name, f.term "
            "ORDER BY f.name, n DESC, t.label, t.value", params).fetchall()
        found: dict[str, list[tuple[str, str, int]]] = {name: [] for name, _ in spec.facets}
        for name, value, label, n in counted:
            found.setdefault(name, []).append((value, label, n))
        distinct = {name: len(rows) for name, rows in found.items()}
    else:  # counted once, when the index was made
        found, distinct = {}, {}
        for name, _ in spec.facets:
            found[name] = conn.execute(
                "SELECT t.value, t.label, c.n FROM facet_count c JOIN term t ON t.id = c.term "
                "WHERE c.kind = ? AND c.name = ? ORDER BY c.n DESC, t.label, t.value LIMIT ?",
                (kind, name, FACET_VALUES)).fetchall()
            distinct[name] = conn.execute(
                "SELECT COUNT(*) FROM facet_count WHERE kind = ? AND name = ?",
                (kind, name)).fetchone()[0]
    out = []
    for name, title in spec.facets:
        rows = found.get(name, [])
        shown = rows[:FACET_VALUES] + [r for r in rows[FACET_VALUES:] if (name, r[0]) in chosen]
        out.append(Facet(name, title, [FacetValue(v, label, n, (name, v) in chosen)
                                       for v, label, n in shown], distinct.get(name, 0)))
    return out
