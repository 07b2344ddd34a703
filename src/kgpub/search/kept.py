"""The staged quads of the last build, kept in the build cache so that the next build stages
only the pieces that changed.

`kgpub build` writes kgpub.nq from pieces (one per article, and parts of the shared graphs),
each with the SHA-256 of its N-Quads. This file holds table q (stage.py) with each row marked by
the piece it came from, and the key and hash of every piece staged. Bringing it up to date for a
build drops the rows of pieces that are gone or changed and stages the new ones; an unchanged
article's quads are never parsed again.

While a build brings it up to date, the quads every changed piece had about each subject it
touches are copied first into table old_q (the subject into table touched), so that the index
can then be updated from the difference (update.py) instead of being made from all the rows
(index.py). `index_source` in its meta table is the SHA-256 of the N-Quads of the index
published from its rows (set once that index is in place, cleared when the rows change): an
index is updated only when it is the one made from these rows before this build's changes.

A kept file that is not complete (a killed build's: the flag is cleared before the first change
and set after the last), of another format, or that SQLite cannot read, is made anew.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing, suppress
from pathlib import Path

from . import stage

FORMAT = "2"
KEPT_NAME = "search-quads.sqlite"


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    _configure(conn)
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")  # a cache: a torn file is made again
    conn.execute("PRAGMA cache_size = -65536")


def _open_usable(path: Path) -> sqlite3.Connection | None:
    """The kept file, when it is whole and of this format; else None, with nothing left open
    (a file torn by a killed build, its journal off, fails as soon as it is configured)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        _configure(conn)
        if _usable(conn):
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def _usable(conn: sqlite3.Connection) -> bool:
    try:
        meta = dict(conn.execute("SELECT key, value FROM kept_meta"))
    except sqlite3.Error:
        return False
    return meta.get("format") == FORMAT and meta.get("complete") == "1"


