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
CREATE TABLE IF NOT EXISTS subject_refs (h INTEGER PRIMARY KEY, n INTEGER);
CREATE TABLE IF NOT EXISTS link_refs (o INTEGER, s INTEGER, n INTEGER, PRIMARY KEY (o, s))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS link_counts (o INTEGER PRIMARY KEY, n INTEGER);
CREATE INDEX IF NOT EXISTS link_counts_n ON link_counts (n);
CREATE TABLE IF NOT EXISTS term_refs (kind TEXT, value TEXT, n INTEGER,
    PRIMARY KEY (kind, value)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats_meta (key TEXT PRIMARY KEY, value TEXT);
"""
REF_TABLES = ("subject_refs", "link_refs", "link_counts", "term_refs")
STATS_TABLES = ("subjects", "links", "terms", "graphs")
VERSION = 5
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
        self._refs = self._counting
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

    # The totals VoID needs are kept as reference counts (how many sources have a subject, a
    # link, a predicate or class), updated row by row as sources come and go, so that a build
    # that changes a few sources reads its totals without scanning every source's rows. A build
    # that changes many drops them (`recount`) and `stats` counts them again in one pass.

    @property
    def _counting(self) -> bool:
        row = self.db.execute("SELECT value FROM stats_meta WHERE key = 'refs'").fetchone()
        return row is not None and row[0] == "1"

    def recount(self) -> None:
        """Stop keeping the reference counts up to date: `stats` makes them again."""
        self.db.execute("INSERT OR REPLACE INTO stats_meta VALUES ('refs', '0')")
        self._refs = False

    def remove(self, sources) -> None:  # type: ignore[override]
        sources = list(sources)
        super().remove(sources)
        self.db.executemany("DELETE FROM loaded WHERE source = ?", [(s,) for s in sources])
        ids = [(self._ids[s],) for s in sources if s in self._ids]
        if self._refs:
            for (src,) in ids:
                self._uncount(src)
        for table in STATS_TABLES:
            self.db.executemany(f"DELETE FROM {table} WHERE src = ?", ids)

    def _uncount(self, src: int) -> None:
        db = self.db
        db.execute("UPDATE subject_refs SET n = n - 1 WHERE h IN "
                   "(SELECT h FROM subjects WHERE src = ?)", (src,))
        db.execute("DELETE FROM subject_refs WHERE n <= 0 AND h IN "
                   "(SELECT h FROM subjects WHERE src = ?)", (src,))
        db.execute("UPDATE term_refs SET n = n - 1 WHERE (kind, value) IN "
                   "(SELECT kind, value FROM terms WHERE src = ?)", (src,))
        db.execute("DELETE FROM term_refs WHERE n <= 0 AND (kind, value) IN "
                   "(SELECT kind, value FROM terms WHERE src = ?)", (src,))
        db.execute("UPDATE link_refs SET n = n - 1 WHERE (o, s) IN "
                   "(SELECT o, s FROM links WHERE src = ?)", (src,))
        for o, k in db.execute("SELECT o, COUNT(*) FROM link_refs WHERE n <= 0 AND (o, s) IN "
                               "(SELECT o, s FROM links WHERE src = ?) GROUP BY o",
                               (src,)).fetchall():
            db.execute("UPDATE link_counts SET n = n - ? WHERE o = ?", (k, o))
            db.execute("DELETE FROM link_counts WHERE o = ? AND n <= 0", (o,))
        db.execute("DELETE FROM link_refs WHERE n <= 0 AND (o, s) IN "
                   "(SELECT o, s FROM links WHERE src = ?)", (src,))

    def quads_of(self, source: str) -> int | None:
        """How many quads the index counts for `source` (None: it has no statistics)."""
        src = self._ids.get(source)
        if src is None:
            return None
        (n, rows) = self.db.execute("SELECT SUM(quads), COUNT(*) FROM graphs WHERE src = ?",
                                    (src,)).fetchone()
        return int(n or 0) if rows else None

    def sources_named(self, prefix: str) -> list[str]:
        """The sources (with statistics) whose name starts with `prefix`."""
        return sorted(s for s in self._ids if s.startswith(prefix))

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
        objects = {o: term_hash(o) for o in {o for _, o in stats["links"]}}
        db.executemany("INSERT OR IGNORE INTO iris VALUES (?, ?)",
                       [(h, o) for o, h in objects.items()])
        subjects = [(src, h) for h in stats["subjects"]]
        links = [(src, objects[o], s) for s, o in stats["links"]]
        terms = ([(src, "p", p) for p in stats["predicates"]]
                 + [(src, "c", c) for c in stats["classes"]]
                 + [(src, "first", f) for f in stats.get("first", [])])
        if self._refs:
            self._count(subjects, links, terms)
        else:
            db.executemany("INSERT OR IGNORE INTO subjects VALUES (?, ?)", subjects)
            db.executemany("INSERT OR IGNORE INTO links VALUES (?, ?, ?)", links)
            db.executemany("INSERT OR IGNORE INTO terms VALUES (?, ?, ?)", terms)
        db.executemany("INSERT INTO graphs VALUES (?, ?, ?)",
                       [(src, g, n) for g, n in graphs])

    def _count(self, subjects: list[tuple], links: list[tuple], terms: list[tuple]) -> None:
        """Add the rows and count those that are new for their source."""
        db = self.db
        for row in subjects:
            if db.execute("INSERT OR IGNORE INTO subjects VALUES (?, ?)", row).rowcount:
                db.execute("INSERT INTO subject_refs VALUES (?, 1) "
                           "ON CONFLICT (h) DO UPDATE SET n = n + 1", (row[1],))
        for row in terms:
            if db.execute("INSERT OR IGNORE INTO terms VALUES (?, ?, ?)", row).rowcount:
                db.execute("INSERT INTO term_refs VALUES (?, ?, 1) "
                           "ON CONFLICT (kind, value) DO UPDATE SET n = n + 1", row[1:])
        for row in links:
            if db.execute("INSERT OR IGNORE INTO links VALUES (?, ?, ?)", row).rowcount:
                (n,) = db.execute("INSERT INTO link_refs VALUES (?, ?, 1) ON CONFLICT (o, s) "
                                  "DO UPDATE SET n = n + 1 RETURNING n", row[1:]).fetchone()
                if n == 1:
                    db.execute("INSERT INTO link_counts VALUES (?, 1) "
                               "ON CONFLICT (o) DO UPDATE SET n = n + 1", (row[1],))

    def scans(self) -> dict[str, tuple[str, str]]:
        """Every file's scan: path -> (its SHA-256, the scan as JSON)."""
        return {path: (sha, body)
                for path, sha, body in self.db.execute("SELECT path, sha256, body FROM scans")}

    def put_scan(self, path: str, sha256: str, body: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO scans VALUES (?, ?, ?)", (path, sha256, body))

    def keep_scans(self, paths: set[str]) -> None:
        gone = [(p,) for (p,) in self.db.execute("SELECT path FROM scans") if p not in paths]
        self.db.executemany("DELETE FROM scans WHERE path = ?", gone)

    def stats(self) -> Stats:
        """VoID's figures for everything in the index."""
        db = self.db
        if not self._refs:
            self._make_refs()
        graphs = dict(db.execute("SELECT graph, SUM(quads) FROM graphs GROUP BY graph"))
        (distinct,) = db.execute("SELECT COUNT(*) FROM subject_refs").fetchone()
        predicates = {v for (v,) in db.execute("SELECT value FROM term_refs WHERE kind = 'p'")}
        classes = {v for (v,) in db.execute("SELECT value FROM term_refs WHERE kind = 'c'")}
        row = db.execute("SELECT i.iri FROM link_counts c JOIN iris i ON i.h = c.o "
                         "WHERE c.n = (SELECT MAX(n) FROM link_counts) ORDER BY i.iri "
                         "LIMIT 1").fetchone()
        example = row[0] if row else None
        if example is None:
            first = db.execute("SELECT MIN(value) FROM term_refs WHERE kind = 'first'").fetchone()
            example = first[0] if first else None
        return Stats(sum(graphs.values()), distinct, predicates, classes, graphs, example)

    def _make_refs(self) -> None:
        """The reference counts from every source's rows, in one pass each."""
        db = self.db
        for table in REF_TABLES:
            db.execute(f"DELETE FROM {table}")
        db.execute("INSERT INTO subject_refs SELECT h, COUNT(*) FROM subjects GROUP BY h")
        db.execute("INSERT INTO term_refs SELECT kind, value, COUNT(*) FROM terms "
                   "GROUP BY kind, value")
        db.execute("INSERT INTO link_refs SELECT o, s, COUNT(*) FROM links GROUP BY o, s")
        db.execute("INSERT INTO link_counts SELECT o, COUNT(*) FROM link_refs GROUP BY o")
        db.execute("INSERT OR REPLACE INTO stats_meta VALUES ('refs', '1')")
        self._refs = True
        db.commit()


def as_of(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


SPACE = f"{PUBLIC_BASE}id/"
