"""From the staged quads to the index's rows: items with their facets, search documents, marks.

Every kind is read one subject at a time (`ORDER BY s` over the staging table), so memory holds
one thing's quads, not the corpus. What each article says stays apart where the claims model
keeps it apart: a stance's polarity or an event's status is taken per graph, so a timeline can
show one mark per reporting source and the events list what each article says.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby

from . import stage
from .kinds import KGG, KGP, OA, RDFS, SCHEMA, SKOS
from .text import keys_field, local_label

P = stage.code
Quad = tuple[str, int, str, str]  # graph, predicate code, object, language
LINKS_LIMIT = 50  # values kept per list field of a row (a stance with 200 targets is rare)

TABLES = (
    "CREATE TABLE lab(iri TEXT PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE item_tmp(kind TEXT, iri TEXT, label TEXT, sort TEXT, date_min TEXT, "
    "date_max TEXT, data TEXT)",
    "CREATE TABLE facet_tmp(kind TEXT, name TEXT, value TEXT, iri TEXT)",
    "CREATE TABLE doc_tmp(kind TEXT, iri TEXT, label TEXT, names TEXT, body TEXT, keys TEXT, "
    "about TEXT)",
    "CREATE TABLE mark_tmp(stance TEXT, source TEXT, date TEXT, before INTEGER, type TEXT, "
    "polarity TEXT)",
)


def lang_rank(lang: str) -> int:
    """English first, then regional English, then untagged, then any other language."""
    return 0 if lang == "en" else 1 if lang.startswith("en-") else 2 if not lang else 3


def low(date: str) -> str:
    """The first day a date of any precision (YYYY, YYYY-MM, YYYY-MM-DD) can mean."""
    return date + "-01-01"[len(date) - 4:] if len(date) < 10 else date[:10]


def high(date: str) -> str:
    """The last day (as a string that sorts after every day of the period)."""
    return date + "-12-31"[len(date) - 4:] if len(date) < 10 else date[:10]


def best_label(rows: Iterable[tuple[int, str, str]]) -> str | None:
    """The label a thing is shown by, from its (predicate code, text, language) label quads:
    English first, then by predicate (stage.LABELS), then the smallest text; None without."""
    found = [(lang_rank(lang), LABEL_ORDER[p], o) for p, o, lang in rows if p in LABEL_ORDER]
    return min(found)[2] if found else None


def article_date(quads: Iterable[tuple[int, str]]) -> str | None:
    """The date an article is shown under (the latest it may be from), from its (predicate
    code, object) quads; None when it is not a kgp:NewsArticle."""
    quads = list(quads)
    if (P(stage.TYPE), KGP + "NewsArticle") not in quads:
        return None
    published, earliest, latest = ({o for p, o in quads if p == P(iri)} for iri in DATES)
    return max(published or latest or earliest or {""})


LABEL_ORDER = {P(p): n for n, p in enumerate(stage.LABELS)}
DATES = (SCHEMA + "datePublished", KGP + "datePublishedEarliest", KGP + "datePublishedLatest")


class Extractor:
    """Reads the staging table of `conn` and writes the rows of every kind beside it.

    `only`: the name of a table of subjects (column s); the rows of those things only are
    made (an update of an index, see update.py), into temporary tables, and the labels and
    dates of the things they link to are read from the staged quads as they are needed."""

    def __init__(self, conn: sqlite3.Connection, only: str | None = None,
                 evidence_only: str | None = None) -> None:
        self.conn = conn
        self.only = only
        self.evidence_only = evidence_only or only
        self.label = lru_cache(maxsize=200_000)(self._label)
        self.raw_label = lru_cache(maxsize=200_000)(self._raw_label)
        self.conflicts: dict[str, list[str]] = defaultdict(list)
        self.article_dates: dict[str, str] = {}
        self._rows: dict[str, list[tuple]] = defaultdict(list)

    def restrict(self, column: str = "s", table: str | None = None) -> str:
        table = table or self.only
        return f" AND {column} IN (SELECT s FROM {table})" if table else ""

    # -- plumbing ---------------------------------------------------------------------------

    def _put(self, table: str, row: tuple) -> None:
        rows = self._rows[table]
        rows.append(row)
        if len(rows) >= 5_000:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self._rows.pop(table, [])
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self.conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    def _label(self, iri: str) -> str:
        raw = self.raw_label(iri)
        return raw if raw is not None else local_label(iri)

    def _raw_label(self, iri: str) -> str | None:
        """The label of `iri` from its label quads (None when it has none)."""
        if self.only is None:
            row = self.conn.execute("SELECT label FROM lab WHERE iri = ?", (iri,)).fetchone()
            return row[0] if row else None
        return best_label(self.conn.execute(
            f"SELECT p, o, lang FROM q WHERE s = ? AND p IN ({', '.join('?' * len(LABEL_ORDER))})",
            (iri, *LABEL_ORDER)))

    def article_date(self, iri: str) -> str:
        """The date of the article `iri` ("" when it is none): each article's was noted when
        its row was made; an update reads those of the others from their quads."""
        if iri in self.article_dates or self.only is None:
            return self.article_dates.get(iri, "")
        codes = (P(stage.TYPE), *(P(d) for d in DATES))
        found = article_date(self.conn.execute(
            f"SELECT p, o FROM q WHERE s = ? AND p IN ({', '.join('?' * len(codes))})",
            (iri, *codes)))
        self.article_dates[iri] = found or ""
        return found or ""

    def link(self, iri: str) -> dict[str, str]:
        return {"iri": iri, "label": self.label(iri)}

    def links(self, iris: set[str] | list[str]) -> list[dict[str, str]]:
        found = sorted((self.label(i).casefold(), i) for i in set(iris))
        return [self.link(i) for _, i in found[:LINKS_LIMIT]]

    def subjects(self, cls: str) -> Iterator[tuple[str, list[Quad]]]:
        """Each member of `cls` with every staged quad about it, in IRI order."""
        return self.subjects_in(f"SELECT s FROM q WHERE p = ? AND o = ?{self.restrict()}",
                                (P(stage.TYPE), cls))

    def subjects_in(self, members: str, params: tuple) -> Iterator[tuple[str, list[Quad]]]:
        """Each subject the `members` sub-select gives, with every staged quad about it (the
        sub-select keeps to `only` itself, see `restrict`)."""
        cursor = self.conn.execute(
            f"SELECT s, g, p, o, lang FROM q WHERE s IN ({members}) ORDER BY s, p, o, g", params)
        for s, rows in groupby(cursor, key=lambda r: r[0]):
            yield s, [r[1:] for r in rows]

    def item(self, kind: str, iri: str, label: str, dates: list[str], data: dict,
             facets: dict[str, set[str]]) -> None:
        dates = [d for d in dates if d]
        self._put("item_tmp", (kind, iri, label, label.casefold(),
                               min(map(low, dates)) if dates else None,
                               max(map(high, dates)) if dates else None,
                               json.dumps(data, ensure_ascii=False, sort_keys=True)))
        for name, values in facets.items():
            for value in values:
                self._put("facet_tmp", (kind, name, value, iri))

    def mark(self, stance: str, source: str, date: str, before: bool, stance_type: str,
             polarity: str) -> None:
        """One mark of a stance timeline: the stance as one source reports it."""
        self._put("mark_tmp", (stance, source, date, int(before), stance_type, polarity))

    def doc(self, kind: str, iri: str, label: str, names: list[str], body: str,
            about: str = "") -> None:
        others = sorted({n for n in names if n and n != label})
        named = kind not in ("quote", "evidence")  # their label is a text, not a name
        self._put("doc_tmp", (kind, iri, label, " | ".join(others), body,
                              keys_field([label, *others]) if named else "", about))

    # -- the passes -------------------------------------------------------------------------

    def prepare(self) -> None:
        """Create the row tables; read labels and conflicts, which every kind's rows use."""
        for sql in TABLES:
            if self.only is None:
                self.conn.execute(sql)
            elif not sql.startswith("CREATE TABLE lab("):
                self.conn.execute(sql.replace("CREATE TABLE ", "CREATE TEMP TABLE ", 1))
        if self.only is None:
            self.labels()
        for about, prop in self.conn.execute(
                "SELECT DISTINCT a.o, c.o FROM q a JOIN q c ON c.s = a.s AND c.p = ? "
                f"WHERE a.p = ?{self.restrict('a.o')} ORDER BY a.o, c.o",
                (P(KGP + "conflictProperty"), P(KGP + "conflictAbout"))):
            self.conflicts[about].append(local_label(prop))

    def finish(self) -> None:
        for table in list(self._rows):
            self._flush(table)

    def labels(self) -> None:
        """The best label of every labelled IRI: English first, then by predicate, then text."""
        cursor = self.conn.execute(
            f"SELECT s, p, o, lang FROM q WHERE p IN ({', '.join('?' * len(LABEL_ORDER))}) "
            "ORDER BY s", tuple(LABEL_ORDER))
        for s, rows in groupby(cursor, key=lambda r: r[0]):
            self._put("lab", (s, best_label(r[1:] for r in rows)))
        self._flush("lab")

    def evidence(self) -> None:
        """Every evidence span (an annotation's exact text), found by its words."""
        cursor = self.conn.execute(
            "SELECT a.s, x.o, b.o FROM q a "
            "JOIN q t ON t.s = a.o AND t.p = ? JOIN q x ON x.s = t.o AND x.p = ? "
            "LEFT JOIN q b ON b.s = a.s AND b.p = ? "
            f"WHERE a.p = ?{self.restrict('a.s', self.evidence_only)} ORDER BY a.s, x.o, b.o",
            (P(OA + "hasSelector"), P(OA + "exact"), P(OA + "hasBody"), P(OA + "hasTarget")))
        for ann, rows in groupby(cursor, key=lambda r: r[0]):
            first = next(rows)
            exact, body = first[1], first[2] or ""
            self.doc("evidence", ann, short(exact), [], exact, body)

    def concepts(self) -> None:
        """Concepts of the vocabularies (stance types, event types, CAMEO, PLOVER, …)."""
        cursor = self.conn.execute(
            "SELECT s, p, o FROM q WHERE s IN (SELECT s FROM q WHERE p = ? AND g = ?"
            f"{self.restrict()}) AND p IN (?, ?, ?, ?, ?) ORDER BY s, p, o",
            (P(SKOS + "inScheme"), KGG + "vocab", P(SKOS + "prefLabel"), P(RDFS + "label"),
             P(SKOS + "altLabel"), P(SKOS + "notation"), P(SKOS + "definition")))
        definition = P(SKOS + "definition")
        for s, rows in groupby(cursor, key=lambda r: r[0]):
            rows = list(rows)
            names = [o for _, p, o in rows if p != definition]
            body = " ".join(o for _, p, o in rows if p == definition)
            self.doc("concept", s, self.label(s), names, body)


def short(text: str, width: int = 90) -> str:
    """A label-sized cut of a long text."""
    return text if len(text) <= width else text[:width - 2].rstrip() + "…"


def values(quads: list[Quad], iri: str) -> set[str]:
    code = P(iri)
    return {o for _, p, o, _ in quads if p == code}


def by_graph(quads: list[Quad], iri: str) -> dict[str, set[str]]:
    code = P(iri)
    out: dict[str, set[str]] = defaultdict(set)
    for g, p, o, _ in quads:
        if p == code:
            out[g].add(o)
    return out


def sources(quads: list[Quad]) -> dict[str, str]:
    """graph -> the article it reports (kgp:reportedIn there), or the graph itself."""
    found = {g: min(os) for g, os in by_graph(quads, KGP + "reportedIn").items()}
    for g, _, _, _ in quads:
        if g not in found and g != KGG + "claims" and g:
            found[g] = g
    return found

