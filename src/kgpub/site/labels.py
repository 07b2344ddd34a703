"""Labels for the IRIs on a page, fetched in bounded batches so no page scans the data.

Stances and quotes rarely carry a label of their own, so they get one derived from their parts.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable

from ..namespaces import PREFIXES
from .terms import Binding, Select, Terms, iri_values, is_safe_iri, lang_rank

# Label predicates, best first; languages are ranked before predicates (see best_labels).
LABEL_PREDICATES = ("skos:prefLabel", "rdfs:label", "schema:name", "dcterms:title", "foaf:name",
                    "schema:headline")
BATCH = 150


def expand(curie: str) -> str:
    """The full IRI of a CURIE of the project's prefixes."""
    prefix, _, local = curie.partition(":")
    return str(PREFIXES[prefix]) + local


async def best_labels(run: Select, terms: Terms, iris: Iterable[str]) -> dict[str, str]:
    """Best label of each IRI (English first, then untagged, then any), in bounded batches."""
    todo = sorted({i for i in iris if i and is_safe_iri(i)})
    found: dict[str, tuple[int, int, str]] = {}
    predicates = " ".join(LABEL_PREDICATES)
    for start in range(0, len(todo), BATCH):
        chunk = todo[start:start + BATCH]
        rows = await run(
            f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?x {{ {iri_values(chunk)} }} "
            f"VALUES ?p {{ {predicates} }} ?x ?p ?l FILTER(isLiteral(?l)) }}")
        order = {expand(p): n for n, p in enumerate(LABEL_PREDICATES)}
        for row in rows:
            x, p, lit = row["x"]["value"], row["p"]["value"], row["l"]
            rank = (lang_rank(lit.get("xml:lang", "")), order.get(p, 99), lit["value"])
            if x not in found or rank < found[x]:
                found[x] = rank
    labels = {x: rank[2] for x, rank in found.items()}
    unlabelled = [i for i in todo if i not in labels]
    if unlabelled:
        labels.update(await derived_labels(run, terms, unlabelled))
    return labels


async def derived_labels(run: Select, terms: Terms, iris: list[str]) -> dict[str, str]:
    """Labels for unlabelled stances ("A → B: type, date") and quotes (their text)."""
    out: dict[str, str] = {}
    for start in range(0, len(iris), BATCH):
        chunk = iri_values(iris[start:start + BATCH])
        stances, quotes = await asyncio.gather(
            run(f"SELECT DISTINCT ?x ?h ?t ?type ?on ?before WHERE {{ VALUES ?x "
                f"{{ {chunk} }} ?x a kgp:Stance ; kgp:stanceHolder ?h ; "
                "kgp:stanceTarget ?t ; kgp:stanceType ?type "
                "OPTIONAL { ?x kgp:statedOn ?on } "
                "OPTIONAL { ?x kgp:statedBefore ?before } } LIMIT 2000"),
            run(f"SELECT ?x (SAMPLE(?text) AS ?t) WHERE {{ VALUES ?x {{ {chunk} }} "
                "?x a kgp:Quote ; schema:text ?text } GROUP BY ?x"),
        )
        for row in quotes:
            text = row["t"]["value"]
            out[row["x"]["value"]] = "“" + (text if len(text) <= 90 else
                                            text[:88].rstrip() + "…") + "”"
        if not stances:
            continue
        names = await best_labels(run, terms, {row[k]["value"] for row in stances
                                               for k in ("h", "t", "type")})
        out.update(_stance_labels(stances, names, terms))
    return out


def _stance_labels(stances: list[Binding], names: dict[str, str],
                   terms: Terms) -> dict[str, str]:
    parts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in stances:
        entry = parts[row["x"]["value"]]
        for key in ("h", "t", "type"):
            iri = row[key]["value"]
            entry[key].add(names.get(iri) or terms.fallback_label(iri))
        if "on" in row:
            entry["date"].add(row["on"]["value"])
        elif "before" in row:
            entry["date"].add("before " + row["before"]["value"])
    out: dict[str, str] = {}
    for x, entry in parts.items():
        label = (f"{', '.join(sorted(entry['h']))} → {', '.join(sorted(entry['t']))}: "
                 f"{', '.join(sorted(entry['type']))}")
        if entry["date"]:
            label += f" ({sorted(entry['date'])[0]})"
        out[x] = label
    return out
