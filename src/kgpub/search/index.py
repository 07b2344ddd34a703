"""Writing the index anew: one SQLite file, the same bytes for the same data.

(A build that changes a few things updates a copy of its previous index instead, see
update.py: the same rows and answers as an index made anew, not the same bytes.)

The file is made in three steps, each beside the target as a hidden temporary file (the names
`kgpub build` removes when a killed build leaves them): a staging database holding the
quads the index needs and the rows derived from them (stage.py, rows.py); a fresh database into
which the final tables are copied in sorted order, with explicit ids, and the full-text index is
built and merged into one segment; and a `VACUUM INTO` copy of it, which rewrites every page in
order. No time stamp, no random id and no insertion order reaches the file, so building it twice
from the same N-Quads gives the same bytes (with the same SQLite version: the file's header
records the library's version number).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .. import __version__
from ..manifest import sha256_file as sha256_of
from . import rows, stage
from .kinds import KINDS
from .text import local_label

FORMAT = "4"  # raised whenever the tables change: an index of another format is rebuilt
DATED = ", ".join(f"'{k.name}'" for k in KINDS.values() if k.by_date)  # listed newest first
PAGE_SIZE = 4096
TOKENIZER = "unicode61 remove_diacritics 2"
# Documents are numbered names first, then quotes, then evidence: FTS5 returns matches in that
# order, so a search that ranks only its first matches (query.RANKED) ranks the names first.
DOC_ORDER = ("CASE d.kind WHEN 'actor' THEN 0 WHEN 'concept' THEN 1 WHEN 'event' THEN 2 "
             "WHEN 'article' THEN 3 WHEN 'quote' THEN 4 ELSE 5 END")
DOC_RANK = {"actor": 0, "concept": 1, "event": 2, "article": 3, "quote": 4}  # else 5
# Ids and positions are numbered with room between them, so that an update (update.py) can put
# a new document or item where it belongs without renumbering the others: documents of a kind
# are STEP apart from KIND_SPAN times the kind's rank on; an item's `ord` is STEP times its
# position in its list.
STEP = 1 << 10
KIND_SPAN = 1 << 40

SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE term(id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE, label TEXT NOT NULL)",
    "CREATE TABLE item(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, iri TEXT NOT NULL, "
    "label TEXT NOT NULL, ord INTEGER NOT NULL, date_min TEXT, date_max TEXT, "
    "data TEXT NOT NULL)",
    # One row per stance and (holder, target, type, polarity) it has: the network's table.
    "CREATE TABLE stance_edge(item INTEGER NOT NULL, holder INTEGER NOT NULL, "
    "target INTEGER NOT NULL, type INTEGER NOT NULL, polarity INTEGER, date_min TEXT, "
    "date_max TEXT)",
    "CREATE TABLE facet(kind TEXT NOT NULL, name TEXT NOT NULL, term INTEGER NOT NULL, "
    "item INTEGER NOT NULL, PRIMARY KEY (kind, name, term, item)) WITHOUT ROWID",
    "CREATE TABLE facet_count(kind TEXT NOT NULL, name TEXT NOT NULL, term INTEGER NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (kind, name, term)) WITHOUT ROWID",
    "CREATE TABLE mark(stance INTEGER NOT NULL, source INTEGER NOT NULL, date TEXT NOT NULL, "
    "before INTEGER NOT NULL, type INTEGER, polarity INTEGER, PRIMARY KEY (stance, source)) "
    "WITHOUT ROWID",
    "CREATE TABLE doc(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, iri TEXT NOT NULL, "
    "label TEXT NOT NULL, names TEXT NOT NULL, body TEXT NOT NULL, keys TEXT NOT NULL, "
    "about TEXT NOT NULL, about_label TEXT NOT NULL)",
)
INDEXES = (
    "CREATE INDEX item_order ON item(kind, ord)",
    "CREATE INDEX item_date ON item(kind, date_max, date_min)",
    "CREATE UNIQUE INDEX item_iri ON item(iri, kind)",
    "CREATE INDEX facet_item ON facet(item, name, term)",
    "CREATE INDEX doc_iri ON doc(iri)",
    "CREATE INDEX doc_kind ON doc(kind, id)",
    "CREATE INDEX stance_edge_type ON stance_edge(type)",
)


@dataclass
class IndexStats:
    """What a build of the index did, for the build's report and the benchmark."""

    quads: int = 0
    items: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    bytes: int = 0
    seconds: float = 0.0


