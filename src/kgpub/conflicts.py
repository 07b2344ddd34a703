"""`kgpub conflicts`: where sources disagree, read back from the built dataset (graph kgg:claims).

Each conflict is a thing, a single-valued property, and two or more values, each with the
articles that state it (their date and headline) and the evidence text in each. The listing is
read from the published data, not recomputed, so it shows exactly what the endpoint serves.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from .errors import KgpubError
from .namespaces import KGP, PREFIXES

QUERY_TEMPLATE = """
PREFIX kgp: <https://w3id.org/kgpub/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?conflict ?thing ?thingLabel ?property ?kind ?value ?valueLabel ?source ?sourceLabel
       ?date ?exact
WHERE {
  %(values)s
  GRAPH <https://w3id.org/kgpub/graph/claims> {
    ?conflict a kgp:Conflict ; kgp:conflictAbout ?thing ; kgp:conflictProperty ?property ;
              kgp:conflictKind ?kind ; kgp:hasClaim ?claim .
    ?claim rdf:object ?value ; kgp:claimedIn ?source .
    OPTIONAL { ?claim kgp:evidence ?ann }
  }
  OPTIONAL { ?ann oa:hasTarget/oa:hasSource ?source ;
                  oa:hasTarget/oa:hasSelector/oa:exact ?exact }
  OPTIONAL { SELECT ?thing (MIN(STR(?l)) AS ?thingLabel)
             WHERE { ?thing rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) } GROUP BY ?thing }
  OPTIONAL { SELECT ?value (MIN(STR(?vl)) AS ?valueLabel)
             WHERE { ?value rdfs:label|skos:prefLabel ?vl FILTER(LANGMATCHES(LANG(?vl), "en")) }
             GROUP BY ?value }
  OPTIONAL { ?source schema:headline ?sourceLabel }
  OPTIONAL { ?source schema:datePublished|kgp:datePublishedLatest ?date }
}
LIMIT 100000
"""


def conflicts_query(thing: str | None = None) -> str:
    """The SPARQL that lists conflicts (about one thing, when given): one row per evidence."""
    values = f"VALUES ?thing {{ <{thing}> }}" if thing else ""
    return QUERY_TEMPLATE % {"values": values}


QUERY = conflicts_query()


@dataclass
class Source:
    source: str
    label: str | None
    date: str | None
    evidence: list[str] = field(default_factory=list)


@dataclass
class Value:
    value: str
    label: str | None
    sources: list[Source] = field(default_factory=list)


@dataclass
class Conflict:
    thing: str
    label: str | None
    property: str
    kind: str
    values: list[Value] = field(default_factory=list)


class UnknownProperty(KgpubError):
    exit_code = 2


def curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(ns)) and iri != str(ns):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return f"<{iri}>"


def expand(name: str) -> str:
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES:
        return str(PREFIXES[prefix][local])
    return name.strip("<>")


def _text(term) -> str | None:
    return None if term is None else term.value


def list_conflicts(store: ox.Store, prop: str | None = None,
                   single_valued: set[str] | None = None) -> list[Conflict]:
    """Every conflict in the dataset (about `prop` only, when given), in a stable order.

    `single_valued`: the properties the ontology declares single-valued, to refuse a `prop`
    that sources cannot conflict on.
    """
    wanted = None
    if prop is not None:
        wanted = expand(prop)
        if single_valued is not None and wanted not in single_valued:
            known = ", ".join(sorted(curie(p) for p in single_valued))
            raise UnknownProperty(
                f"{prop} admits several values (or is not a property of the ontology), so "
                f"sources cannot conflict on it; the properties that can: {known}")
    rows = []
    for solution in store.query(QUERY):  # the default graph is the union (query.load_store)
        row = {name: _text(solution[name]) for name in ROW_NAMES}
        if wanted is None or row["property"] == wanted:
            rows.append(row)
    return group_rows(rows)


ROW_NAMES = ("conflict", "thing", "thingLabel", "property", "kind", "value", "valueLabel",
             "source", "sourceLabel", "date", "exact")


def group_rows(rows: list[dict[str, str | None]]) -> list[Conflict]:
    """Rows of `conflicts_query` (name -> value or None) as conflicts, in a stable order."""
    found: dict[str, Conflict] = {}
    for row in rows:
        conflict = found.setdefault(row["conflict"] or "", Conflict(
            row["thing"] or "", row["thingLabel"], curie(row["property"] or ""),
            "change over time" if row["kind"] == str(KGP.ChangeOverTime) else "disagreement"))
        value_text = row["value"] or ""
        value = next((v for v in conflict.values if v.value == value_text), None)
        if value is None:
            value = Value(value_text, row["valueLabel"])
            conflict.values.append(value)
        source = next((s for s in value.sources if s.source == row["source"]), None)
        if source is None:
            source = Source(row["source"] or "", row["sourceLabel"], row["date"])
            value.sources.append(source)
        exact = row["exact"]
        if exact and exact not in source.evidence:
            source.evidence.append(exact)
    conflicts = sorted(found.values(), key=lambda c: (c.thing, c.property))
    for c in conflicts:
        for v in c.values:
            v.sources.sort(key=lambda s: (s.date or "", s.source))
            for s in v.sources:
                s.evidence.sort()
        c.values.sort(key=lambda v: (min((s.date or "9999") for s in v.sources), v.value))
    return conflicts


def as_json(conflicts: list[Conflict]) -> str:
    return json.dumps({"conflicts": [asdict(c) for c in conflicts], "count": len(conflicts),
                       "disagreements": sum(c.kind == "disagreement" for c in conflicts),
                       "changes_over_time": sum(c.kind == "change over time" for c in conflicts)},
                      indent=2, ensure_ascii=False)


def as_text(conflicts: list[Conflict]) -> str:
    if not conflicts:
        return "no conflicts: where several sources state a single-valued property, they agree"
    lines = []
    for c in conflicts:
        lines.append(f"{c.label or c.thing}  <{c.thing}>")
        lines.append(f"  {c.property}: {c.kind}")
        for v in c.values:
            shown = v.label or (curie(v.value) if v.value.startswith("http") else v.value)
            lines.append(f"    {shown}")
            for s in v.sources:
                when = f"as of {s.date}" if s.date else "external context"
                lines.append(f"      {when}: {s.label or s.source}")
                for exact in s.evidence:
                    lines.append(f"        \u201c{exact}\u201d")
        lines.append("")
    n = len(conflicts)
    changes = sum(c.kind == "change over time" for c in conflicts)
    lines.append(f"{n} conflict{'s' if n != 1 else ''} ({n - changes} disagreement"
                 f"{'s' if n - changes != 1 else ''}, {changes} change{'s' if changes != 1 else ''}"
                 " over time)")
    return "\n".join(lines)
