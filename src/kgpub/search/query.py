"""Reading the index: full-text search here; lists and facets in browse.py, the data of the
pictures in pictures.py. `SearchIndex` is what the site and the server hold.

Every call opens its own read-only connection (cheap: the file is opened, not loaded), so calls
can run on any thread. A call that runs past its deadline is interrupted by SQLite's progress
handler and ends in `Interrupted`, never in a stuck thread.
"""

from __future__ import annotations

import html
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import browse, pictures
from .kinds import KINDS, SEARCH_KINDS
from .text import BadQuery, check_query, fts_query, highlight, key

MAX_LIMIT = 100
# Column weights for bm25: a word in a label counts most, then other names, then texts.
WEIGHTS = (10.0, 5.0, 1.0)
EXACT_BONUS = 100.0  # the text is a whole name of the thing
PREFIX_BONUS = 50.0  # the text begins a word of one of its names (as one types a name)
# Matches ranked per search. Past it, the best of the first RANKED are shown (names, then
# quotes, then evidence): a bound on the time a very common word can take.
RANKED = 1_000


class Interrupted(Exception):
    """The index did not answer within its deadline."""


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    kind: str
    score: float
    exact: bool
    snippet: tuple[tuple[str, bool], ...]  # (text, highlighted) segments
    about: str = ""  # for evidence: the fact it is evidence of
    about_label: str = ""

    def snippet_html(self) -> str:
        """The snippet as HTML: the text escaped, the matching words in <mark>."""
        return "".join(f"<mark>{html.escape(t)}</mark>" if hit else html.escape(t)
                       for t, hit in self.snippet)

    def as_json(self) -> dict[str, object]:
        return {"iri": self.iri, "label": self.label, "kind": self.kind,
                "snippet": self.snippet_html(), "score": self.score}


@dataclass
class SearchResult:
    query: str
    kind: str | None
    hits: list[Hit] = field(default_factory=list)
    total: int = 0

    def groups(self) -> list[tuple[str, list[Hit]]]:
        """The hits by kind, each kind where its best hit stands."""
        out: dict[str, list[Hit]] = {}
        for hit in self.hits:
            out.setdefault(hit.kind, []).append(hit)
        return list(out.items())


