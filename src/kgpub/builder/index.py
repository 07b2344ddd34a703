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
from .job import term_hash

STATS_SCHEMA = """
CREATE TABLE IF NOT EXISTS loaded (source TEXT PRIMARY KEY, entry TEXT);
CREATE TABLE IF NOT EXISTS scans (path TEXT PRIMARY KEY, sha256 TEXT, body TEXT);
CREATE TABLE IF NOT EXISTS source_ids (id INTEGER PRIMARY KEY, source TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS subjects (src INTEGER, h INTEGER, PRIMARY KEY (src, h))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links (src INTEGER, o INTEGER, s INTEGER, PRIMARY KEY (src, o, s))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS iris (h INTEGER PRIMARY KEY, iri TEXT);
CREATE TABLE IF NOT EXISTS terms (src INTEGER, kind TEXT, value TEXT,
    PRIMARY KEY (src, kind, value)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS graphs (src INTEGER, graph TEXT, quads INTEGER);
CREATE INDEX IF NOT EXISTS graphs_src ON graphs (src);
"""
STATS_TABLES = ("subjects", "links", "terms", "graphs")
VERSION = 3
"""PRAGMA user_version of the index file: another version is dropped and made again."""


class BuildIndex(ClaimsIndex):
    """The claims index with the statistics of every source beside it.

    The statistics are many rows per source (a subject hash per distinct subject, a link per
    distinct subject and IRI of the URI space it refers to), so they are kept as integers:
    sources by a number (`source_ids`), linked IRIs by a 64-bit hash (`iris` gives the IRI),
    in tables ordered by source (rows arrive source by source, and go the same way). The totals
    across sources sort them once per build instead of keeping a second index up to date with
    every row."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        try:
            self._open(path)
        except sqlite3.DatabaseError:  # corrupt: it is only an index, rebuilt from the entries
            if str(path) == ":memory:":
                raise
            Path(path).unlink(missing_ok=True)
            self._open(path)

    def _open(self, path: Path | str) -> None:
        super().__init__(str(path))
        (version,) = self.db.execute("PRAGMA user_version").fetchone()
        if version != VERSION and str(path) != ":memory:":
            (tables,) = self.db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            if tables:  # an index of another kgpub: start afresh
                self.db.close()
                Path(path).unlink(missing_ok=True)
                super().__init__(str(path))
        self.db.execute("PRAGMA synchronous = OFF")  # a cache: a torn file is made again
        self.db.execute("PRAGMA cache_size = -131072")  # 128 MB of pages (SQLite's default: 2)
        self.db.executescript(STATS_SCHEMA)
        self.db.execute(f"PRAGMA user_version = {VERSION}")
        self.db.execute("SELECT COUNT(*) FROM loaded").fetchone()
        self._ids: dict[str, int] = dict(
            (source, i) for i, source in self.db.execute("SELECT id, source FROM source_ids"))

    def _id(self, source: str) -> int:
        found = self._ids.get(source)
        if found is None:
            cursor = self.db.execute("INSERT INTO source_ids (source) VALUES (?)", (source,))
            found = self._ids[source] = int(cursor.lastrowid or 0)
        return found

    def loaded(self) -> dict[str, str]:
        """Source -> the id of the cache entry whose rows are in the index."""
        return dict(self.db.execute("SELECT source, entry FROM loaded"))

    def remove(self, sources) -> None:  # type: ignore[override]
        sources = list(sources)
        super().remove(sources)
        self.db.executemany("DELETE FROM loaded WHERE source = ?", [(s,) for s in sources])
        ids = [(self._ids[s],) for s in sources if s in self._ids]
        for table in STATS_TABLES:
            self.db.executemany(f"DELETE FROM {table} WHERE src = ?", ids)

    def put_source(self, source: str, entry: str, index: SourceIndex | None, stats: dict,
                   graphs: list[tuple[str, int]]) -> None:
        """Replace the rows of `source`: its claims index, statistics and graph sizes."""
        self.remove([source])
        if index is not None:
            self.put(index)
        self.db.execute("INSERT INTO loaded VALUES (?, ?)", (source, entry))
        self.add_stats(source, stats, graphs)

    def add_stats(self, source: str, stats: dict, graphs: list[tuple[str, int]]) -> None:
        """Add to the statistics rows of `source` (a shared graph's come part by part)."""
        src = self._id(source)
        db = self.db
        db.executemany("INSERT OR IGNORE INTO subjects VALUES (?, ?)",
                       [(src, h) for h in stats["subjects"]])
        objects = {o: term_hash(o) for o in {o for _, o in stats["links"]}}
        db.executemany("INSERT OR IGNORE INTO iris VALUES (?, ?)",
                       [(h, o) for o, h in objects.items()])
        db.executemany("INSERT OR IGNORE INTO links VALUES (?, ?, ?)",
                       [(src, objects[o], s) for s, o in stats["links"]])
        db.executemany("INSERT OR IGNORE INTO terms VALUES (?, ?, ?)",
                       [(src, "p", p) for p in stats["predicates"]]
                       + [(src, "c", c) for c in stats["classes"]]
                       + [(src, "first", f) for f in stats.get("first", [])])
        db.executemany("INSERT INTO graphs VALUES (?, ?, ?)",
                       [(src, g, n) for g, n in graphs])

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
        row = db.execute("SELECT i.iri, COUNT(*) AS n FROM (SELECT DISTINCT o, s FROM links) l "
                         "JOIN iris i ON i.h = l.o GROUP BY l.o ORDER BY n DESC, i.iri "
                         "LIMIT 1").fetchone()
        example = row[0] if row else None
        if example is None:
            first = db.execute("SELECT MIN(value) FROM terms WHERE kind = 'first'").fetchone()
            example = first[0] if first else None
        return Stats(sum(graphs.values()), distinct, predicates, classes, graphs, example)


def as_of(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


SPACE = f"{PUBLIC_BASE}id/"