class KeptQuads:
    """Brought up to date piece by piece, in the order the build sends them (`add`), then
    `finish` drops the pieces this build did not send."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        conn = _open_usable(self.path)
        if conn is not None:
            self.conn = conn
        else:
            self.path.unlink(missing_ok=True)
            self.conn = _connect(self.path)
            self.conn.execute("CREATE TABLE kept_meta(key TEXT PRIMARY KEY, value TEXT)")
            self.conn.execute("CREATE TABLE piece(id INTEGER PRIMARY KEY, key TEXT UNIQUE, "
                              "sha256 TEXT NOT NULL, quads INTEGER NOT NULL)")
            stage.create(self.conn)
            self.conn.execute("CREATE INDEX q_piece ON q(piece)")
            self.conn.executemany("INSERT INTO kept_meta VALUES (?, ?)",
                                  [("format", FORMAT), ("complete", "1"), ("index_source", "")])
        self.index_source = dict(self.conn.execute("SELECT key, value FROM kept_meta")).get(
            "index_source", "")  # the index these rows made, before this build's changes
        self.known = {key: (pid, sha) for pid, key, sha in
                      self.conn.execute("SELECT id, key, sha256 FROM piece")}
        self.fresh = not self.known  # no secondary index yet: made once all rows are in
        if self.fresh:
            for name in ("q_ps", "q_po", "q_s"):
                self.conn.execute(f"DROP INDEX IF EXISTS {name}")
        self.conn.execute("UPDATE kept_meta SET value = '0' WHERE key = 'complete'")
        self.conn.execute("UPDATE kept_meta SET value = '' WHERE key = 'index_source'")
        self.conn.execute("BEGIN")
        self.conn.execute("DROP TABLE IF EXISTS old_q")
        self.conn.execute("DROP TABLE IF EXISTS touched")
        self.conn.execute("CREATE TABLE old_q(g TEXT NOT NULL, s TEXT NOT NULL, "
                          "p INTEGER NOT NULL, o TEXT NOT NULL, lang TEXT NOT NULL)")
        self.conn.execute("CREATE TABLE touched(s TEXT PRIMARY KEY) WITHOUT ROWID")
        # The old quads are copied while that costs less than a third of making the index anew
        # would cost in staging alone; past it (or on a new file) the index is made anew.
        self.tracked = not self.fresh
        (total,) = self.conn.execute("SELECT COALESCE(SUM(quads), 0) FROM piece").fetchone()
        self.budget = total // 3
        self.seen: set[str] = set()
        self.staged = 0

    def add(self, key: str, sha256: str, nquads: Path) -> None:
        """The piece `key` with N-Quads of this hash: staged unless it already is."""
        self.seen.add(key)
        old = self.known.get(key)
        if old is not None and old[1] == sha256:
            return
        if old is not None:
            self._drop(old[0])
        pid = self.conn.execute("INSERT INTO piece(key, sha256, quads) VALUES (?, ?, 0)",
                                (key, sha256)).lastrowid
        if self.tracked:  # staged apart first: the subjects it touches are noted before
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS new_q AS SELECT * FROM q "
                              "WHERE 0")
            quads = stage.load(self.conn, nquads, pid, table="temp.new_q")
            self._touch("SELECT s FROM temp.new_q")
            self.conn.execute("INSERT INTO q SELECT * FROM temp.new_q")
            self.conn.execute("DELETE FROM temp.new_q")
        else:
            quads = stage.load(self.conn, nquads, pid)
        self.conn.execute("UPDATE piece SET quads = ? WHERE id = ?", (quads, pid))
        self.staged += 1

    def _touch(self, subjects: str, params: tuple = ()) -> None:
        """Copy the quads of the subjects of `subjects` not yet touched (as they were before
        this build changed any of them) into old_q, and note them as touched."""
        if not self.tracked:
            return
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS first(s TEXT PRIMARY KEY) "
                          "WITHOUT ROWID")
        self.conn.execute(f"INSERT OR IGNORE INTO temp.first SELECT s FROM ({subjects}) "
                          "WHERE s NOT IN (SELECT s FROM touched)", params)
        copied = self.conn.execute("INSERT INTO old_q SELECT g, s, p, o, lang FROM q WHERE s IN "
                                   "(SELECT s FROM temp.first)").rowcount
        self.conn.execute("INSERT INTO touched SELECT s FROM temp.first")
        self.conn.execute("DELETE FROM temp.first")
        self.budget -= copied
        if self.budget < 0:
            self.tracked = False
            self.conn.execute("DELETE FROM old_q")
            self.conn.execute("DELETE FROM touched")

    def _drop(self, pid: int) -> None:
        self._touch("SELECT s FROM q WHERE piece = ?", (pid,))
        self.conn.execute("DELETE FROM q WHERE piece = ?", (pid,))
        self.conn.execute("DELETE FROM piece WHERE id = ?", (pid,))

    def finish(self) -> int:
        """Drop the pieces not sent; the number of quads staged in all."""
        for key, (pid, _) in self.known.items():
            if key not in self.seen:
                self._drop(pid)
        if self.fresh:
            stage.create_indexes(self.conn)
        if self.tracked:
            self.conn.execute("CREATE INDEX old_q_s ON old_q(s)")
        self.conn.execute("COMMIT")
        self.conn.execute("UPDATE kept_meta SET value = '1' WHERE key = 'complete'")
        (quads,) = self.conn.execute("SELECT COALESCE(SUM(quads), 0) FROM piece").fetchone()
        self.conn.close()
        return quads

    def abandon(self) -> None:
        with suppress(sqlite3.Error):
            self.conn.close()


def set_index_source(path: Path, source_sha256: str) -> None:
    """Note that the index made from the rows of the kept file at `path` is published as the
    index of N-Quads with this SHA-256 (an index another build may update)."""
    with suppress(sqlite3.Error), closing(_connect(Path(path))) as conn:
        if _usable(conn):
            conn.execute("UPDATE kept_meta SET value = ? WHERE key = 'index_source'",
                         (source_sha256,))


def note_made(path: Path, how: str) -> None:
    """Note how the index was made from the kept file ("updated", or "anew" and why), and
    empty the copies of the old quads, which it has used."""
    with suppress(sqlite3.Error), closing(_connect(Path(path))) as conn:
        conn.execute("DELETE FROM old_q")
        conn.execute("DELETE FROM touched")
        conn.execute("INSERT OR REPLACE INTO kept_meta VALUES ('index_made', ?)", (how,))


def index_made(path: Path) -> str:
    """How the last index was made from the kept file at `path` (see note_made)."""
    try:
        with closing(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro",
                                     uri=True)) as conn:
            return dict(conn.execute("SELECT key, value FROM kept_meta")).get("index_made", "")
    except sqlite3.Error:
        return ""


def discard(path: Path) -> None:
    """Remove a kept file that could not be brought up to date (made anew next time)."""
    with suppress(OSError):
        Path(path).unlink()


def is_complete(path: Path) -> bool:
    try:
        with closing(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro",
                                     uri=True)) as conn:
            return _usable(conn)
    except sqlite3.Error:
        return False
