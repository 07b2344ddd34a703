"""A filtered list as CSV or JSON, produced a chunk at a time so that a download of every row
of a large list never sits whole in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from .browse import Filters, Row
from .kinds import KINDS

CHUNK_ROWS = 500


def csv_header(kind: str) -> list[str]:
    """`iri`, `label`, then each column; a column of links gives its labels and, in a column
    of its own (`…_iri`), their IRIs, several values separated by `; `."""
    header = ["iri", "label"]
    for column in KINDS[kind].columns:
        header += [column.key, column.key + "_iri"] if column.links else [column.key]
    return header


def csv_row(kind: str, row: Row) -> list[str]:
    out = [row.iri, row.label]
    for column in KINDS[kind].columns:
        value = row.data.get(column.key, "")
        if column.links:
            links = value if isinstance(value, list) else []
            out += ["; ".join(v["label"] for v in links), "; ".join(v["iri"] for v in links)]
        else:
            out.append("" if value is None else str(value))
    return out


def csv_chunks(kind: str, rows: Iterable[Row]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_header(kind))
    for n, row in enumerate(rows, 1):
        writer.writerow(csv_row(kind, row))
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_row(row: Row) -> dict:
    return {"iri": row.iri, "label": row.label, **row.data}


def json_chunks(kind: str, total: int, filters: Filters, rows: Iterable[Row]) -> Iterator[str]:
    """`{"kind", "total", "filters", "rows": [...]}`, the rows as the list shows them."""
    head = {"kind": kind, "total": total,
            "filters": [{"name": n, "value": v} for n, v in filters.facets],
            "from": filters.date_from or None, "to": filters.date_to or None}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    parts: list[str] = []
    for n, row in enumerate(rows):
        parts.append(("," if n else "") + json.dumps(json_row(row), ensure_ascii=False))
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "]}\n"
