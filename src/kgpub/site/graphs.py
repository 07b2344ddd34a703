"""Named graphs on resource pages: the graphs a resource occurs in, and a graph's own page.

Graph names are resources too, so a graph's page lists its triples (paged) and says what kind
of graph of a kgpub build it is. Counts are capped so a huge graph cannot make a page slow.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from .terms import Binding, Select, Terms, int_value

INCOMING_GRAPH_CAP = 10_000
GRAPH_COUNT_CAP = 100_000
GRAPH_KINDS = (  # what the named graphs of a kgpub build hold (docs/data-model.md)
    (r"graph/article/[^/]+/head", "The nanopublication head of one article: it names the "
                                  "assertion, provenance and publication-info graphs."),
    (r"graph/article/[^/]+/provenance", "The provenance of one article's assertion graph: what "
                                        "it was derived from and how it was extracted."),
    (r"graph/article/[^/]+/pubinfo", "The licence and creator of one article's "
                                     "nanopublication."),
    (r"graph/article/[^/]+", "The facts extracted from one news article, each with "
                             "kgp:reportedIn and its evidence annotations."),
    (r"graph/pagechrome/.+", "Facts from the page boilerplate around one article, dated to the "
                             "capture rather than the article."),
    (r"graph/entities", "The registry: entities with their types, labels and spellings, and the "
                        "article metadata."),
    (r"graph/links", "Links to Wikidata: owl:sameAs for verified items, skos:exactMatch for "
                     "offices."),
    (r"graph/context", "External context facts, each with a bibliographic citation."),
    (r"graph/vocab", "The SKOS schemes: stance types, CAMEO codes and PLOVER categories."),
)


def graph_list(terms: Terms, gout: list[Binding], gin: list[Binding],
               labels: dict[str, str]) -> list[dict[str, Any]]:
    """The graphs holding triples from (out) and to (in) a resource, with their counts."""
    graphs: dict[str, dict[str, Any]] = {}
    for key, rows in (("out", gout), ("in", gin)):
        for row in rows:
            if row.get("g", {}).get("type") != "uri":
                continue
            g = row["g"]["value"]
            entry = graphs.setdefault(g, {"graph": terms.iri_term(g, labels), "out": 0,
                                          "in": 0, "in_capped": False})
            entry[key] = int_value(row.get("n")) or 0
    total_in = sum(e["in"] for e in graphs.values())
    for entry in graphs.values():
        entry["in_capped"] = total_in > INCOMING_GRAPH_CAP
    return sorted(graphs.values(), key=lambda e: e["graph"].value)


async def graph_data(run: Select, me: str, size: int, offset: int) -> dict[str, list[Binding]]:
    """One page of a graph's triples, its (capped) size, and what describes the graph."""
    rows, count, about, nanopubs = await asyncio.gather(
        run(f"SELECT ?s ?p ?o WHERE {{ GRAPH {me} {{ ?s ?p ?o }} }} "
            f"LIMIT {size + 1} OFFSET {offset}"),
        run(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?s WHERE {{ GRAPH {me} {{ "
            f"?s ?p ?o }} }} LIMIT {GRAPH_COUNT_CAP + 1} }} }}"),
        run("SELECT DISTINCT ?p ?o WHERE { VALUES ?p { prov:wasDerivedFrom "
            "prov:wasGeneratedBy prov:wasAttributedTo dcterms:title dcterms:description "
            "dcterms:source dcterms:license dcterms:creator void:triples } "
            f"{me} ?p ?o }} LIMIT 50"),
        run("SELECT DISTINCT ?s ?p WHERE { VALUES ?p { np:hasAssertion "
            f"np:hasProvenance np:hasPublicationInfo }} ?s ?p {me} }} LIMIT 20"),
    )
    return {"rows": rows, "count": count, "about": about + nanopubs}


def graph_view(terms: Terms, iri: str, data: dict[str, list[Binding]], labels: dict[str, str],
               size: int) -> dict[str, Any]:
    """The graph section of a graph name's page, for the resource template."""
    count = int_value(data["count"][0].get("n")) if data["count"] else 0
    local = iri[len(terms.base_iri):] if terms.is_local(iri) else ""
    kind = next((text for pattern, text in GRAPH_KINDS if re.fullmatch(pattern, local)), "")
    about = []
    for row in data["about"]:
        if "o" in row:
            about.append((terms.term(row["p"], labels), None, terms.term(row["o"], labels)))
        else:
            about.append((terms.term(row["p"], labels), terms.term(row["s"], labels), None))
    return {"count": count, "capped": (count or 0) > GRAPH_COUNT_CAP, "kind": kind,
            "about": about,
            "triples": [(terms.term(r["s"], labels), terms.term(r["p"], labels),
                         terms.term(r["o"], labels)) for r in data["rows"][:size]]}
