"""The graph kgg:claims, kept between builds: re-derived only where the changed sources reach.

A build that changes one article of thousands must not derive and serialise the whole claims
graph again (at 10,000 articles it is ~700,000 triples). So the build index keeps every claim
triple with what it was derived for: ("T", thing) for a thing's latest values and conflicts,
("F", fact) for a fact's report counts. A build marks dirty the things and facts that the rows
of its changed sources (as they were, and as they are) mention, deletes their triples, derives
them again (`claims.derive_from_index`, restricted), and re-serialises only the buckets that
changed.

Buckets: triples are cut by a 63-bit hash of their subject into 2**bits ranges, `bits` chosen
from the number of triples (about PER_BUCKET per bucket), so that equal triples always share a
bucket (they are written once) and a bucket's content depends only on the triples, never on
the history of builds: an incremental build writes the bytes a fresh one does. Each bucket is a
cached part (pieces.serialise) recording the digest of its triples; a part whose digest is not
the index's is serialised again, so a build killed half-way cannot leave a stale part in use.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from ..claims import FACTS, THINGS, ConflictSummary, Properties, derive_from_index
from ..namespaces import KGG
from .cache import BuildCache, Entry
from .pieces import serialise

SCHEMA = """
CREATE TABLE IF NOT EXISTS claim_triple (h INTEGER, s TEXT, p TEXT, o TEXT, kind TEXT, k TEXT);
CREATE INDEX IF NOT EXISTS claim_triple_k ON claim_triple (kind, k);
CREATE INDEX IF NOT EXISTS claim_triple_h ON claim_triple (h);
CREATE TABLE IF NOT EXISTS claim_conflict (s TEXT, p TEXT, kind TEXT, vals TEXT,
    PRIMARY KEY (s, p)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claim_bucket (bucket INTEGER PRIMARY KEY, digest TEXT, n INTEGER);
CREATE TABLE IF NOT EXISTS claim_meta (key TEXT PRIMARY KEY, value TEXT);
"""
PER_BUCKET = 400
"""About how many triples a bucket holds: a changed thing re-serialises its bucket only."""
HASH_BITS = 63
GRAPH = str(KGG.claims)
STATS_SOURCE = "shared:claims:"
"""The statistics of bucket i are those of the source f"{STATS_SOURCE}{i}"."""


def subject_hash(subject: str) -> int:
    """A 63-bit hash (a non-negative SQLite integer): its top bits are the bucket."""
    digest = hashlib.blake2b(subject.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def bits_for(triples: int) -> int:
    return 0 if triples <= PER_BUCKET else math.ceil(math.log2(triples / PER_BUCKET))


@dataclass
class Dirty:
    """What the changed sources can affect: things, facts, and sources whose derivations (what
    they say they derive from) changed."""

    things: set[str] = field(default_factory=set)
    facts: set[str] = field(default_factory=set)
    derivations: set[str] = field(default_factory=set)
    sources: int = 0

    def add_rows(self, db: sqlite3.Connection, source: str) -> list[str]:
        """The rows `source` has in the index now (before they are replaced or removed); its
        parents, for `derivations_changed`."""
        self.sources += 1
        self.things.update(s for (s,) in db.execute(
            "SELECT s FROM claim_values WHERE source = ?", (source,)))
        self.things.update(s for (s,) in db.execute(
            "SELECT s FROM evidence WHERE source = ?", (source,)))
        self.facts.update(f for (f,) in db.execute(
            "SELECT fact FROM reports WHERE source = ?", (source,)))
        return sorted(p for (p,) in db.execute(
            "SELECT parent FROM derivations WHERE source = ?", (source,)))

    def add_index(self, values: Iterable[tuple], evidence: Iterable[tuple],
                  facts: Iterable[str]) -> None:
        self.things.update(s for s, _, _ in values)
        self.things.update(s for s, _ in evidence)
        self.facts.update(facts)

    def derivations_changed(self, source: str, before: list[str], after: Iterable[str]) -> None:
        if before != sorted(after):
            self.derivations.add(source)


class ClaimsGraph:
    """The claims graph's rows in the build index, and its parts in the build cache."""

    def __init__(self, db: sqlite3.Connection, cache: BuildCache) -> None:
        self.db = db
        self.cache = cache
        self.area = cache.root / "claims"
        db.executescript(SCHEMA)

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM claim_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO claim_meta VALUES (?, ?)", (key, value))

    def update(self, dirty: Dirty | None, properties: Properties,
               closure: Callable[[ox.Triple], list[ox.Triple]]) -> list[tuple[int, bool]]:
        """Derive again what `dirty` names (everything when None, or when there is nothing
        kept yet); the buckets whose triples changed, as (bucket, is it the whole graph)."""
        db = self.db
        whole = dirty is None or self._meta("complete") != "1"
        self._set_meta("complete", "0")
        touched: set[int] = set()
        if whole:
            db.execute("DELETE FROM claim_triple")
            db.execute("DELETE FROM claim_conflict")
        else:
            assert dirty is not None
            self._mark(dirty)
            touched.update(h for (h,) in db.execute(
                f"SELECT DISTINCT h FROM claim_triple WHERE (kind = 'T' AND k IN "
                f"(SELECT k FROM {THINGS})) OR (kind = 'F' AND k IN (SELECT k FROM {FACTS}))"))
            db.execute(f"DELETE FROM claim_triple WHERE (kind = 'T' AND k IN "
                       f"(SELECT k FROM {THINGS})) OR (kind = 'F' AND k IN "
                       f"(SELECT k FROM {FACTS}))")
            db.execute(f"DELETE FROM claim_conflict WHERE s IN (SELECT k FROM {THINGS})")
        rows: list[tuple] = []

        def keyed(kind: str, key: str, triple: ox.Triple) -> None:
            for t in closure(triple):
                s = str(t.subject)
                rows.append((subject_hash(s), s, str(t.predicate), str(t.object), kind, key))
            if len(rows) >= 50_000:
                flush()

        def flush() -> None:
            db.executemany("INSERT INTO claim_triple VALUES (?, ?, ?, ?, ?, ?)", rows)
            touched.update(r[0] for r in rows)
            rows.clear()

        derived = derive_from_index(_Index(db), properties, keyed=keyed, restricted=not whole)
        flush()
        db.executemany("INSERT OR REPLACE INTO claim_conflict VALUES (?, ?, ?, ?)",
                       [(c.about, c.prop, str(c.kind), json.dumps(c.values, sort_keys=True))
                        for c in derived.conflicts])
        (total,) = db.execute("SELECT COUNT(*) FROM claim_triple").fetchone()
        bits = bits_for(total)
        if whole or self._meta("bits") != str(bits):
            db.execute("DELETE FROM claim_bucket")
            self._set_meta("bits", str(bits))
            return [(b, True) for b in range(1 << bits)]
        return [(b, False) for b in sorted({h >> (HASH_BITS - bits) for h in touched})]

    def _mark(self, dirty: Dirty) -> None:
        db = self.db
        facts = set(dirty.facts)
        if dirty.derivations:  # what derives from them, through any chain, counts anew
            children: dict[str, set[str]] = {}
            for source, parent in db.execute("SELECT source, parent FROM derivations"):
                children.setdefault(parent, set()).add(source)
            stack, seen = list(dirty.derivations), set(dirty.derivations)
            while stack:
                for child in children.get(stack.pop(), ()):
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
            for source in seen:
                facts.update(f for (f,) in db.execute(
                    "SELECT fact FROM reports WHERE source = ?", (source,)))
        for table, keys in ((THINGS, dirty.things), (FACTS, facts)):
            db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute(f"CREATE TABLE {table} (k TEXT PRIMARY KEY)")
            db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", [(k,) for k in keys])

    def conflicts(self) -> list[ConflictSummary]:
        return [ConflictSummary(s, p, URIRef(kind), json.loads(vals)) for s, p, kind, vals in
                self.db.execute("SELECT s, p, kind, vals FROM claim_conflict ORDER BY s, p")]

    def parts(self, buckets: list[tuple[int, bool]],
              counted: Callable[[int, list[ox.Triple]], None]) -> list[Entry]:
        """Every bucket's part, in order: those in `buckets` serialised again when their
        triples changed, and any whose cached part is missing or not the index's; `counted`
        gets each serialised bucket's triples (its statistics change with them)."""
        db = self.db
        bits = int(self._meta("bits") or 0)
        for bucket, everything in buckets:
            self._refresh(bucket, bits, counted, recount=everything)
        parts = []
        for bucket, digest in db.execute(
                "SELECT bucket, digest FROM claim_bucket ORDER BY bucket").fetchall():
            entry = self.cache.load_part(self.area, _name(bits, bucket))
            if entry is None or entry.body.get("digest") != digest:
                self._refresh(bucket, bits, counted, force=True)
                entry = self.cache.load_part(self.area, _name(bits, bucket))
                if entry is None:
                    raise RuntimeError(f"the claims part {bucket} could not be made")
            parts.append(entry)
        self._set_meta("complete", "1")
        self.cache.keep_only({_name(bits, b) for b, _ in
                              db.execute("SELECT bucket, digest FROM claim_bucket")}, self.area)
        return parts

    def _refresh(self, bucket: int, bits: int,
                 counted: Callable[[int, list[ox.Triple]], None], force: bool = False,
                 recount: bool = True) -> None:
        """Bucket `bucket` from the index: its row in claim_bucket, its part (serialised
        unless the cached one holds these very triples), its statistics (`counted`; not
        again when `recount` is False and its triples are the ones claim_bucket has: a bucket
        that an edited article's things touch is most often unchanged)."""
        db = self.db
        low = bucket << (HASH_BITS - bits)
        last = ((bucket + 1) << (HASH_BITS - bits)) - 1
        lines = sorted({f"{s} {p} {o} .\n" for s, p, o in db.execute(
            "SELECT s, p, o FROM claim_triple WHERE h BETWEEN ? AND ?", (low, last))})
        if not lines:
            db.execute("DELETE FROM claim_bucket WHERE bucket = ?", (bucket,))
            counted(bucket, [])
            return
        text = "".join(lines).encode("utf-8")
        digest = hashlib.sha256(text).hexdigest()
        if not (force or recount):
            row = db.execute("SELECT digest FROM claim_bucket WHERE bucket = ?",
                             (bucket,)).fetchone()
            if row is not None and row[0] == digest:
                return  # its part is checked against this digest in `parts`
        triples = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
        name = _name(bits, bucket)
        entry = None if force else self.cache.load_part(self.area, name)
        if entry is None or entry.body.get("digest") != digest:
            piece = serialise([(GRAPH, triples)])
            self.cache.store(name, {"article_id": name, "digest": digest, **piece.body()},
                             piece.blobs, area=self.area)
        db.execute("INSERT OR REPLACE INTO claim_bucket VALUES (?, ?, ?)",
                   (bucket, digest, len(triples)))
        counted(bucket, triples)


def _name(bits: int, bucket: int) -> str:
    return f"claims-{bits:02d}-{bucket:06d}"


class _Index:
    """What derive_from_index reads of an index: its connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
