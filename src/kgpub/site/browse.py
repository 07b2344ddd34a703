"""The lists of things (/browse/…) as the template shows them: rows and their cells, facets with
the link that adds or removes each value, the pager and the downloads, all keeping the filter
in the URL so that every view can be linked to."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from ..search.browse import Filters, Listing
from .terms import Terms


def _url(path: str, params: list[tuple[str, str]]) -> str:
    query = urlencode(params)
    return path + ("?" + query if query else "")


def listing_view(terms: Terms, listing: Listing, path: str) -> dict[str, Any]:
    """Everything browse.html needs about one page of a list."""
    kind, filters = listing.kind, listing.filters
    params = filters.params()
    titles = dict(kind.facets)

    def toggled(name: str, value: str) -> str:
        pair = (name, value)
        chosen = [p for p in filters.facets if p != pair]
        if pair not in filters.facets:
            chosen.append(pair)
        return _url(path, Filters(tuple(chosen), filters.date_from, filters.date_to).params())

    facets = [{"name": f.name, "title": f.title, "distinct": f.distinct,
               "options": [{"label": v.label, "value": v.value, "count": v.count,
                           "selected": v.selected, "href": toggled(f.name, v.value)}
                          for v in f.values]}
              for f in listing.facets]
    active = [{"title": titles[name], "label": listing.labels.get(value, value),
               "href": toggled(name, value)} for name, value in filters.facets]
    for name, value in (("from", filters.date_from), ("to", filters.date_to)):
        if value:
            others = Filters(filters.facets, "" if name == "from" else filters.date_from,
                             "" if name == "to" else filters.date_to)
            active.append({"title": name, "label": value, "href": _url(path, others.params())})
    rows = []
    for row in listing.rows:
        cells = []
        for column in kind.columns:
            value = row.data.get(column.key, "")
            if column.links:
                cells.append([{"label": v["label"], "href": terms.href(v["iri"]),
                               "iri": v["iri"]} for v in value or []])
            else:
                cells.append("" if value is None else str(value))
        rows.append({"label": row.label, "href": terms.href(row.iri), "iri": row.iri,
                     "cells": cells})
    page = listing.page
    return {
        "kind": kind, "path": path, "total": listing.total, "page": page, "pages": listing.pages,
        "rows": rows, "facets": facets, "active": active,
        "first": (page - 1) * listing.size + 1 if rows else 0,
        "last": (page - 1) * listing.size + len(rows),
        "prev": _url(path, params + [("page", str(page - 1))]) if page > 1 else None,
        "next": _url(path, params + [("page", str(page + 1))]) if page < listing.pages
        else None,
        "past_end": page > listing.pages,
        "csv": _url(path, params + [("format", "csv")]),
        "json": _url(path, params + [("format", "json")]),
        "hidden": list(filters.facets), "date_from": filters.date_from,
        "date_to": filters.date_to, "clear": path if params else None,
    }