class SearchIndex:
    """One index file, read-only."""

    def __init__(self, path: Path, deadline: float = 5.0) -> None:
        self.path = Path(path).resolve()
        self.deadline = deadline
        self._uri = self.path.as_uri() + "?mode=ro&immutable=1"
        with self.connect(None) as conn:  # fails here, at start, when it is not an index
            self.meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())

    @contextmanager
    def connect(self, deadline: float | None = -1.0) -> Iterator[sqlite3.Connection]:
        """A read-only connection; its statements stop after `deadline` seconds (default: the
        index's; None: no limit)."""
        limit = self.deadline if deadline == -1.0 else deadline
        with closing(sqlite3.connect(self._uri, uri=True, check_same_thread=False)) as conn:
            if limit is not None:
                ends = time.monotonic() + limit
                conn.set_progress_handler(lambda: int(time.monotonic() > ends), 20_000)
            try:
                yield conn
            except sqlite3.OperationalError as exc:
                if "interrupt" in str(exc):
                    raise Interrupted(f"the index did not answer within {limit:g} s") from None
                raise

    # -- search -------------------------------------------------------------------------------

    def search(self, text: str, kind: str | None = None, limit: int = 20) -> SearchResult:
        """Documents holding every word of `text` (the last also as a prefix), best first:
        exact name matches, then names with a word that `text` begins, then by bm25 (labels
        weigh most); `kind` keeps one kind of thing."""
        text = check_query(text)
        if kind is not None and kind not in SEARCH_KINDS:
            raise BadQuery(f"unknown kind {kind!r}; search finds {', '.join(SEARCH_KINDS)}")
        if not 1 <= limit <= MAX_LIMIT:
            raise BadQuery(f"limit must be between 1 and {MAX_LIMIT}")
        result = SearchResult(text, kind)
        match = fts_query(text)
        if match is None:
            return result
        folded = key(text)
        wanted = "|" + folded + "|"
        weights = ", ".join(str(w) for w in WEIGHTS)
        with self.connect() as conn:
            bounds = ""
            if kind:  # documents are numbered kind by kind: a kind is a range of rowids
                low, high = conn.execute("SELECT MIN(id), MAX(id) FROM doc WHERE kind = ?",
                                         (kind,)).fetchone()
                if low is None:
                    return result
                bounds = f" AND rowid BETWEEN {int(low)} AND {int(high)}"
            result.total = conn.execute(f"SELECT COUNT(*) FROM fts WHERE fts MATCH ?{bounds}",
                                        (match,)).fetchone()[0]
            # bm25() only works in a query over the FTS table itself, hence the CTE; only the
            # first RANKED matches are ranked (names come first, see index.DOC_ORDER).
            rows = conn.execute(
                f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(fts, {weights}) AS rank "
                f"FROM fts WHERE fts MATCH ?{bounds} LIMIT {RANKED}) "
                "SELECT d.id, d.iri, d.label, d.kind, d.about, d.about_label, m.rank, "
                "CASE WHEN instr(d.keys, ?) THEN 2 WHEN instr(d.keys, ?) OR instr(d.keys, ?) "
                "THEN 1 ELSE 0 END AS tier FROM m JOIN doc d ON d.id = m.id "
                "ORDER BY tier DESC, m.rank, d.id LIMIT ?",
                (match, wanted, "|" + folded, " " + folded, limit)).fetchall()
            if not rows:
                return result
            # The snippets are cut here: FTS5's snippet() over a set of rowids walks every
            # match again (50 ms on a common word at 10M quads).
            ids = [r[0] for r in rows]
            texts = {i: (label, names.split(" | ") if names else [], body)
                     for i, label, names, body in conn.execute(
                         f"SELECT id, label, names, body FROM doc WHERE id IN "
                         f"({', '.join('?' * len(ids))})", ids)}
        bonus = {2: EXACT_BONUS, 1: PREFIX_BONUS, 0: 0.0}
        hits = [Hit(iri, label, doc_kind, round(-rank + bonus[tier], 4), tier == 2,
                    highlight([texts[doc_id][0], *texts[doc_id][1], texts[doc_id][2]], text),
                    about, about_label)
                for doc_id, iri, label, doc_kind, about, about_label, rank, tier in rows]
        by_kind: dict[str, list[Hit]] = {}
        for hit in hits:
            by_kind.setdefault(hit.kind, []).append(hit)
        result.hits = [hit for group in by_kind.values() for hit in group]
        return result

    # -- lists, facets, pictures (see browse.py and pictures.py) ------------------------------

    def counts(self) -> dict[str, int]:
        """How many things of each listed kind the index holds."""
        with self.connect() as conn:
            found = dict(conn.execute("SELECT kind, COUNT(*) FROM item GROUP BY kind").fetchall())
        return {name: found.get(name, 0) for name in KINDS}

    def browse(self, kind: str, filters: browse.Filters, page: int = 1,
               size: int = 50) -> browse.Listing:
        with self.connect() as conn:
            return browse.listing(conn, kind, filters, page, size)

    def count(self, kind: str, filters: browse.Filters) -> int:
        """How many rows the filtered list has."""
        with self.connect() as conn:
            return browse.count(conn, kind, filters)

    def export(self, kind: str, filters: browse.Filters) -> Iterator[browse.Row]:
        """Every row of a filtered list, in list order, read as it is consumed."""
        browse.check(kind, filters)
        with self.connect(None) as conn:
            yield from browse.rows(conn, kind, filters)

    def timeline(self, query: pictures.TimelineQuery) -> pictures.Timeline:
        with self.connect() as conn:
            return pictures.timeline(conn, query)

    def network(self, query: pictures.NetworkQuery) -> pictures.Network:
        with self.connect() as conn:
            return pictures.network(conn, query)

    def stance_types(self) -> list[tuple[str, str, int]]:
        """(IRI, label, number of stances) of every stance type, by label."""
        with self.connect() as conn:
            return pictures.stance_types(conn)

    def find(self, iri: str) -> list[str]:
        """The kinds of list `iri` is in (an actor, a stance, …)."""
        with self.connect() as conn:
            return [k for (k,) in conn.execute("SELECT kind FROM item WHERE iri = ? "
                                               "ORDER BY kind", (iri,))]
