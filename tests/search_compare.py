"""Two search indexes compared by what they hold and what they answer, not by their bytes: an
index updated by a build (kgpub.search.update) against one made anew from the same N-Quads.

Ids are arbitrary, so every table is read with its ids replaced by what they stand for (a term
by its value, an item by its kind and IRI, a document by its kind and IRI); the orders the
queries rely on are compared as orders (documents by id, each list's items by `ord`); the
full-text index is compared word by word and position by position (fts5vocab).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from kgpub.search import SearchIndex
from kgpub.search.browse import Filters
from kgpub.search.kinds import KINDS, SEARCH_KINDS
from kgpub.search.pictures import NetworkQuery, TimelineQuery


def tables(path: Path) -> dict[str, object]:
    """Every table of the index at `path`, its ids replaced by what they stand for."""
    with closing(sqlite3.connect(path)) as conn:  # (the check is a command, written as one)
        conn.execute("INSERT INTO fts(fts) VALUES ('integrity-check')")  # raises when broken
        term = dict(conn.execute("SELECT id, value FROM term"))
        item = {i: (k, iri) for i, k, iri in conn.execute("SELECT id, kind, iri FROM item")}
        doc = {i: (k, iri) for i, k, iri in conn.execute("SELECT id, kind, iri FROM doc")}
        out: dict[str, object] = {
            "meta": sorted(conn.execute("SELECT key, value FROM meta")),
            "term": sorted(conn.execute("SELECT value, label FROM term")),
            "item": sorted(conn.execute("SELECT kind, iri, label, date_min, date_max, data "
                                        "FROM item")),
            "item order": [(k, iri) for k, iri in conn.execute(
                "SELECT kind, iri FROM item ORDER BY kind, ord")],
            "facet": sorted((k, n, term[t], item[i]) for k, n, t, i in
                            conn.execute("SELECT * FROM facet")),
            "facet_count": sorted((k, n, term[t], c) for k, n, t, c in
                                  conn.execute("SELECT * FROM facet_count")),
            "stance_edge": sorted(((item[i], term[h], term[t], term[y], term.get(p), a, b)
                                   for i, h, t, y, p, a, b in
                                   conn.execute("SELECT * FROM stance_edge")), key=repr),
            "mark": sorted((item[s], term[o], d, b, term.get(t), term.get(p))
                           for s, o, d, b, t, p in conn.execute("SELECT * FROM mark")),
            # In id order: the order of names first (index.DOC_ORDER), then by IRI.
            "doc": list(conn.execute("SELECT kind, iri, label, names, body, keys, about, "
                                     "about_label FROM doc ORDER BY id")),
        }
        conn.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, fts, instance)")
        out["fts"] = sorted((w, doc[d], c, o) for w, d, c, o in
                            conn.execute("SELECT term, doc, col, offset FROM temp.words"))
        out["fts rows"] = sorted(conn.execute(
            "SELECT d.kind, d.iri, f.label, f.names, f.body FROM fts f JOIN doc d "
            "ON d.id = f.rowid"))
    return out


def words(path: Path, n: int = 40) -> list[str]:
    """Texts to search for: the most frequent words of the index, some rare ones, prefixes."""
    with closing(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)) as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, fts, row)")
        found = [w for (w,) in conn.execute("SELECT term FROM temp.v ORDER BY doc DESC, term "
                                            "LIMIT ?", (n,))]
        found += [w for (w,) in conn.execute("SELECT term FROM temp.v WHERE doc = 1 "
                                             "ORDER BY term LIMIT ?", (n // 2,))]
    return found + [w[:3] for w in found[:10]] + [" ".join(found[:2])]


def answers(path: Path, texts: list[str], iris: list[str]) -> dict[str, object]:
    """What the index answers: searches of `texts` (every kind and each), every list with
    its facets (no filter, and each facet's most frequent value), timelines and networks
    (of all, and of each IRI in `iris`), the stance types and counts."""
    index = SearchIndex(path, deadline=60.0)
    out: dict[str, object] = {"counts": index.counts(), "types": index.stance_types()}
    for text in texts:
        out[f"search {text}"] = index.search(text, limit=100)
        for kind in SEARCH_KINDS:
            out[f"search {text} {kind}"] = index.search(text, kind=kind, limit=30)
    for kind, spec in KINDS.items():
        listing = index.browse(kind, Filters(), 1, 50)
        out[f"list {kind}"] = listing
        out[f"list {kind} 2"] = index.browse(kind, Filters(), 2, 50)
        out[f"rows {kind}"] = list(index.export(kind, Filters()))
        for facet in listing.facets:
            for value in facet.values[:2]:
                filters = Filters(((facet.name, value.value),))
                out[f"list {kind} {facet.name}={value.value}"] = index.browse(kind, filters, 1,
                                                                             20)
        if spec.by_date:
            out[f"list {kind} dates"] = index.browse(kind, Filters((), "2022-02", "2022-03"),
                                                     1, 20)
    out["timeline"] = index.timeline(TimelineQuery())
    out["network"] = index.network(NetworkQuery())
    for iri in iris:
        out[f"timeline {iri}"] = index.timeline(TimelineQuery(actor=iri))
        out[f"network {iri}"] = index.network(NetworkQuery(stance_type=iri))
        out[f"find {iri}"] = index.find(iri)
    return out


def differences(a: dict, b: dict) -> list[str]:
    """The keys whose values differ (with the first differing element for lists)."""
    found = []
    for key in sorted(a.keys() | b.keys()):
        x, y = a.get(key), b.get(key)
        if x != y:
            if isinstance(x, list) and isinstance(y, list):
                first = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q),
                             min(len(x), len(y)))
                found.append(f"{key}: at {first} (of {len(x)}, {len(y)}): "
                             f"{x[first:first + 1]!r:.300} != {y[first:first + 1]!r:.300}")
            else:
                found.append(f"{key}: {x!r:.300} != {y!r:.300}")
    return found
