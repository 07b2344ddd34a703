"""Across sources: where they conflict, the latest reported value, and how many report a fact.

Each article says what it says in its own graph. This module keeps a compact index of every
source in SQLite (the values it states for single-valued properties, the evidence of its facts,
its date, what it derives from) and derives from it the graph `kgg:claims`: a `kgp:Conflict`
for every thing and single-valued property (declared in the ontology) that sources give
different values of, each value a `kgp:Claim` with its sources and evidence; the latest
reported value of time-varying properties (an event's status); and, for every fact, how many
articles report it and how many of those do not derive from another report of it.

The index is a table per kind of row, keyed by source, so that a build updates only the rows of
the articles that changed and the derivation runs in SQL, not in a whole-corpus graph.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import groupby

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .convert.identity import short_hash
from .namespaces import KGP, KGR
from .rdfio import to_ox_term, to_rdflib_term

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, as_of TEXT);
CREATE TABLE IF NOT EXISTS claim_values (s TEXT, p TEXT, o TEXT, source TEXT);
CREATE INDEX IF NOT EXISTS claim_values_sp ON claim_values (s, p);
CREATE INDEX IF NOT EXISTS claim_values_source ON claim_values (source);
CREATE TABLE IF NOT EXISTS evidence (s TEXT, ann TEXT, source TEXT);
CREATE INDEX IF NOT EXISTS evidence_s ON evidence (s, source);
CREATE INDEX IF NOT EXISTS evidence_source ON evidence (source);
CREATE TABLE IF NOT EXISTS reports (fact TEXT, source TEXT);
CREATE INDEX IF NOT EXISTS reports_fact ON reports (fact);
CREATE INDEX IF NOT EXISTS reports_source ON reports (source);
CREATE TABLE IF NOT EXISTS derivations (source TEXT, parent TEXT);
CREATE INDEX IF NOT EXISTS derivations_source ON derivations (source);
"""


@dataclass
class Properties:
    """Which properties admit one value per thing, and which of them vary over time."""

    single: frozenset[URIRef]
    time_varying: frozenset[URIRef]
    latest: dict[URIRef, URIRef]
    latest_as_of: dict[URIRef, URIRef]

    @classmethod
    def from_ontology(cls, ontology: Graph) -> Properties:
        varying = {p for p in ontology.subjects(RDF.type, KGP.TimeVaryingProperty)
                   if isinstance(p, URIRef)}
        single = {p for p in ontology.subjects(RDF.type, KGP.SingleValuedProperty)
                  if isinstance(p, URIRef)} | varying
        latest = {p: v for p in varying
                  if isinstance(v := ontology.value(p, KGP.latestValueProperty), URIRef)}
        as_of = {p: v for p in varying
                 if isinstance(v := ontology.value(p, KGP.latestAsOfProperty), URIRef)}
        return cls(frozenset(single), frozenset(varying), latest, as_of)


@dataclass
class SourceIndex:
    """What one source contributes to the cross-source work, as N-Triples terms (strings)."""

    source: str
    as_of: dt.date | None
    values: set[tuple[str, str, str]] = field(default_factory=set)
    """(thing, property, value) for single-valued properties."""
    evidence: set[tuple[str, str]] = field(default_factory=set)
    """(fact, annotation)"""
    facts: list[str] = field(default_factory=list)
    derived_from: set[str] = field(default_factory=set)


def index_source(source: str, as_of: dt.date | None, triples: Iterable[tuple],
                 properties: Properties, facts: Iterable[str] = (),
                 derived_from: Iterable[str] = ()) -> SourceIndex:
    """The index of one source from its triples (rdflib terms; IRIs become their strings)."""
    single = {str(p) for p in properties.single}
    evidence_p = str(KGP.evidence)
    index = SourceIndex(source, as_of, facts=list(dict.fromkeys(str(f) for f in facts)),
                        derived_from={str(d) for d in derived_from})
    for s, p, o in triples:
        if not isinstance(s, URIRef):
            continue
        if str(p) in single:
            index.values.add((str(s), str(p), _term(o)))
        elif str(p) == evidence_p and isinstance(o, URIRef):
            index.evidence.add((str(s), str(o)))
    return index