def temporary_beside(target: Path) -> Path:
    """A new hidden file name beside `target`, of the form a killed build's leftovers have
    (dump.TEMP_PATTERN), created empty so that no other process takes it."""
    while True:
        path = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return path
        except FileExistsError:
            continue


def _connect(path: Path, uri: bool = False) -> sqlite3.Connection:
    """`uri`: let ATTACH take file: URIs (a kept file is attached read-only)."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() if uri else path,
                           isolation_level=None, uri=uri)
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB
    return conn


def make_index(nquads: Path | BinaryIO, out: Path, source_sha256: str | None = None,
               extra: dict[str, str] | None = None) -> IndexStats:
    """Build the index of the quads in `nquads` (a file, or a stream with `source_sha256`
    given) into `out` (created or replaced; the temporary files are made beside it).
    `source_sha256` saves hashing the file again; `extra` goes into the meta table too."""
    return _make(out, source_sha256 or sha256_of(nquads), extra,
                 lambda conn: stage.stage(conn, nquads))


def make_index_from_kept(kept: Path, quads: int, out: Path, source_sha256: str) -> IndexStats:
    """Build the index into `out` from the staged quads of a kept file (see kept.py), which
    is only read: its table q is found through ATTACH."""
    return _make(out, source_sha256, None, lambda conn: quads, attach=kept)


def _make(out: Path, source_sha256: str, extra: dict[str, str] | None,
          staged: Callable[[sqlite3.Connection], int], attach: Path | None = None) -> IndexStats:
    """The index into `out`; `staged` fills table q and says how many quads it read."""
    started = time.perf_counter()
    out = Path(out)
    staging, final = temporary_beside(out), temporary_beside(out)
    stats = IndexStats()
    try:
        with closing(_connect(staging, uri=attach is not None)) as conn:
            if attach is not None:
                conn.execute("ATTACH DATABASE ? AS kept",
                             (Path(attach).resolve().as_uri() + "?mode=ro",))
            conn.execute("BEGIN")
            stats.quads = staged(conn)
            rows.extract(conn)
            conn.execute("CREATE INDEX item_tmp_iri ON item_tmp(iri)")
            conn.execute("COMMIT")
            conn.execute("ATTACH DATABASE ? AS f", (str(final),))
            conn.execute(f"PRAGMA f.page_size = {PAGE_SIZE}")
            conn.execute("PRAGMA f.journal_mode = OFF")
            conn.execute("BEGIN")
            _copy(conn, source_sha256, stats, extra or {})
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE f")
        staging.unlink()
        with closing(_connect(final)) as conn:
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            out.unlink(missing_ok=True)
            conn.execute("VACUUM INTO ?", (str(out),))
        stats.bytes = out.stat().st_size
    finally:
        for path in (staging, final):
            with suppress(FileNotFoundError):
                path.unlink()
    stats.seconds = time.perf_counter() - started
    return stats


def _copy(conn: sqlite3.Connection, source_sha256: str, stats: IndexStats,
          extra: dict[str, str]) -> None:
    """The final tables in database f, each filled in a fixed order with explicit ids."""
    for sql in SCHEMA:
        conn.execute(sql.replace("CREATE TABLE ", "CREATE TABLE f.", 1))
    conn.execute(f"CREATE VIRTUAL TABLE f.fts USING fts5(label, names, body, content='doc', "
                 f"content_rowid='id', tokenize='{TOKENIZER}', prefix='2 3')")
    values = conn.execute(
        "SELECT v.value, lab.label FROM (SELECT value FROM facet_tmp UNION SELECT source FROM "
        "mark_tmp UNION SELECT type FROM mark_tmp UNION SELECT polarity FROM mark_tmp) v "
        "LEFT JOIN lab ON lab.iri = v.value WHERE v.value != '' ORDER BY v.value")
    conn.executemany("INSERT INTO f.term(value, label) VALUES (?, ?)",
                     ((value, label or local_label(value)) for value, label in values))
    # `ord`: the position in the list's own order, newest first for the kinds with dates.
    conn.execute("INSERT INTO f.item(kind, iri, label, ord, date_min, date_max, data) "
                 f"SELECT kind, iri, label, {STEP} * ROW_NUMBER() OVER (PARTITION BY kind "
                 f"ORDER BY CASE WHEN kind IN ({DATED}) THEN date_max IS NULL END, "
                 f"CASE WHEN kind IN ({DATED}) THEN date_max END DESC, sort, iri), "
                 "date_min, date_max, data FROM item_tmp ORDER BY kind, iri")
    for sql in INDEXES:
        conn.execute(sql.replace("CREATE INDEX ", "CREATE INDEX f.", 1)
                     .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX f.", 1))
    conn.execute("INSERT INTO f.facet SELECT x.kind, x.name, t.id, i.id FROM facet_tmp x "
                 "JOIN f.term t ON t.value = x.value JOIN f.item i ON i.iri = x.iri "
                 "AND i.kind = x.kind ORDER BY 1, 2, 3, 4")
    conn.execute("INSERT INTO f.facet_count SELECT kind, name, term, COUNT(*) FROM f.facet "
                 "GROUP BY kind, name, term ORDER BY kind, name, term")
    conn.execute("INSERT INTO f.stance_edge SELECT i.id, h.term, t.term, y.term, p.term, "
                 "i.date_min, i.date_max FROM f.item i "
                 "JOIN f.facet h ON h.item = i.id AND h.name = 'holder' "
                 "JOIN f.facet t ON t.item = i.id AND t.name = 'target' "
                 "JOIN f.facet y ON y.item = i.id AND y.name = 'type' "
                 "LEFT JOIN f.facet p ON p.item = i.id AND p.name = 'polarity' "
                 "WHERE i.kind = 'stances' ORDER BY 1, 2, 3, 4, 5")
    conn.execute("INSERT INTO f.mark SELECT i.id, s.id, m.date, m.before, t.id, p.id "
                 "FROM mark_tmp m JOIN f.item i ON i.iri = m.stance AND i.kind = 'stances' "
                 "JOIN f.term s ON s.value = m.source LEFT JOIN f.term t ON t.value = m.type "
                 "LEFT JOIN f.term p ON p.value = m.polarity ORDER BY 1, 2")
    conn.execute("INSERT INTO f.doc(id, kind, iri, label, names, body, keys, about, about_label) "
                 f"SELECT {KIND_SPAN} * rank + {STEP} * ROW_NUMBER() OVER (PARTITION BY rank "
                 "ORDER BY iri), kind, iri, label, names, body, keys, about, about_label FROM "
                 f"(SELECT {DOC_ORDER} AS rank, d.kind, d.iri, d.label, d.names, d.body, "
                 "d.keys, d.about, COALESCE(MIN(i.label), l.label, '') AS about_label "
                 "FROM doc_tmp d LEFT JOIN item_tmp i ON i.iri = d.about AND d.about != '' "
                 "LEFT JOIN lab l ON l.iri = d.about GROUP BY d.kind, d.iri) "
                 "ORDER BY rank, iri")
    conn.execute("INSERT INTO f.fts(rowid, label, names, body) "
                 "SELECT id, label, names, body FROM f.doc ORDER BY id")
    stats.items = dict(conn.execute("SELECT kind, COUNT(*) FROM f.item GROUP BY kind "
                                    "ORDER BY kind").fetchall())
    stats.documents = conn.execute("SELECT COUNT(*) FROM f.doc").fetchone()[0]
    meta = {**extra, "format": FORMAT, "kgpub": __version__, "source_sha256": source_sha256,
            "quads": str(stats.quads)}
    conn.executemany("INSERT INTO f.meta VALUES (?, ?)", sorted(meta.items()))


def set_source(path: Path, source_sha256: str) -> None:
    """Record the SHA-256 of the N-Quads an index was made from, once they are written."""
    with closing(_connect(path)) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'source_sha256'", (source_sha256,))


def read_meta(path: Path) -> dict[str, str]:
    """The meta table of an index file; empty when the file is missing or not an index."""
    try:
        with closing(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return {}
