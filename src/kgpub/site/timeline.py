"""A timeline of stances as SVG geometry: date across, stance type down, one mark per stance and
reporting source, coloured by the polarity that source gives.

Marks of one stance and type on one day stand side by side, so two sources are two marks; a
stance the sources disagree on gets a dashed ring, and one stated "on or before" a date is drawn
hollow. Laid out here, like the stance network, so the page needs no script.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from ..search.pictures import Mark, Timeline
from .terms import OTHER_COLOUR, POLARITY_COLOURS, Terms, local_name

WIDTH = 1000
LEFT = 210  # room for the stance-type names
RIGHT = 50
TOP = 20
ROW = 34
AXIS = 46
MARK_GAP = 11
MAX_TICKS = 9


def _day(date: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(date[:10])
    except ValueError:
        return None


def _month_ticks(start: dt.date, end: dt.date, months: int) -> list[dt.date]:
    year, month = start.year, start.month
    month = month - (month - 1) % months
    ticks = []
    while (year, month) <= (end.year, end.month):
        tick = dt.date(year, month, 1)
        if start <= tick <= end:
            ticks.append(tick)
        month += months
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return ticks


def ticks(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Tick dates between start and end, the finest step that gives at most MAX_TICKS."""
    span = (end - start).days
    for days in (1, 2, 7, 14):
        if span // days < MAX_TICKS:
            first = start.toordinal()
            return [(dt.date.fromordinal(o), dt.date.fromordinal(o).isoformat())
                    for o in range(first, end.toordinal() + 1, days)]
    for months in (1, 2, 3, 6, 12, 24, 60, 120):
        found = _month_ticks(start, end, months)
        if len(found) <= MAX_TICKS:
            fmt = "%Y-%m" if months < 12 else "%Y"
            return [(t, t.strftime(fmt)) for t in found]
    return [(start, start.isoformat()), (end, end.isoformat())]


def _polarity(mark: Mark) -> str:
    return local_name(mark.polarity) if mark.polarity else ""


def timeline(terms: Terms, data: Timeline) -> dict[str, Any]:
    """The geometry and text of the timeline (see _partials/timeline.html)."""
    marks = [m for m in data.marks if _day(m.date) is not None]
    types = sorted({(m.type_label or m.type, m.type) for m in marks}, key=lambda t: (
        t[0].casefold(), t[1]))
    row_of = {t: n for n, (_, t) in enumerate(types)}
    height = TOP + ROW * max(1, len(types)) + AXIS
    days = [_day(m.date) for m in marks]
    if marks:
        first, last = min(days), max(days)  # type: ignore[type-var]
        pad = max(2, (last - first).days // 25)
        start, end = first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)
    else:
        start = end = dt.date(2000, 1, 1)  # nothing is drawn
    span = max(1, (end - start).days)

    def x(day: dt.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span

    clusters: dict[tuple[str, str], list[Mark]] = defaultdict(list)
    for mark in marks:
        clusters[(mark.date[:10], mark.type)].append(mark)
    views = []
    for (date, stance_type), group in sorted(clusters.items()):
        cx = x(_day(date))  # type: ignore[arg-type]
        cy = TOP + ROW * row_of[stance_type] + ROW / 2
        for n, mark in enumerate(group):
            polarity = _polarity(mark)
            views.append({
                "x": _f(cx + (n - (len(group) - 1) / 2) * MARK_GAP), "y": _f(cy),
                "colour": POLARITY_COLOURS.get(polarity, OTHER_COLOUR),
                "polarity": polarity.lower() or "other", "before": mark.before,
                "conflict": bool(mark.conflicts), "href": terms.href(mark.stance),
                "stance": mark.stance, "source": mark.source, "title": _title(mark)})
    tick_views = [{"x": _f(x(day)), "label": label} for day, label in ticks(start, end)]
    rows = [{"y": _f(TOP + ROW * n + ROW / 2), "top": _f(TOP + ROW * n), "label": label,
             "href": terms.href(iri) if iri else None, "stripe": n % 2 == 1}
            for n, (label, iri) in enumerate(types)]
    return {"width": WIDTH, "height": height, "left": LEFT, "right": WIDTH - RIGHT,
            "axis_y": _f(TOP + ROW * max(1, len(types))), "rows": rows, "ticks": tick_views,
            "marks": views, "table": [_row(terms, m) for m in marks],
            "shown": len(data.marks), "total": data.total,
            "stances": len({m.stance for m in marks}),
            "sources": len({m.source for m in marks}),
            "conflicts": len({m.stance for m in marks if m.conflicts}),
            "first": min(m.date for m in marks) if marks else "",
            "last": max(m.date for m in marks) if marks else "",
            "colours": POLARITY_COLOURS, "other_colour": OTHER_COLOUR}


def _title(mark: Mark) -> str:
    said = ("on or before " if mark.before else "on ") + mark.date
    text = f"{mark.stance_label}; {said}; {mark.polarity_label or 'no polarity'}"
    text += f"; as reported by {mark.publisher or mark.source_label}"
    if mark.publisher and mark.source_label:
        text += f" (“{mark.source_label}”)"
    if mark.conflicts:
        text += f"; sources disagree on {mark.conflicts}"
    return text


def _row(terms: Terms, mark: Mark) -> dict[str, Any]:
    return {"date": ("on or before " if mark.before else "") + mark.date,
            "stance": mark.stance_label, "href": terms.href(mark.stance),
            "type": mark.type_label, "polarity": mark.polarity_label,
            "source": mark.publisher or mark.source_label, "source_title": mark.source_label,
            "source_href": terms.href(mark.source), "conflicts": mark.conflicts}


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")
