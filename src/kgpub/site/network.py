"""The stance network of the home page, laid out on the server as SVG geometry.

The layout is computed here rather than in a script so the page works without JavaScript and
under the strict Content-Security-Policy; it is deterministic, so the cached page is stable.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from .terms import OTHER_COLOUR, POLARITY_COLOURS, Binding, Terms, local_name

NETWORK_MAX_STANCES = 2_000
NETWORK_MAX_NODES = 40
# The stances the network is drawn from: the bound keeps the home page cheap on large data.
NETWORK_QUERY = (
    "SELECT DISTINCT ?st ?h ?t ?type ?pol WHERE { ?st a kgp:Stance ; "
    "kgp:stanceHolder ?h ; kgp:stanceTarget ?t ; kgp:stanceType ?type . "
    "OPTIONAL { ?st kgp:polarity ?pol } FILTER(isIRI(?h) && isIRI(?t)) } "
    f"LIMIT {NETWORK_MAX_STANCES}")


def network(terms: Terms, rows: list[Binding], labels: dict[str, str]) -> dict[str, Any]:
    """Server-side SVG geometry: actors on a circle sorted by label, one curved edge per
    (holder, target, stance type), coloured by polarity, numbered by stance type."""
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["h"]["value"], row["t"]["value"], row["type"]["value"])
        edge = edges.setdefault(key, {"stances": set(), "polarity": Counter()})
        edge["stances"].add(row["st"]["value"])
        pol = row.get("pol", {}).get("value", "")
        edge["polarity"][local_name(pol) if pol else ""] += 1

    def label(iri: str) -> str:
        return labels.get(iri) or terms.fallback_label(iri)

    degree: Counter[str] = Counter()
    for h, t, _ in edges:
        degree[h] += 1
        degree[t] += 1
    keep = {n for n, _ in sorted(degree.items(), key=lambda d: (-d[1], label(d[0]), d[0]))
            [:NETWORK_MAX_NODES]}
    edges = {k: v for k, v in edges.items() if k[0] in keep and k[1] in keep}
    nodes = sorted({n for k in edges for n in k[:2]}, key=lambda n: (label(n).casefold(), n))
    types = sorted({k[2] for k in edges}, key=lambda t: (label(t).casefold(), t))
    number = {t: i + 1 for i, t in enumerate(types)}

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
                           "lines": [(_f(lx), _f(first + 15 * j), text)
                                     for j, text in enumerate(lines)]})

    by_pair: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    index = {n: i for i, n in enumerate(nodes)}
    for key in edges:
        a, b = sorted(key[:2], key=lambda n: index[n])
        by_pair[(a, b)].append(key)
    edge_views = []
    for (a, b), keys in sorted(by_pair.items(), key=lambda p: (index[p[0][0]], index[p[0][1]])):
        keys.sort(key=lambda k: (k[0] != a, label(k[2]).casefold(), k[2]))
        for j, key in enumerate(keys):
            offset = (j - (len(keys) - 1) / 2) * 30
            edge_views.append(_edge_view(terms, key, edges[key], pos, (a, b), offset,
                                         number[key[2]], label))
    legend = [{"number": number[t], "label": label(t), "href": terms.href(t),
               "colour": _colour(Counter(p for k, e in edges.items() if k[2] == t
                                         for p in e["polarity"].elements()))}
              for t in types]
    return {"width": width, "height": height, "nodes": node_views, "edges": edge_views,
            "legend": legend, "colours": POLARITY_COLOURS, "other_colour": OTHER_COLOUR,
            "truncated": len(rows) >= NETWORK_MAX_STANCES or len(degree) > len(keep)}


def _edge_view(terms: Terms, key: tuple[str, str, str], edge: dict[str, Any],
               pos: dict[str, tuple[float, float]], pair: tuple[str, str], offset: float,
               number: int, label: Callable[[str], str]) -> dict[str, Any]:
    holder, target, stance_type = key
    (sx, sy), (tx, ty) = pos[holder], pos[target]
    polarity = edge["polarity"].most_common(1)[0][0] if edge["polarity"] else ""
    stances = sorted(edge["stances"])
    node_r = 8.0
    if holder == target:  # a self-loop, drawn outward
        ux, uy = _unit(sx - 500, sy - 400)
        p1 = (sx + 60 * ux - 25 * uy, sy + 60 * uy + 25 * ux)
        p2 = (sx + 60 * ux + 25 * uy, sy + 60 * uy - 25 * ux)
        d = f"M{_f(sx)},{_f(sy)} C{_f(p1[0])},{_f(p1[1])} {_f(p2[0])},{_f(p2[1])} " \
            f"{_f(sx)},{_f(sy)}"
        bx, by = sx + 45 * ux, sy + 45 * uy
    else:
        (ax, ay), (bx0, by0) = pos[pair[0]], pos[pair[1]]
        nx, ny = _unit(-(by0 - ay), bx0 - ax)
        mx, my = (sx + tx) / 2, (sy + ty) / 2
        qx, qy = mx + 2 * offset * nx, my + 2 * offset * ny
        ux, uy = _unit(qx - sx, qy - sy)
        vx, vy = _unit(qx - tx, qy - ty)
        start = (sx + node_r * ux, sy + node_r * uy)
        end = (tx + (node_r + 2) * vx, ty + (node_r + 2) * vy)
        d = f"M{_f(start[0])},{_f(start[1])} Q{_f(qx)},{_f(qy)} {_f(end[0])},{_f(end[1])}"
        bx, by = mx + offset * nx, my + offset * ny
    title = f"{label(holder)} → {label(target)}: {label(stance_type)}"
    if polarity:
        title += f" ({polarity.lower()})"
    if len(stances) > 1:
        title += f"; {len(stances)} stances"
    return {"d": d, "href": terms.href(stances[0]), "holder": holder, "target": target,
            "type": stance_type, "polarity": polarity.lower() or "other",
            "colour": POLARITY_COLOURS.get(polarity, OTHER_COLOUR), "number": number,
            "bx": _f(bx), "by": _f(by), "title": title, "stances": stances}


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _unit(x: float, y: float) -> tuple[float, float]:
    length = math.hypot(x, y)
    return (x / length, y / length) if length else (0.0, 0.0)


def _colour(polarities: Counter[str]) -> str:
    if not polarities:
        return OTHER_COLOUR
    return POLARITY_COLOURS.get(polarities.most_common(1)[0][0], OTHER_COLOUR)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3] or [text]
