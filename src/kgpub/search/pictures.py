"""The data of the pictures: stance timelines (one mark per stance and reporting source) and
the stance network (edges between holder and target, weighted by the number of stances).

The site lays them out as SVG (kgpub/site/timeline.py, kgpub/site/network.py); here they are
only selected and counted, bounded so that a picture stays readable and cheap on any corpus.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from .browse import DATE
from .extract import high, low
from .text import BadQuery

MAX_MARKS = 1_500
NETWORK_NODES = 40
NETWORK_EDGES = 160
MAX_IRI_CHARS = 2_000
STANCE_FACET = ("SELECT f.item FROM facet f JOIN term t ON t.id = f.term "
                "WHERE t.value = ? AND f.kind = 'stances' AND f.name IN ({names})")


def _check_dates(date_from: str, date_to: str) -> None:
    """Dates as YYYY, YYYY-MM or YYYY-MM-DD (a range that ends before it begins is empty)."""
    for name, value in (("from", date_from), ("to", date_to)):
        if value and not DATE.fullmatch(value):
            raise BadQuery(f"{name}={value[:40]!r} is not a date: write YYYY, YYYY-MM or "
                           "YYYY-MM-DD")


def _stances(actor: str, holder: str, target: str, stance_type: str) -> tuple[str, list[str]]:
    """A sub-select of the stance items meeting every condition given."""
    parts, params = [], []
    for value, names in ((actor, "'holder', 'target', 'speaker'"), (holder, "'holder'"),
                         (target, "'target'"), (stance_type, "'type'")):
        if value:
            if len(value) > MAX_IRI_CHARS:
                raise BadQuery(f"an IRI of more than {MAX_IRI_CHARS:,} characters")
            parts.append(STANCE_FACET.format(names=names))
            params.append(value)
    if not parts:
        return "SELECT id FROM item WHERE kind = 'stances'", []
    return " INTERSECT ".join(parts), params


# -- timelines --------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineQuery:
    actor: str = ""  # holder, target or speaker
    holder: str = ""
    target: str = ""
    stance_type: str = ""
    date_from: str = ""
    date_to: str = ""


@dataclass(frozen=True)
class Mark:
    stance: str
    stance_label: str
    date: str
    before: bool  # the stance was stated on or before `date`
    type: str
    type_label: str
    polarity: str
    polarity_label: str
    source: str  # the reporting article (or graph)
    source_label: str
    publisher: str
    conflicts: str  # properties the sources disagree on, or ""


@dataclass
class Timeline:
    query: TimelineQuery
    marks: list[Mark] = field(default_factory=list)
    total: int = 0  # marks matching; the newest MAX_MARKS are kept
    labels: dict[str, str] = field(default_factory=dict)


def timeline(conn: sqlite3.Connection, query: TimelineQuery) -> Timeline:
    _check_dates(query.date_from, query.date_to)
    chosen, params = _stances(query.actor, query.holder, query.target, query.stance_type)
    where = f"m.stance IN ({chosen})"
    if query.date_from:
        where += " AND m.date >= ?"
        params.append(low(query.date_from))
    if query.date_to:
        where += " AND m.date <= ?"
        params.append(high(query.date_to))
    out = Timeline(query)
    out.total = conn.execute(f"SELECT COUNT(*) FROM mark m WHERE {where}", params).fetchone()[0]
    found = conn.execute(
        "SELECT i.iri, i.label, m.date, m.before, ty.value, ty.label, po.value, po.label, "
        "so.value, so.label, json_extract(a.data, '$.publisher[0].label'), "
        "json_extract(i.data, '$.conflicts') FROM mark m JOIN item i ON i.id = m.stance "
        "JOIN term so ON so.id = m.source LEFT JOIN term ty ON ty.id = m.type "
        "LEFT JOIN term po ON po.id = m.polarity "
        "LEFT JOIN item a ON a.iri = so.value AND a.kind = 'articles' "
        f"WHERE {where} ORDER BY m.date DESC, i.ord, so.value LIMIT ?",
        (*params, MAX_MARKS)).fetchall()
    out.marks = [Mark(r[0], r[1], r[2], bool(r[3]), r[4] or "", r[5] or "", r[6] or "",
                      r[7] or "", r[8], r[9], r[10] or "", r[11] or "") for r in reversed(found)]
    named = [v for v in (query.actor, query.holder, query.target, query.stance_type) if v]
    if named:
        out.labels = dict(conn.execute(
            f"SELECT value, label FROM term WHERE value IN ({', '.join('?' * len(named))})",
            named).fetchall())
    return out


# -- the network ------------------------------------------------------------------------------

@dataclass(frozen=True)
class NetworkQuery:
    stance_type: str = ""
    date_from: str = ""
    date_to: str = ""


@dataclass
class Edge:
    holder: str
    target: str
    weight: int  # stances from holder to target
    polarities: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)


@dataclass
class Network:
    query: NetworkQuery
    edges: list[Edge] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    stances: int = 0  # stances in the filter
    nodes_total: int = 0  # actors linked by them, of which the best connected are drawn
    edges_total: int = 0


def network(conn: sqlite3.Connection, query: NetworkQuery) -> Network:
    """The (holder, target) pairs of the stances in the filter, each with its number of
    stances; the best-connected actors and the heaviest pairs among them are kept, with how
    their stances divide by polarity and by type. Read from stance_edge, one table scan."""
    _check_dates(query.date_from, query.date_to)
    where, params = ["1"], []
    if query.stance_type:
        if len(query.stance_type) > MAX_IRI_CHARS:
            raise BadQuery(f"an IRI of more than {MAX_IRI_CHARS:,} characters")
        where.append("type = (SELECT id FROM term WHERE value = ?)")
        params.append(query.stance_type)
    if query.date_from:
        where.append("date_max >= ?")
        params.append(low(query.date_from))
    if query.date_to:
        where.append("date_min <= ?")
        params.append(high(query.date_to))
    selected = " AND ".join(where)
    out = Network(query)
    out.stances = conn.execute(f"SELECT COUNT(DISTINCT item) FROM stance_edge WHERE {selected}",
                               params).fetchone()[0]
    # Ties are broken by the actors' IRIs (term ids are arbitrary: see update.py).
    value: dict[int, str] = {}
    pairs = []
    for h, t, n, h_value, t_value in conn.execute(
            "SELECT e.holder, e.target, COUNT(DISTINCT e.item), h.value, t.value "
            f"FROM stance_edge e JOIN term h ON h.id = e.holder JOIN term t ON t.id = e.target "
            f"WHERE {selected} GROUP BY e.holder, e.target", params):
        pairs.append((h, t, n))
        value[h], value[t] = h_value, t_value
    degree: Counter[int] = Counter()
    for h, t, n in pairs:
        degree[h] += n
        degree[t] += n
    out.nodes_total, out.edges_total = len(degree), len(pairs)
    keep = {n for n, _ in sorted(degree.items(),
                                 key=lambda d: (-d[1], value[d[0]]))[:NETWORK_NODES]}
    kept = sorted(((h, t, n) for h, t, n in pairs if h in keep and t in keep),
                  key=lambda e: (-e[2], value[e[0]], value[e[1]]))[:NETWORK_EDGES]
    if not kept:
        return out
    nodes = sorted({x for h, t, _ in kept for x in (h, t)})
    marks = ", ".join("?" * len(nodes))
    edges = {(h, t): Edge("", "", n) for h, t, n in kept}
    used = set(nodes)
    for column in ("polarity", "type"):
        for h, t, value, n in conn.execute(
                f"SELECT holder, target, {column}, COUNT(DISTINCT item) FROM stance_edge "
                f"WHERE {selected} AND holder IN ({marks}) AND target IN ({marks}) "
                f"AND {column} IS NOT NULL GROUP BY holder, target, {column}",
                (*params, *nodes, *nodes)):
            edge = edges.get((h, t))
            if edge is not None:
                (edge.polarities if column == "polarity" else edge.types)[value] += n
                used.add(value)
    ids = sorted(used)
    terms = {i: (v, label) for i, v, label in conn.execute(
        f"SELECT id, value, label FROM term WHERE id IN ({', '.join('?' * len(ids))})", ids)}
    for (h, t), edge in edges.items():
        edge.holder, edge.target = terms[h][0], terms[t][0]
        edge.polarities = Counter({terms[k][0]: n for k, n in edge.polarities.items()})
        edge.types = Counter({terms[k][0]: n for k, n in edge.types.items()})
    out.edges = list(edges.values())
    out.labels = {v: label for v, label in terms.values()}
    return out


def stance_types(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    return conn.execute("SELECT t.value, t.label, c.n FROM facet_count c JOIN term t ON "
                        "t.id = c.term WHERE c.kind = 'stances' AND c.name = 'type' "
                        "ORDER BY t.label, t.value").fetchall()