def _term(o) -> str:
    """An object as N-Triples (IRIs in <>, literals with their datatype or language)."""
    return str(to_ox_term(o))


class ClaimsIndex:
    """The SQLite index of every source (in a file of the build cache, or in memory)."""

    def __init__(self, path: str = ":memory:") -> None:
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def sources(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT source FROM sources")}

    def remove(self, sources: Iterable[str]) -> None:
        rows = [(s,) for s in sources]
        for table in ("sources", "claim_values", "evidence", "reports", "derivations"):
            self.db.executemany(f"DELETE FROM {table} WHERE source = ?", rows)

    def put(self, index: SourceIndex) -> None:
        """Replace the rows of `index.source` with `index`."""
        self.remove([index.source])
        src = index.source
        self.db.execute("INSERT INTO sources VALUES (?, ?)",
                        (src, index.as_of.isoformat() if index.as_of else None))
        self.db.executemany("INSERT INTO claim_values VALUES (?, ?, ?, ?)",
                            [(s, p, o, src) for s, p, o in sorted(index.values)])
        self.db.executemany("INSERT INTO evidence VALUES (?, ?, ?)",
                            [(s, a, src) for s, a in sorted(index.evidence)])
        self.db.executemany("INSERT INTO reports VALUES (?, ?)", [(f, src) for f in index.facts])
        self.db.executemany("INSERT INTO derivations VALUES (?, ?)",
                            [(src, d) for d in sorted(index.derived_from)])

    def commit(self) -> None:
        self.db.commit()


@dataclass
class ConflictSummary:
    about: str
    prop: str
    kind: URIRef
    values: dict[str, list[str]]


@dataclass
class Derived:
    triples: list[ox.Triple]
    conflicts: list[ConflictSummary]

    @property
    def disagreements(self) -> int:
        return sum(c.kind == KGP.Disagreement for c in self.conflicts)

    @property
    def changes(self) -> int:
        return sum(c.kind == KGP.ChangeOverTime for c in self.conflicts)

    @property
    def graph(self) -> Graph:
        """The claims as an rdflib Graph (for inspection of small datasets, e.g. tests)."""
        g = Graph()
        for t in self.triples:
            g.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate),
                   to_rdflib_term(t.object)))
        return g


