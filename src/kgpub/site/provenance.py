"""Where a fact comes from: the articles reporting it, per graph, and their evidence spans.

Every fact of a kgpub build traces back to a span of an article; the resource page shows that
trail for the resource itself and for each reified statement about it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from .terms import Binding, Select, Term, Terms, int_value, iri_values, is_safe_iri


@dataclass
class Evidence:
    """One evidence span: prefix ... exact ... suffix at [start, end) of an article."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    annotation: Term | None = None


@dataclass
class ArticleProvenance:
    """An article stating a fact, the graphs that say so, and the evidence spans it gives."""

    article: Term
    publisher: Term | None = None
    date: str = ""
    graphs: list[Term] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


async def provenance(run: Select, facts: list[str]) -> dict[str, Any]:
    """Which articles state each fact (kgp:reportedIn, per graph) and its evidence spans."""
    facts = [f for f in facts if is_safe_iri(f)]
    values = iri_values(facts)
    reported, evidence = await asyncio.gather(
        run(f"SELECT DISTINCT ?fact ?g ?article WHERE {{ VALUES ?fact {{ {values} }} "
            "GRAPH ?g { ?fact kgp:reportedIn ?article } } LIMIT 1000"),
        run(f"SELECT DISTINCT ?fact ?g ?ann ?source ?exact ?prefix ?suffix ?start ?end "
            f"WHERE {{ VALUES ?fact {{ {values} }} GRAPH ?g {{ ?fact kgp:evidence ?ann }} "
            "?ann oa:hasTarget ?t . OPTIONAL { ?t oa:hasSource ?source } "
            "OPTIONAL { ?t oa:hasSelector ?qs . ?qs oa:exact ?exact "
            "OPTIONAL { ?qs oa:prefix ?prefix } OPTIONAL { ?qs oa:suffix ?suffix } } "
            "OPTIONAL { ?t oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end } "
            "} LIMIT 1000"),
    )
    articles = sorted({r["article"]["value"] for r in reported} |
                      {r["source"]["value"] for r in evidence if "source" in r})
    meta: list[Binding] = []
    if articles:
        meta = await run(
            f"SELECT DISTINCT ?a ?pub ?date ?early ?late WHERE {{ VALUES ?a "
            f"{{ {iri_values(articles)} }} OPTIONAL {{ ?a schema:publisher ?pub }} "
            "OPTIONAL { ?a schema:datePublished ?date } "
            "OPTIONAL { ?a kgp:datePublishedEarliest ?early } "
            "OPTIONAL { ?a kgp:datePublishedLatest ?late } } LIMIT 1000")
    iris = set(articles)
    for rows in (reported, evidence, meta):
        for row in rows:
            iris.update(v["value"] for v in row.values() if v.get("type") == "uri")
    return {"reported": reported, "evidence": evidence, "meta": meta, "iris": iris}


def article_views(terms: Terms, provenance: dict[str, Any], fact: str,
                  labels: dict[str, str]) -> list[ArticleProvenance]:
    """The articles stating one fact, with their graphs and evidence, ordered by publisher."""
    views: dict[str, ArticleProvenance] = {}
    meta: dict[str, dict[str, str]] = {}
    for row in provenance["meta"]:
        entry = meta.setdefault(row["a"]["value"], {})
        for key in ("pub", "date", "early", "late"):
            if key in row and key not in entry:
                entry[key] = row[key]["value"]

    def view(article: str) -> ArticleProvenance:
        if article not in views:
            m = meta.get(article, {})
            date = m.get("date") or (f"between {m['early']} and {m['late']}"
                                     if "early" in m and "late" in m else "")
            views[article] = ArticleProvenance(
                terms.iri_term(article, labels),
                terms.iri_term(m["pub"], labels) if "pub" in m else None, date)
        return views[article]

    def add_graph(entry: ArticleProvenance, graph: str) -> None:
        if all(g.value != graph for g in entry.graphs):
            entry.graphs.append(terms.iri_term(graph, labels))

    for row in provenance["reported"]:
        if row["fact"]["value"] == fact:
            add_graph(view(row["article"]["value"]), row["g"]["value"])
    seen: set[tuple[str, str]] = set()
    for row in sorted(provenance["evidence"], key=lambda r: (int_value(r.get("start")) or 0,
                                                             r["ann"]["value"])):
        if row["fact"]["value"] != fact:
            continue
        source = row.get("source", {}).get("value") or row["g"]["value"]
        entry = view(source)
        add_graph(entry, row["g"]["value"])
        if (source, row["ann"]["value"]) in seen or "exact" not in row:
            continue
        seen.add((source, row["ann"]["value"]))
        entry.evidence.append(Evidence(
            row["exact"]["value"], row.get("prefix", {}).get("value", ""),
            row.get("suffix", {}).get("value", ""), int_value(row.get("start")),
            int_value(row.get("end")), terms.term(row["ann"], labels)))
    return sorted(views.values(), key=lambda v: ((v.publisher.label if v.publisher else ""),
                                                  v.article.value))
