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
from .union import materialise_union


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


def query_text(argument: str) -> str:
    """The query itself, or the text of the .rq/.sparql file (or existing file) it names."""
    candidate = Path(argument)
    if not (argument.endswith((".rq", ".sparql"))
            or (len(argument) < 4096 and candidate.is_file())):
        return argument
    try:
        return candidate.read_text(encoding="utf-8")
    except OSError as exc:
        raise UnreadableInput(f"{argument}: cannot read query file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"{argument}: the query file is not UTF-8 (byte {exc.start}); "
                              "save it as UTF-8, as SPARQL requires") from None


def run(store: ox.Store, sparql: str):
    """The query's results, read lazily: errors while reading them are the caller's (see
    `answer`)."""
    try:
        return store.query(sparql)  # the default graph holds the union (see load_store)
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {exc.msg}") from None
    except OSError as exc:  # Oxigraph reports evaluation errors (e.g. SERVICE) as OSError
        raise QueryError(f"query failed: {exc}") from None


# What Oxigraph raises while it evaluates lazily: OSError (I/O, SERVICE), SyntaxError (a remote
# result it cannot parse), RuntimeError and ValueError (other evaluation errors).
EVALUATION_ERRORS = (OSError, SyntaxError, RuntimeError, ValueError)


def answer(store: ox.Store, sparql: str, fmt: str = "table") -> str:
    """Run the query and write all of its results; every error is a QueryError.

    Oxigraph evaluates while the results are read, so a query that parses can still fail here,
    inside `format_result`, long after `store.query` returned.
    """
    result = run(store, sparql)
    try:
        return format_result(result, fmt)
    except EVALUATION_ERRORS as exc:
        raise QueryError(f"query failed: {getattr(exc, 'msg', None) or exc}") from None
    except MemoryError:
        raise QueryError("query failed: its results do not fit in memory; add a LIMIT or "
                         "narrow the query") from None


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
