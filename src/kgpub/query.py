"""Run SPARQL over the built dataset in an in-memory Oxigraph store, without a server.

The default graph is the union of all named graphs as an RDF graph (each triple once), as on the
endpoint with its default `--default-graph set`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from .errors import KgpubError, UnreadableInput
from .rdfio import parse_file
from .web.worker import materialise_union

DATASET_FILE = Path("data/ttl/kgpub.nq")


class QueryError(KgpubError):
    """A malformed query (the message carries Oxigraph's line and column)."""


def load_store(files: list[Path]) -> ox.Store:
    store = ox.Store()
    for f in files:
        if not Path(f).exists():
            raise UnreadableInput(f"{f}: not found; run `kgpub build` first or pass --data FILE")
        store.extend(parse_file(Path(f)))
    materialise_union(store, store.extend)
    return store


def run(store: ox.Store, sparql: str):
    try:
        return store.query(sparql)  # the default graph holds the union (see load_store)
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc.msg}") from None
    except OSError as exc:  # Oxigraph reports evaluation errors (e.g. SERVICE) as OSError
        raise QueryError(f"query failed: {exc}") from None


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value if not isinstance(term, ox.BlankNode) else f"_:{term.value}"


def select_rows(result: ox.QuerySolutions) -> tuple[list[str], list[list[str]]]:
    names = [v.value for v in result.variables]
    rows = [[_cell(sol[name]) for name in names] for sol in result]
    return names, rows


def format_result(result, fmt: str = "table") -> str:
    """SELECT/ASK as table, csv or json (SPARQL 1.1 results JSON); graphs as Turtle."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result)})
        return "true" if result else "false"
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8")
    if fmt == "json":
        return result.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8")
    names, rows = select_rows(result)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return out.getvalue()
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return " | ".join(
            (c if len(c) <= w else c[: w - 1] + "\u2026").ljust(w)
            for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out_lines = [line(names), "-+-".join("-" * w for w in widths)]
    out_lines += [line(r) for r in rows]
    out_lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out_lines)
