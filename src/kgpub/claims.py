"""Across sources: where they conflict, the latest reported value, and how many report a fact.

Each article says what it says in its own graph. This module reads a compact index of every
source (the values it states for single-valued properties, the evidence of its facts, its date)
and derives the graph `kgg:claims`: a `kgp:Conflict` for every thing and single-valued property
(declared in the ontology) that sources give different values of, each value a `kgp:Claim` with
its sources and evidence; the latest reported value of time-varying properties (an event's
status); and, for every fact, how many articles report it and how many of those are
independent of each other (articles linked by prov:wasDerivedFrom count once).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from .convert.identity import short_hash
from .namespaces import KGP, KGR


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
    """What one source contributes to the cross-source work, small enough to cache."""

    source: URIRef
    """The article (or the context graph, for external facts)."""
    as_of: dt.date | None
    values: dict[tuple[URIRef, URIRef], set[Node]] = field(default_factory=dict)
    evidence: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    facts: list[URIRef] = field(default_factory=list)
    derived_from: set[URIRef] = field(default_factory=set)


def index_source(source: URIRef, as_of: dt.date | None, graphs: Iterable[Graph],
                 properties: Properties, facts: Iterable[URIRef] = (),
                 derived_from: Iterable[URIRef] = ()) -> SourceIndex:
    index = SourceIndex(source, as_of, facts=list(dict.fromkeys(facts)),
                        derived_from=set(derived_from))
    for graph in graphs:
        for s, p, o in graph:
            if p in properties.single and isinstance(s, URIRef):
                index.values.setdefault((s, p), set()).add(o)
            elif p == KGP.evidence and isinstance(s, URIRef) and isinstance(o, URIRef):
                index.evidence.setdefault(s, set()).add(o)
    return index


@dataclass
class ConflictSummary:
    about: URIRef
    prop: URIRef
    kind: URIRef
    values: dict[Node, list[URIRef]]


@dataclass
class Derived:
    graph: Graph
    conflicts: list[ConflictSummary]

    @property
    def disagreements(self) -> int:
        return sum(c.kind == KGP.Disagreement for c in self.conflicts)

    @property
    def changes(self) -> int:
        return sum(c.kind == KGP.ChangeOverTime for c in self.conflicts)


def _ancestors(indexes: list[SourceIndex]) -> dict[URIRef, set[URIRef]]:
    """Article -> every article it derives from, directly or through others."""
    parents = {index.source: index.derived_from for index in indexes}
    found: dict[URIRef, set[URIRef]] = {}
    for source in parents:
        seen: set[URIRef] = set()
        stack = list(parents[source])
        while stack:
            other = stack.pop()
            if other not in seen:
                seen.add(other)
                stack.extend(parents.get(other, ()))
        found[source] = seen - {source}
    return found


def _kind(prop: URIRef, values: dict[Node, list[SourceIndex]],
          properties: Properties) -> URIRef:
    """A change over time when the property varies and every date of report has one value."""
    if prop not in properties.time_varying:
        return KGP.Disagreement
    by_date: dict[dt.date, set[Node]] = defaultdict(set)
    for value, sources in values.items():
        for src in sources:
            if src.as_of is None:
                return KGP.Disagreement
            by_date[src.as_of].add(value)
    return KGP.ChangeOverTime if all(len(v) == 1 for v in by_date.values()) \
        else KGP.Disagreement


def derive(indexes: list[SourceIndex], properties: Properties) -> Derived:
    """The graph kgg:claims and the list of conflicts, from every source's index."""
    g = Graph()
    conflicts: list[ConflictSummary] = []
    stated: dict[tuple[URIRef, URIRef], dict[Node, list[SourceIndex]]] = defaultdict(
        lambda: defaultdict(list))
    for index in indexes:
        for key, values in index.values.items():
            for value in values:
                stated[key][value].append(index)
    for (thing, prop), values in sorted(stated.items()):
        if prop in properties.latest:
            _latest(g, thing, prop, values, properties)
        if len(values) < 2:
            continue
        kind = _kind(prop, values, properties)
        conflict = KGR[f"conflict/{short_hash(thing, prop)}"]
        g.add((conflict, RDF.type, KGP.Conflict))
        g.add((conflict, KGP.conflictAbout, thing))
        g.add((conflict, KGP.conflictProperty, prop))
        g.add((conflict, KGP.conflictKind, kind))
        summary = ConflictSummary(thing, prop, kind, {})
        for value, sources in sorted(values.items(), key=lambda kv: kv[0].n3()):
            claim = KGR[f"claim/{short_hash(thing, prop, value.n3())}"]
            g.add((conflict, KGP.hasClaim, claim))
            g.add((claim, RDF.type, KGP.Claim))
            g.add((claim, RDF.subject, thing))
            g.add((claim, RDF.predicate, prop))
            g.add((claim, RDF.object, value))
            dates = [s.as_of for s in sources if s.as_of is not None]
            if dates:
                g.add((claim, KGP.asOf, Literal(min(dates))))
            for src in sources:
                g.add((claim, KGP.claimedIn, src.source))
                for ann in src.evidence.get(thing, ()):
                    g.add((claim, KGP.evidence, ann))
            summary.values[value] = sorted({s.source for s in sources})
        conflicts.append(summary)
    _corroboration(g, indexes)
    return Derived(g, conflicts)


def _latest(g: Graph, thing: URIRef, prop: URIRef, values: dict[Node, list[SourceIndex]],
            properties: Properties) -> None:
    dated = [(src.as_of, value) for value, sources in values.items() for src in sources
             if src.as_of is not None]
    if not dated:
        return
    newest = max(d for d, _ in dated)
    latest = {v for d, v in dated if d == newest}
    if len(latest) != 1:
        return  # sources of the same, latest date disagree: no latest value to give
    g.add((thing, properties.latest[prop], latest.pop()))
    as_of = properties.latest_as_of.get(prop)
    if as_of is not None:
        g.add((thing, as_of, Literal(newest, datatype=XSD.date)))


def _corroboration(g: Graph, indexes: list[SourceIndex]) -> None:
    """Reports of each fact; independent ones are those derived from no other report of it."""
    ancestors = _ancestors(indexes)
    reporters: dict[URIRef, set[URIRef]] = defaultdict(set)
    for index in indexes:
        for fact in index.facts:
            reporters[fact].add(index.source)
    for fact, articles in reporters.items():
        g.add((fact, KGP.reportCount, Literal(len(articles), datatype=XSD.integer)))
        independent = [a for a in articles if not ancestors.get(a, set()) & (articles - {a})]
        g.add((fact, KGP.independentReportCount,
               Literal(len(independent), datatype=XSD.integer)))
