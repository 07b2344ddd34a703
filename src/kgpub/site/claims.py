"""What the sources say about a thing: how many report it, its latest status, and where they
disagree, each side with its articles and their quotes (read from the graph kgg:claims)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ..conflicts import ROW_NAMES as CONFLICT_COLUMNS
from ..conflicts import conflicts_query, expand, group_rows
from .terms import Select, Term, Terms, int_value

CLAIMS_GRAPH = "https://w3id.org/kgpub/graph/claims"


@dataclass
class SourceView:
    article: Term
    date: str | None
    evidence: list[str]


@dataclass
class ValueView:
    value: Term
    sources: list[SourceView] = field(default_factory=list)


@dataclass
class ConflictView:
    property: Term
    kind: str
    values: list[ValueView]


@dataclass
class ClaimsView:
    reports: int | None = None
    independent: int | None = None
    latest_status: Term | None = None
    latest_as_of: str | None = None
    conflicts: list[ConflictView] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.reports is None and self.latest_status is None and not self.conflicts


async def claims_data(run: Select, iri: str) -> dict[str, Any]:
    me = f"<{iri}>"
    summary, conflict_rows = await asyncio.gather(
        run(f"SELECT ?n ?i ?latest ?asOf WHERE {{ GRAPH <{CLAIMS_GRAPH}> {{ "
            f"OPTIONAL {{ {me} kgp:reportCount ?n ; kgp:independentReportCount ?i }} "
            f"OPTIONAL {{ {me} kgp:latestStatus ?latest ; kgp:latestStatusAsOf ?asOf }} }} }} "
            "LIMIT 1"),
        run(_strip_prefixes(conflicts_query(iri))),
    )
    rows = [{name: (r[name]["value"] if name in r else None) for name in CONFLICT_COLUMNS}
            for r in conflict_rows]
    conflicts = group_rows(rows)
    iris = {r[k]["value"] for r in conflict_rows for k in ("property", "value", "source")
            if k in r and r[k].get("type") == "uri"}
    iris |= {r["latest"]["value"] for r in summary if "latest" in r}
    return {"summary": summary, "conflicts": conflicts, "iris": iris,
            "value_types": {r["value"]["value"]: r["value"] for r in conflict_rows
                            if "value" in r}}


def _strip_prefixes(query: str) -> str:
    """The conflicts query without its PREFIX lines (the site adds its own)."""
    return "\n".join(line for line in query.splitlines() if not line.startswith("PREFIX"))


def claims_view(terms: Terms, data: dict[str, Any], labels: dict[str, str]) -> ClaimsView:
    view = ClaimsView()
    for row in data["summary"]:
        view.reports = int_value(row.get("n"))
        view.independent = int_value(row.get("i"))
        if "latest" in row:
            view.latest_status = terms.term(row["latest"], labels)
            view.latest_as_of = row.get("asOf", {}).get("value")
    for conflict in data["conflicts"]:
        prop = terms.iri_term(expand(conflict.property), labels)
        values = []
        for v in conflict.values:
            raw = data["value_types"].get(v.value, {"type": "literal", "value": v.value})
            values.append(ValueView(terms.term(raw, labels), [
                SourceView(terms.iri_term(s.source, labels), s.date, s.evidence)
                for s in v.sources]))
        view.conflicts.append(ConflictView(prop, conflict.kind, values))
    return view