def _node(text: str) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An N-Triples term back as a pyoxigraph term."""
    if text.startswith("<"):
        return ox.NamedNode(text[1:-1])
    return next(iter(ox.parse(f"<urn:x:s> <urn:x:p> {text} .".encode(),
                              format=ox.RdfFormat.N_TRIPLES))).object


def _iri(text: str) -> ox.NamedNode:
    return ox.NamedNode(text)


THINGS = "temp.dirty_things"
FACTS = "temp.dirty_facts"
"""The temporary tables (column `k`) a restricted derivation reads (see derive_from_index)."""


def derive_from_index(index: ClaimsIndex, properties: Properties,
                      sink: Callable[[ox.Triple], None] | None = None,
                      keyed: Callable[[str, str, ox.Triple], None] | None = None,
                      restricted: bool = False) -> Derived:
    """The graph kgg:claims and the list of conflicts, from the SQLite index of every source.

    With `sink`, each triple goes to it as it is made (and Derived.triples stays empty): a
    corpus's claims need not be held in memory. With `keyed`, each triple goes to it with what
    it is derived for: ("T", thing) for the latest values and conflicts of a thing, ("F", fact)
    for a fact's report counts; `restricted` derives only for the things in THINGS and the
    facts in FACTS (a build re-derives what the sources it changed can affect)."""
    db = index.db
    as_of = {s: (dt.date.fromisoformat(d) if d else None)
             for s, d in db.execute("SELECT source, as_of FROM sources")}
    varying = {str(p) for p in properties.time_varying}
    out: list[ox.Triple] = []
    conflicts: list[ConflictSummary] = []
    rdf_type, kgp = str(RDF.type), str(KGP)
    emit = sink if sink is not None else out.append
    of_things = f" AND s IN (SELECT k FROM {THINGS})" if restricted else ""
    key = ["T", ""]  # what the triples being made are derived for (see `keyed`)

    def add(s: str, p: str, o) -> None:
        t = ox.Triple(_iri(s), _iri(p), o)
        if keyed is not None:
            keyed(key[0], key[1], t)
        else:
            emit(t)

    def derive_for(kind: str, k: str) -> None:
        key[:] = [kind, k]

    # The latest value of every time-varying property, for every thing that has one.
    for prop in sorted(str(p) for p in properties.latest):
        latest_p = str(properties.latest[URIRef(prop)])
        as_of_p = properties.latest_as_of.get(URIRef(prop))
        current: str | None = None
        dated: list[tuple[dt.date, str]] = []
        for thing, value, source in db.execute(
                f"SELECT s, o, source FROM claim_values WHERE p = ?{of_things} ORDER BY s",
                (prop,)):
            if thing != current:
                _latest(add, current, dated, latest_p, as_of_p)
                current, dated = thing, []
                derive_for("T", thing)
            if as_of.get(source) is not None:
                dated.append((as_of[source], value))
        _latest(add, current, dated, latest_p, as_of_p)

    # Conflicts: a thing and property with more than one value. Their values and evidence are
    # read in two ordered passes, not with a query per conflict (thousands in a corpus).
    db.execute("DROP TABLE IF EXISTS temp.conflicted")
    where = f" WHERE s IN (SELECT k FROM {THINGS})" if restricted else ""
    db.execute(f"CREATE TEMP TABLE conflicted AS SELECT s, p FROM claim_values{where} "
               "GROUP BY s, p HAVING COUNT(DISTINCT o) > 1")
    evidence: dict[tuple[str, str], list[str]] = defaultdict(list)
    for thing, source, ann in db.execute(
            "SELECT s, source, ann FROM evidence WHERE s IN (SELECT s FROM temp.conflicted) "
            "ORDER BY s, source, ann"):
        evidence[thing, source].append(ann)
    rows = db.execute("SELECT c.s, c.p, v.o, v.source FROM temp.conflicted c "
                      "JOIN claim_values v ON v.s = c.s AND v.p = c.p "
                      "ORDER BY c.s, c.p, v.o, v.source")
    for (thing, prop), group in groupby(rows, key=lambda row: (row[0], row[1])):
        values: dict[str, list[str]] = defaultdict(list)
        for _, _, value, source in group:
            values[value].append(source)
        kind = _kind(prop, values, as_of, varying)
        derive_for("T", thing)
        conflict = f"{KGR}conflict/{short_hash(thing, prop)}"
        add(conflict, rdf_type, _iri(f"{kgp}Conflict"))
        add(conflict, f"{kgp}conflictAbout", _iri(thing))
        add(conflict, f"{kgp}conflictProperty", _iri(prop))
        add(conflict, f"{kgp}conflictKind", _iri(str(kind)))
        for value, sources in sorted(values.items()):
            claim = f"{KGR}claim/{short_hash(thing, prop, value)}"
            add(conflict, f"{kgp}hasClaim", _iri(claim))
            add(claim, rdf_type, _iri(f"{kgp}Claim"))
            add(claim, str(RDF.subject), _iri(thing))
            add(claim, str(RDF.predicate), _iri(prop))
            add(claim, str(RDF.object), _node(value))
            dates = [as_of[s] for s in sources if as_of.get(s) is not None]
            if dates:
                add(claim, f"{kgp}asOf", ox.Literal(min(dates).isoformat(), datatype=XSD_DATE))
            for source in sources:
                add(claim, f"{kgp}claimedIn", _iri(source))
                for ann in evidence.get((thing, source), ()):
                    add(claim, f"{kgp}evidence", _iri(ann))
        conflicts.append(ConflictSummary(thing, prop, kind,
                                         {v: sorted(set(s)) for v, s in values.items()}))
    _corroboration(db, add, kgp, restricted, lambda fact: derive_for("F", fact))
    return Derived(out, conflicts)


def _latest(add, thing: str | None, dated: list[tuple[dt.date, str]], latest_p: str,
            as_of_p: URIRef | None) -> None:
    if thing is None or not dated:
        return
    newest = max(d for d, _ in dated)
    latest = {v for d, v in dated if d == newest}
    if len(latest) != 1:
        return  # sources of the same, latest date disagree: no latest value to give
    add(thing, latest_p, _node(latest.pop()))
    if as_of_p is not None:
        add(thing, str(as_of_p), ox.Literal(newest.isoformat(), datatype=XSD_DATE))


def _kind(prop: str, values: dict[str, list[str]], as_of: dict[str, dt.date | None],
          varying: set[str]) -> URIRef:
    """A change over time when the property varies and every date of report has one value."""
    if prop not in varying:
        return KGP.Disagreement
    by_date: dict[dt.date, set[str]] = defaultdict(set)
    for value, sources in values.items():
        for src in sources:
            if as_of.get(src) is None:
                return KGP.Disagreement
            by_date[as_of[src]].add(value)
    return KGP.ChangeOverTime if all(len(v) == 1 for v in by_date.values()) \
        else KGP.Disagreement


def _ancestors(db: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """Article -> every article it derives from, directly or through others (the articles
    that derive from another only: a row each in `derivations`)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for source, parent in db.execute("SELECT source, parent FROM derivations"):
        parents[source].add(parent)
    found: dict[str, frozenset[str]] = {}
    for source in parents:
        seen: set[str] = set()
        stack = list(parents[source])
        while stack:
            other = stack.pop()
            if other not in seen:
                seen.add(other)
                stack.extend(parents.get(other, ()))
        found[source] = frozenset(seen - {source})
    return found


