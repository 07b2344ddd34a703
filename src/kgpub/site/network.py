"""The stance network of the home page and of /network, laid out on the server as SVG geometry.

The layout is computed here rather than in a script so the page works without JavaScript and
under the strict Content-Security-Policy; it is deterministic, so the cached page is stable.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ..search.pictures import NETWORK_EDGES, NETWORK_NODES, Edge
from .terms import OTHER_COLOUR, POLARITY_COLOURS, Binding, Terms, local_name

NETWORK_MAX_STANCES = 2_000
# The stances the network is drawn from: the bound keeps the home page cheap on large data.
NETWORK_QUERY = (
    "SELECT DISTINCT ?st ?h ?t ?type ?pol WHERE { ?st a kgp:Stance ; "
    "kgp:stanceHolder ?h ; kgp:stanceTarget ?t ; kgp:stanceType ?type . "
    "OPTIONAL { ?st kgp:polarity ?pol } FILTER(isIRI(?h) && isIRI(?t)) } "
    f"LIMIT {NETWORK_MAX_STANCES}")


def edges_from_rows(rows: list[Binding]) -> list[Edge]:
    """Stances as SPARQL rows (NETWORK_QUERY) aggregated per (holder, target), as the index
    gives them: for a server without a search index."""
    stances: dict[tuple[str, str], set[str]] = defaultdict(set)
    polarity: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    types: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        pair, st = (row["h"]["value"], row["t"]["value"]), row["st"]["value"]
        stances[pair].add(st)
        types[pair][row["type"]["value"]].add(st)
        if "pol" in row:
            polarity[pair][row["pol"]["value"]].add(st)
    return [Edge(h, t, len(found), Counter({p: len(s) for p, s in polarity[(h, t)].items()}),
                 Counter({k: len(s) for k, s in types[(h, t)].items()}))
            for (h, t), found in sorted(stances.items())]


def network(terms: Terms, edges: list[Edge], labels: dict[str, str],
            truncated: bool = False) -> dict[str, Any]:
    """Server-side SVG geometry: actors on a circle sorted by label, one curved arrow per
    (holder, target) whose thickness grows with the number of stances, coloured by their
    most frequent polarity. Only the best-connected actors and the heaviest edges are drawn."""

    def label(iri: str) -> str:
        return labels.get(iri) or terms.fallback_label(iri)

    degree: Counter[str] = Counter()
    for e in edges:
        degree[e.holder] += e.weight
        degree[e.target] += e.weight
    keep = {n for n, _ in sorted(degree.items(), key=lambda d: (-d[1], label(d[0]), d[0]))
            [:NETWORK_NODES]}
    kept = sorted((e for e in edges if e.holder in keep and e.target in keep),
                  key=lambda e: (-e.weight, label(e.holder), label(e.target), e.holder,
                                 e.target))[:NETWORK_EDGES]
    truncated = truncated or len(kept) < len(edges)
    nodes = sorted({n for e in kept for n in (e.holder, e.target)},
                   key=lambda n: (label(n).casefold(), n))
    heaviest = max((e.weight for e in kept), default=1)

    width, height = 1000, 800
    cx, cy, radius = width / 2, height / 2, 280 if len(nodes) > 2 else 200
    pos: dict[str, tuple[float, float]] = {}
    node_views = []
    for i, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(nodes))
        ux, uy = math.cos(angle), math.sin(angle)
        x, y = cx + radius * ux, cy + radius * uy
        pos[node] = (x, y)
        lines = _wrap(label(node), 22)
        anchor = "start" if ux > 0.2 else "end" if ux < -0.2 else "middle"
        lx, ly = cx + (radius + 16) * ux, cy + (radius + 16) * uy
        if uy < -0.3:
            first = ly - 15 * (len(lines) - 1)
        elif uy > 0.3:
            first = ly + 10
        else:
            first = ly + 4 - 7.5 * (len(lines) - 1)
        node_views.append({"iri": node, "href": terms.href(node), "label": label(node),
                           "x": _f(x), "y": _f(y), "anchor": anchor,
                           "degree": degree[node],
                           "lines": [(_f(lx), _f(first + 15 * j), text)
                                     for j, text in enumerate(lines)]})
    pairs = {(e.holder, e.target) for e in kept}
    edge_views = []
    for e in sorted(kept, key=lambda e: (label(e.holder).casefold(), label(e.target).casefold(),
                                         e.holder, e.target)):
        both_ways = (e.target, e.holder) in pairs and e.holder != e.target
        offset = 22.0 if both_ways else 0.0
        edge_views.append(_edge_view(terms, e, pos, offset, heaviest, label))
    return {"width": width, "height": height, "nodes": node_views, "edges": edge_views,
            "colours": POLARITY_COLOURS, "other_colour": OTHER_COLOUR, "heaviest": heaviest,
            "stances": sum(e.weight for e in kept), "truncated": truncated}


def _edge_view(terms: Terms, edge: Edge, pos: dict[str, tuple[float, float]], offset: float,
               heaviest: int, label: Callable[[str], str]) -> dict[str, Any]:
    holder, target = edge.holder, edge.target
    (sx, sy), (tx, ty) = pos[holder], pos[target]
    polarity = local_name(edge.polarities.most_common(1)[0][0]) if edge.polarities else ""
    width = 1.5 + 6.5 * math.sqrt(edge.weight / max(1, heaviest))
    node_r = 8.0
    if holder == target:  # a self-loop, drawn outward
        ux, uy = _unit(sx - 500, sy - 400)
        p1 = (sx + 60 * ux - 25 * uy, sy + 60 * uy + 25 * ux)
        p2 = (sx + 60 * ux + 25 * uy, sy + 60 * uy - 25 * ux)
        d = f"M{_f(sx)},{_f(sy)} C{_f(p1[0])},{_f(p1[1])} {_f(p2[0])},{_f(p2[1])} " \
            f"{_f(sx)},{_f(sy)}"
        bx, by = sx + 45 * ux, sy + 45 * uy
    else:
        # Offset to the right of the direction of travel, so A→B and B→A never overlap.
        nx, ny = _unit(-(ty - sy), tx - sx)
        mx, my = (sx + tx) / 2, (sy + ty) / 2
        qx, qy = mx + 2 * offset * nx, my + 2 * offset * ny
        ux, uy = _unit(qx - sx, qy - sy)
        vx, vy = _unit(qx - tx, qy - ty)
        start = (sx + node_r * ux, sy + node_r * uy)
        end = (tx + (node_r + 2) * vx, ty + (node_r + 2) * vy)
        d = f"M{_f(start[0])},{_f(start[1])} Q{_f(qx)},{_f(qy)} {_f(end[0])},{_f(end[1])}"
        bx, by = mx + offset * nx, my + offset * ny
    kinds = ", ".join(f"{label(t)} {n}" if n > 1 else label(t)
                      for t, n in sorted(edge.types.items(), key=lambda kv: (-kv[1],
                                                                           label(kv[0])))[:4])
    if len(edge.types) > 4:
        kinds += f", {len(edge.types) - 4} more types"
    pair = f"{label(holder)} → {label(target)}"
    breakdown = f"{edge.weight} stance{'s' if edge.weight != 1 else ''} ({kinds})"
    if edge.polarities:
        breakdown += "; " + ", ".join(f"{local_name(p).lower()} {n}" for p, n in
                                  sorted(edge.polarities.items(), key=lambda kv: (-kv[1], kv[0])))
    return {"d": d, "href": f"/timeline?holder={quote(holder, safe='')}"
                            f"&target={quote(target, safe='')}",
            "holder": holder, "target": target, "weight": edge.weight,
            "polarity": polarity.lower() or "other", "width": _f(width),
            "colour": POLARITY_COLOURS.get(polarity, OTHER_COLOUR),
            "bx": _f(bx), "by": _f(by), "title": f"{pair}: {breakdown}", "pair": pair,
            "breakdown": breakdown}


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _unit(x: float, y: float) -> tuple[float, float]:
    length = math.hypot(x, y)
    return (x / length, y / length) if length else (0.0, 0.0)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3] or [text]
