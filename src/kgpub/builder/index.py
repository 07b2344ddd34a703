"""The cross-article index of a build, in SQLite in the build cache.

The claims index (claims.ClaimsIndex: values of single-valued properties, evidence, reports,
derivations) and what VoID needs (predicates, classes, distinct subjects, links into the URI
space, quads per graph), one set of rows per source. A build replaces the rows of the articles
whose cache entry changed and removes those of articles that are gone; the totals come from SQL,
so no whole-corpus structure is held in memory.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from ..claims import ClaimsIndex, SourceIndex
from ..dump import PUBLIC_BASE, Stats

STATS_SCHEMA = """
CREATE TABLE IF NOT EXISTS loaded (source TEXT PRIMARY KEY, entry TEXT);
CREATE TABLE IF NOT EXISTS scans (path TEXT PRIMARY KEY, sha256 TEXT, body TEXT);
CREATE TABLE IF NOT EXISTS subjects (h INTEGER, source TEXT);
CREATE INDEX IF NOT EXISTS subjects_h ON subjects (h);
CREATE INDEX IF NOT EXISTS subjects_source ON subjects (source);
CREATE TABLE IF NOT EXISTS links (s INTEGER, o TEXT, source TEXT);
CREATE INDEX IF NOT EXISTS links_o ON links (o, s);
CREATE INDEX IF NOT EXISTS links_source ON links (source);
CREATE TABLE IF NOT EXISTS terms (kind TEXT, value TEXT, source TEXT);
CREATE INDEX IF NOT EXISTS terms_source ON terms (source);
CREATE TABLE IF NOT EXISTS graphs (graph TEXT, quads INTEGER, source TEXT);
CREATE INDEX IF NOT EXISTS graphs_source ON graphs (source);
"""
TABLES = ("subjects", "links", "terms", "graphs")


class BuildIndex(ClaimsIndex):
    """The claims index with the statistics of every source beside it."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        try:
            super().__init__(str(path))
            self.db.executescript(STATS_SCHEMA)
            self.db.execute("SELECT COUNT(*) FROM loaded").fetchone()
        except sqlite3.DatabaseError:  # corrupt: it is only an index, rebuilt from the entries
            if str(path) != ":memory:":
                Path(path).unlink(missing_ok=True)
            super().__init__(str(path))
            self.db.executescript(STATS_SCHEMA)

    def loaded(self) -> dict[str, str]:
        """Source -> the id of the cache entry whose rows are in the index."""
        return dict(self.db.execute("SELECT source, entry FROM loaded"))

    def remove(self, sources) -> None:  # type: ignore[override]
        sources = list(sources)
        super().remove(sources)
        rows = [(s,) for s in sources]
        for table in (*TABLES, "loaded"):
            self.db.executemany(f"DELETE FROM {table} WHERE source = ?", rows)

    def put_source(self, source: str, entry: str, index: SourceIndex | None, stats: dict,
                   graphs: list[tuple[str, int]]) -> None:
        """Replace the rows of `source`: its claims index, statistics and graph sizes."""
        self.remove([source])
        if index is not None:
            self.put(index)
        self.db.execute("INSERT INTO loaded VALUES (?, ?)", (source, entry))
        self.db.executemany("INSERT INTO subjects VALUES (?, ?)",
                            [(h, source) for h in stats["subjects"]])
        self.db.executemany("INSERT INTO links VALUES (?, ?, ?)",
                            [(s, o, source) for s, o in stats["links"]])
        self.db.executemany("INSERT INTO terms VALUES (?, ?, ?)",
                            [("p", p, source) for p in stats["predicates"]]
                            + [("c", c, source) for c in stats["classes"]]
                            + [("first", f, source) for f in stats.get("first", [])])
        self.db.executemany("INSERT INTO graphs VALUES (?, ?, ?)",
                            [(g, n, source) for g, n in graphs])

    def scan(self, path: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT sha256, body FROM scans WHERE path = ?", (path,)).fetchone()
        return None if row is None else (row[0], row[1])

    def put_scan(self, path: str, sha256: str, body: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO scans VALUES (?, ?, ?)", (path, sha256, body))

    def keep_scans(self, paths: set[str]) -> None:
        gone = [(p,) for (p,) in self.db.execute("SELECT path FROM scans") if p not in paths]
        self.db.executemany("DELETE FROM scans WHERE path = ?", gone)

    def stats(self) -> Stats:
        """VoID's figures for everything in the index."""
        db = self.db
        graphs = dict(db.execute("SELECT graph, SUM(quads) FROM graphs GROUP BY graph"))
        (distinct,) = db.execute("SELECT COUNT(DISTINCT h) FROM subjects").fetchone()
        predicates = {v for (v,) in db.execute("SELECT DISTINCT value FROM terms "
                                               "WHERE kind = 'p'")}
        classes = {v for (v,) in db.execute("SELECT DISTINCT value FROM terms WHERE kind = 'c'")}
        row = db.execute("SELECT o, COUNT(DISTINCT s) AS n FROM links GROUP BY o "
                         "ORDER BY n DESC, o LIMIT 1").fetchone()
        example = row[0] if row else None
        if example is None:
            first = db.execute("SELECT MIN(value) FROM terms WHERE kind = 'first'").fetchone()
            example = first[0] if first else None
        return Stats(sum(graphs.values()), distinct, predicates, classes, graphs, example)


def as_of(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


SPACE = f"{PUBLIC_BASE}id/"