def _corroboration(db: sqlite3.Connection, add, kgp: str, restricted: bool = False,
                   on_fact: Callable[[str], None] = lambda fact: None) -> None:
    """Reports of each fact; independent ones are those derived from no other report of it.

    Counted by SQLite, fact by fact; only for an article that derives from others is it asked
    whether one of those reports the fact too (a fact is reported by up to hundreds of
    articles: an edit that touched 40 facts touched 28,000 reports, a Python step each)."""
    ancestors = _ancestors(db)
    facts = (f"{FACTS} AS f CROSS JOIN reports AS r ON r.fact = f.k"  # dirty facts first
             if restricted else "reports AS r")
    derived: dict[str, set[str]] = defaultdict(set)
    for fact, source in db.execute(f"SELECT r.fact, r.source FROM {facts} WHERE r.source IN "
                                   "(SELECT source FROM derivations)"):
        derived[fact].add(source)
    for fact, count in db.execute(f"SELECT r.fact, COUNT(DISTINCT r.source) FROM {facts} "
                                  "GROUP BY r.fact ORDER BY r.fact").fetchall():
        dependent = 0
        if fact in derived:
            sources = derived[fact]
            asked = sorted(set().union(*(ancestors[a] for a in sources)))
            reporting = {s for (s,) in db.execute(
                f"SELECT source FROM reports WHERE fact = ? AND source IN "
                f"({', '.join('?' * len(asked))})", (fact, *asked))} if asked else set()
            dependent = sum(1 for a in sources if not ancestors[a].isdisjoint(reporting))
        on_fact(fact)
        add(fact, f"{kgp}reportCount", ox.Literal(str(count), datatype=XSD_INTEGER))
        add(fact, f"{kgp}independentReportCount",
            ox.Literal(str(count - dependent), datatype=XSD_INTEGER))


def derive(indexes: list[SourceIndex], properties: Properties) -> Derived:
    """The claims of sources held in memory (a small build, or a test)."""
    index = ClaimsIndex()
    try:
        for source in indexes:
            index.put(source)
        return derive_from_index(index, properties)
    finally:
        index.close()

