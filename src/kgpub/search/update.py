"""Updating an index for a change of its staged quads, instead of making it anew.

A build that changes a few pieces knows, from the kept file (kept.py), the quads each subject
it touched had before (table old_q) and has now (table q). The things whose rows those quads
make are found, and their rows (items, facets and their counts, stance edges, marks, documents
and their full-text entries, terms) are made again from the staged quads and put in place of
the old ones, in a copy of the previous index. What a row reads beyond its own subject's quads
is followed as well:

- the label of every thing it links to (a stance's holders, an event's statuses and sources,
  the values of its facets, the term table's labels): a changed label makes the rows of every
  subject with a quad whose object it is again (and, for events, of those whose status is
  stated in a graph of that name, the source of the status when the graph names no article);
- the date of an article (the "as of" of an event's statuses);
- the conflicts of the claims graph (`kgp:conflictAbout`): the things they are about;
- an evidence span reads its annotation, the annotation's target and the target's selector,
  and shows the label of what it is evidence of (a label of that thing's item or its own);
- the actor types (a thing is an actor by its type's scheme): a change there makes the index
  anew, as does a change of more than LIMIT of the index's things.

The answers are those of an index made anew from the same data: ids are given with room
between them (index.STEP), so a new document takes its place in the order of names first
(index.DOC_ORDER) and a new item its place in its list (`ord`) without renumbering the rest;
an item's position is found by bisecting its list. The bytes are not those of an index made
anew (other ids, the full-text index in more segments, free pages).
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from . import rows, stage
from .extract import DATES, LABEL_ORDER, Extractor, article_date, best_label
from .index import DOC_RANK, KIND_SPAN, STEP, IndexStats, _connect
from .kinds import KGP, KINDS, OA, SKOS
from .text import local_label

P = stage.code
LIMIT = 0.1  # the share of an index's items past which a change makes the index anew


class Remake(Exception):
    """The change is not one an update makes: make the index anew."""


def update_index(index: Path, kept: Path, quads: int, source_sha256: str) -> IndexStats:
    """Update `index` (a copy of the index made from the rows `kept` had before this build's
    changes) to the rows it has now; Remake when it cannot (the file is then to be made anew)."""
    stats = IndexStats(quads=quads)
    with closing(_connect(index, uri=True)) as conn:
        conn.execute("ATTACH DATABASE ? AS kept", (Path(kept).resolve().as_uri() + "?mode=ro",))
        conn.execute("BEGIN")
        Update(conn).run()
        conn.executemany("UPDATE meta SET value = ? WHERE key = ?",
                         [(str(quads), "quads"), (source_sha256, "source_sha256")])
        stats.items = dict(conn.execute("SELECT kind, COUNT(*) FROM item GROUP BY kind "
                                        "ORDER BY kind").fetchall())
        stats.documents = conn.execute("SELECT COUNT(*) FROM doc").fetchone()[0]
        conn.execute("COMMIT")
    stats.bytes = Path(index).stat().st_size
    return stats


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class Update:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.term_ids: dict[str, int] = {}
        self.next_term = self._max("term")
        self.next_item = self._max("item")

    def _max(self, table: str) -> int:
        return self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0] + 1

    def _fill(self, table: str, values) -> None:
        self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}(s TEXT PRIMARY KEY) "
                          "WITHOUT ROWID")
        self.conn.executemany(f"INSERT OR IGNORE INTO temp.{table} VALUES (?)",
                              ((v,) for v in values))

    # -- what changed -----------------------------------------------------------------------

    def run(self) -> None:
        conn = self.conn
        self._fill("changed", ())
        conn.execute(  # subjects whose quads (as a multiset: duplicates count) differ
            "INSERT INTO temp.changed SELECT DISTINCT s FROM (SELECT s, g, p, o, lang, "
            "SUM(n) AS d FROM (SELECT s, g, p, o, lang, 1 AS n FROM old_q UNION ALL "
            "SELECT q.s, q.g, q.p, q.o, q.lang, -1 FROM q WHERE q.s IN (SELECT s FROM touched)) "
            "GROUP BY s, g, p, o, lang HAVING d != 0)")
        codes = (*LABEL_ORDER, P(stage.TYPE), *(P(d) for d in DATES), P(KGP + "conflictAbout"),
                 P(SKOS + "inScheme"))
        before, after = defaultdict(list), defaultdict(list)
        for table, found in (("old_q", before), ("q", after)):
            for s, p, o, lang in conn.execute(
                    f"SELECT s, p, o, lang FROM {table} WHERE s IN (SELECT s FROM temp.changed) "
                    f"AND p IN ({_marks(len(codes))})", codes):
                found[s].append((p, o, lang))
        changed = [s for (s,) in conn.execute("SELECT s FROM temp.changed")]
        relabelled, redated, about = set(), set(), set()
        actor_type = (P(SKOS + "inScheme"), KGP + "ActorTypes")
        for s in changed:
            old, new = before.get(s, []), after.get(s, [])
            if best_label(old) != best_label(new):
                relabelled.add(s)
            if article_date((p, o) for p, o, _ in old) != article_date((p, o) for p, o, _ in new):
                redated.add(s)
            about |= {o for p, o, _ in old + new if p == P(KGP + "conflictAbout")}
            if (any((p, o) == actor_type for p, o, _ in old)
                    != any((p, o) == actor_type for p, o, _ in new)):
                raise Remake("the actor types changed")
        self.relabelled = relabelled
        # The things whose rows are made again.
        affected = set(changed) | about
        every = tuple(stage.CODE.values())
        for x in relabelled | redated:
            affected.update(s for (s,) in conn.execute(
                f"SELECT DISTINCT s FROM q WHERE p IN ({_marks(len(every))}) AND o = ?",
                (*every, x)))
        if relabelled | redated:
            self._fill("named", relabelled | redated)
            affected.update(s for (s,) in conn.execute(
                "SELECT DISTINCT s FROM q WHERE p = ? AND g IN (SELECT s FROM temp.named)",
                (P(KGP + "status"),)))
        (items,) = conn.execute("SELECT COUNT(*) FROM item").fetchone()
        if len(affected) > LIMIT * max(items, 1):
            raise Remake(f"{len(affected)} things changed")
        self._fill("only", affected)
        # Evidence: the annotations among them, and those whose target or selector changed.
        self._fill("evidence", affected)
        conn.execute(
            "INSERT OR IGNORE INTO temp.evidence SELECT a.s FROM q a WHERE a.p = ? AND a.o IN "
            "(SELECT s FROM temp.changed UNION SELECT t.s FROM q t WHERE t.p = ? AND t.o IN "
            "(SELECT s FROM temp.changed))", (P(OA + "hasTarget"), P(OA + "hasSelector")))
        ex = Extractor(conn, "temp.only", "temp.evidence")
        ex.prepare()
        for kind in (rows.articles, rows.actors, rows.events, rows.quotes, rows.stances,
                     rows.tenures):
            kind(ex)
        ex.concepts()
        ex.finish()
        self.ex = ex
        shown = self._items()
        # Evidence shows the label of what it is evidence of: an item's, else its own.
        self._fill("shown", shown | relabelled)
        conn.execute("INSERT OR IGNORE INTO temp.evidence SELECT s FROM q WHERE p = ? AND o IN "
                     "(SELECT s FROM temp.shown)", (P(OA + "hasBody"),))
        ex.evidence()
        ex.finish()
        self._docs()
        self._terms()

    # -- terms ------------------------------------------------------------------------------

    def term(self, value: str) -> int | None:
        """The id of the term `value` (added when new); None for ""."""
        if not value:
            return None
        found = self.term_ids.get(value)
        if found is None:
            row = self.conn.execute("SELECT id FROM term WHERE value = ?", (value,)).fetchone()
            if row:
                found = row[0]
            else:
                found, self.next_term = self.next_term, self.next_term + 1
                self.conn.execute("INSERT INTO term(id, value, label) VALUES (?, ?, ?)",
                                  (found, value, self.ex.raw_label(value) or local_label(value)))
            self.term_ids[value] = found
        return found

    def _terms(self) -> None:
        """New labels of terms; terms no row uses any more removed."""
        for value in sorted(self.relabelled):
            self.conn.execute("UPDATE term SET label = ? WHERE value = ?",
                              (self.ex.raw_label(value) or local_label(value), value))
        unused = sorted(self.dropped_terms)
        if not unused:
            return
        marks = _marks(len(unused))
        used = {t for (t,) in self.conn.execute(
            f"SELECT DISTINCT term FROM facet_count WHERE term IN ({marks})", unused)}
        unused = [t for t in unused if t not in used]
        if unused:
            marks = _marks(len(unused))
            used = {t for row in self.conn.execute(
                f"SELECT source, type, polarity FROM mark WHERE source IN ({marks}) OR type IN "
                f"({marks}) OR polarity IN ({marks})", unused * 3) for t in row}
            self.conn.executemany("DELETE FROM term WHERE id = ?",
                                  [(t,) for t in unused if t not in used])

    # -- items ------------------------------------------------------------------------------

    def _items(self) -> set[str]:
        """Put the items of the affected things in place; the IRIs whose item labels changed."""
        conn = self.conn
        old: dict[tuple[str, str], tuple] = {}
        for kind, iri, *row in conn.execute(
                "SELECT kind, iri, id, label, ord, date_min, date_max, data FROM item "
                "WHERE iri IN (SELECT s FROM temp.only)"):
            old[kind, iri] = tuple(row)
        ids = {row[0]: key for key, row in old.items()}
        old_facets: dict[tuple[str, str], set] = defaultdict(set)
        old_terms: dict[tuple[str, str], list] = defaultdict(list)
        old_marks: dict[tuple[str, str], set] = defaultdict(set)
        if ids:
            self._fill_ids("old_items", ids)
            for item, name, term, value in conn.execute(
                    "SELECT f.item, f.name, f.term, t.value FROM facet f JOIN term t ON "
                    "t.id = f.term WHERE f.item IN (SELECT id FROM temp.old_items)"):
                old_facets[ids[item]].add((name, value))
                old_terms[ids[item]].append((name, term))
            for stance, *mark in conn.execute(
                    "SELECT m.stance, s.value, m.date, m.before, t.value, p.value FROM mark m "
                    "JOIN term s ON s.id = m.source LEFT JOIN term t ON t.id = m.type "
                    "LEFT JOIN term p ON p.id = m.polarity "
                    "WHERE m.stance IN (SELECT id FROM temp.old_items)"):
                old_marks[ids[stance]].add(tuple(mark))
        new = {(kind, iri): (label, date_min, date_max, data) for kind, iri, label, _, date_min,
               date_max, data in conn.execute("SELECT * FROM temp.item_tmp")}
        if len(new) != conn.execute("SELECT COUNT(*) FROM temp.item_tmp").fetchone()[0]:
            raise Remake("one thing listed twice in a list")
        new_facets: dict[tuple[str, str], set] = defaultdict(set)
        for kind, name, value, iri in conn.execute("SELECT * FROM temp.facet_tmp"):
            new_facets[kind, iri].add((name, value))
        new_marks: dict[tuple[str, str], set] = defaultdict(set)
        for stance, source, date, before, stance_type, polarity in conn.execute(
                "SELECT * FROM temp.mark_tmp"):
            new_marks["stances", stance].add((source, date, before, stance_type or None,
                                              polarity or None))
        # Marks as read back from the index: a value that is no term ("") reads as NULL.
        old_marks = {k: {(s, d, b, t or None, p or None) for s, d, b, t, p in v}
                     for k, v in old_marks.items()}
        redo = [key for key in sorted(old.keys() | new.keys())
                if key not in old or key not in new or old[key][1:2] + old[key][3:] != new[key]
                or old_facets.get(key, set()) != new_facets.get(key, set())
                or old_marks.get(key, set()) != new_marks.get(key, set())]
        shown = {iri for kind, iri in redo
                 if (old[kind, iri][1] if (kind, iri) in old else None)
                 != (new[kind, iri][0] if (kind, iri) in new else None)}
        gone = [old[key][0] for key in redo if key in old]
        counts: Counter[tuple[str, str, int]] = Counter()
        self.dropped_terms: set[int] = set()
        if gone:
            self._fill_ids("gone", gone)
            for key in redo:
                for name, term in old_terms.get(key, ()):
                    counts[key[0], name, term] -= 1
                    self.dropped_terms.add(term)
            self.dropped_terms.update(t for row in conn.execute(
                "SELECT source, type, polarity FROM mark WHERE stance IN "
                "(SELECT id FROM temp.gone)") for t in row if t is not None)
            conn.execute("DELETE FROM facet WHERE item IN (SELECT id FROM temp.gone)")
            conn.execute("DELETE FROM mark WHERE stance IN (SELECT id FROM temp.gone)")
            if any(key[0] == "stances" and key in old for key in redo):
                conn.execute("DELETE FROM stance_edge WHERE item IN (SELECT id FROM temp.gone)")
            conn.execute("DELETE FROM item WHERE id IN (SELECT id FROM temp.gone)")
        # Items whose place in their list is unchanged first, then the others found a place.
        placed, moved = [], []
        for key in redo:
            if key not in new:
                continue
            kind, iri = key
            label, date_min, date_max, data = new[key]
            row = old.get(key)
            item = row[0] if row else None
            if item is None:
                item, self.next_item = self.next_item, self.next_item + 1
            if row and row[1].casefold() == label.casefold() and row[4] == date_max:
                placed.append((key, item, row[2]))
            else:
                moved.append((key, item))
        for key, item, ord_ in placed:
            self._insert_item(key, item, ord_, new[key], new_facets, new_marks, counts)
        for key, item in moved:
            label, _, date_max, _ = new[key]
            ord_ = self._place_item(key[0], (date_max, label.casefold(), key[1]))
            self._insert_item(key, item, ord_, new[key], new_facets, new_marks, counts)
        for (kind, name, term), n in sorted(counts.items()):
            if n:
                conn.execute("INSERT INTO facet_count VALUES (?, ?, ?, ?) ON CONFLICT "
                             "DO UPDATE SET n = n + excluded.n", (kind, name, term, n))
        conn.execute("DELETE FROM facet_count WHERE n <= 0")
        return shown

    def _fill_ids(self, table: str, ids) -> None:
        self.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
        self.conn.execute(f"CREATE TEMP TABLE {table}(id INTEGER PRIMARY KEY)")
        self.conn.executemany(f"INSERT OR IGNORE INTO temp.{table} VALUES (?)",
                              ((i,) for i in ids))

    def _insert_item(self, key, item: int, ord_: int, row, facets, marks, counts) -> None:
        kind, iri = key
        label, date_min, date_max, data = row
        conn = self.conn
        conn.execute("INSERT INTO item(id, kind, iri, label, ord, date_min, date_max, data) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (item, kind, iri, label, ord_, date_min, date_max, data))
        by_name: dict[str, list[int]] = defaultdict(list)
        for name, value in sorted(facets.get(key, ())):
            term = self.term(value)
            conn.execute("INSERT INTO facet VALUES (?, ?, ?, ?)", (kind, name, term, item))
            counts[kind, name, term] += 1
            by_name[name].append(term)
        if kind == "stances":
            conn.executemany(
                "INSERT INTO stance_edge VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(item, h, t, y, p, date_min, date_max) for h in by_name["holder"]
                 for t in by_name["target"] for y in by_name["type"]
                 for p in (by_name["polarity"] or [None])])
            for source, date, before, stance_type, polarity in sorted(
                    marks.get(key, ()), key=str):
                if not source:
                    continue
                conn.execute("INSERT INTO mark VALUES (?, ?, ?, ?, ?, ?)",
                             (item, self.term(source), date, before,
                              self.term(stance_type or ""), self.term(polarity or "")))

    def _place_item(self, kind: str, key: tuple) -> int:
        """An `ord` between the items of `kind` that come before and after `key`."""
        dated = kind in KINDS and KINDS[kind].by_date

        def before(a: tuple, b: tuple) -> bool:  # index._copy's ORDER BY
            if dated and (a[0] is None) != (b[0] is None):
                return a[0] is not None
            if dated and a[0] != b[0]:
                return a[0] > b[0]
            return a[1:] < b[1:]

        def probe(value: int):
            row = self.conn.execute(
                "SELECT ord, date_max, label, iri FROM item WHERE kind = ? AND ord >= ? "
                "ORDER BY ord LIMIT 1", (kind, value)).fetchone()
            return row and (row[0], (row[1], row[2].casefold(), row[3]))

        for _ in range(2):
            found = _between(self.conn, probe, key, before,
                             f"SELECT MIN(ord), MAX(ord) FROM item WHERE kind = '{kind}'")
            low, high = found
            if low is None and high is None:
                return STEP
            if high is None:
                return low + STEP
            if low is None:
                return high - STEP
            if high - low >= 2:
                return low + min(STEP, (high - low) // 2)
            # No room left here: number the list again, STEP apart, and look again.
            self.conn.execute(
                f"UPDATE item SET ord = r.n * {STEP} FROM (SELECT id, ROW_NUMBER() OVER "
                "(ORDER BY ord) AS n FROM item WHERE kind = ?) AS r WHERE item.id = r.id",
                (kind,))
        raise Remake("no room in a list")

    # -- documents --------------------------------------------------------------------------

    def _docs(self) -> None:
        conn = self.conn
        old = {(kind, iri): row for kind, iri, *row in conn.execute(
            "SELECT kind, iri, id, label, names, body, keys, about, about_label FROM doc "
            "WHERE iri IN (SELECT s FROM temp.only) AND kind != 'evidence' UNION ALL "
            "SELECT kind, iri, id, label, names, body, keys, about, about_label FROM doc "
            "WHERE iri IN (SELECT s FROM temp.evidence) AND kind = 'evidence'")}
        new = {}
        for kind, iri, label, names, body, keys, about in conn.execute(
                "SELECT * FROM temp.doc_tmp"):
            if (kind, iri) in new:
                raise Remake("one thing with two documents of a kind")
            new[kind, iri] = [label, names, body, keys, about, self._about_label(about)]
        for key in sorted(old.keys() | new.keys()):
            before, after = old.get(key), new.get(key)
            if before and after and before[1:] == after:
                continue
            if before and after and before[1:4] == after[:3]:  # the same text
                conn.execute("UPDATE doc SET keys = ?, about = ?, about_label = ? WHERE id = ?",
                             (*after[3:], before[0]))
                continue
            if before:
                conn.execute("INSERT INTO fts(fts, rowid, label, names, body) "
                             "VALUES ('delete', ?, ?, ?, ?)", before[:4])
                if not after:
                    conn.execute("DELETE FROM doc WHERE id = ?", (before[0],))
                    continue
                doc = before[0]
                conn.execute("UPDATE doc SET label = ?, names = ?, body = ?, keys = ?, "
                             "about = ?, about_label = ? WHERE id = ?", (*after, doc))
            else:
                doc = self._place_doc(*key)
                conn.execute("INSERT INTO doc(id, kind, iri, label, names, body, keys, about, "
                             "about_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (doc, *key, *after))
            conn.execute("INSERT INTO fts(rowid, label, names, body) VALUES (?, ?, ?, ?)",
                         (doc, *after[:3]))

    def _about_label(self, about: str) -> str:
        """index._copy's about_label: the least label of the items of `about`, else its own."""
        if not about:
            return ""
        (label,) = self.conn.execute("SELECT MIN(label) FROM item WHERE iri = ?",
                                     (about,)).fetchone()
        if label is None:
            label = self.ex.raw_label(about)
        return label or ""

    def _place_doc(self, kind: str, iri: str) -> int:
        """An id between the documents before and after this one (index.DOC_ORDER, then IRI)."""
        rank = DOC_RANK.get(kind, 5)

        def probe(value: int):
            row = self.conn.execute("SELECT id, kind, iri FROM doc WHERE id >= ? ORDER BY id "
                                    "LIMIT 1", (value,)).fetchone()
            return row and (row[0], (DOC_RANK.get(row[1], 5), row[2]))

        low, high = _between(self.conn, probe, (rank, iri), lambda a, b: a < b,
                             "SELECT MIN(id), MAX(id) FROM doc")
        own = rank * KIND_SPAN + STEP  # where the kind begins in an index made anew
        if low is not None and self._rank_of(low) == rank:  # after the last of its kind
            found = low + (STEP if high is None else min(STEP, (high - low) // 2))
        elif high is not None and self._rank_of(high) == rank:  # before the first
            found = high - (STEP if low is None else min(STEP, (high - low) // 2))
            if low is None and found < 1:
                found = high // 2
        elif (low is None or low < own) and (high is None or own < high):
            found = own  # the first of its kind
        else:
            found = (low + high) // 2 if low is not None and high is not None else -1
        if found < 1 or (low is not None and found <= low) or (high is not None and found >= high):
            raise Remake("no room for a document")
        return found

    def _rank_of(self, doc: int) -> int:
        (kind,) = self.conn.execute("SELECT kind FROM doc WHERE id = ?", (doc,)).fetchone()
        return DOC_RANK.get(kind, 5)


def _between(conn: sqlite3.Connection, probe: Callable, key: tuple,
             before: Callable[[tuple, tuple], bool], bounds: str) -> tuple:
    """The positions (ord or id, None where there is none) of the last row before `key` and
    the first after it, found by bisecting the positions: `probe(v)` is the first row at or
    after position v, as (position, key)."""
    first, last = conn.execute(bounds).fetchone()
    if first is None:
        return None, None

    def after_key(value: int) -> bool:  # the first row at or after `value` comes after key
        found = probe(value)
        return found is None or before(key, found[1])

    if after_key(first):
        return None, first
    low, high = first, last + 1  # after_key(low) is false, after_key(high) true
    while high - low > 1:
        middle = (low + high) // 2
        if after_key(middle):
            high = middle
        else:
            low = middle
    found = probe(high)
    return low, (found[0] if found else None)
