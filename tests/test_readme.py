"""The README's figures about the default dataset are those of a fresh build, not of an old one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRAPHS = "https://w3id.org/kgpub/graph/"


def graph_table() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| graph (under `https://w3id.org/kgpub/graph/`) | quads |", 1)[1]
    rows = {}
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        name, count = (cell.strip() for cell in line.strip("|").split("|"))
        rows[name] = count
    return rows


def number(text: str) -> int:
    return int(text.strip("*").replace(",", ""))


def test_graph_table_matches_a_fresh_build(built) -> None:
    _, result = built
    sizes = {g.removeprefix(GRAPHS): n for g, n in result.graph_sizes.items()}
    rows = graph_table()
    envelope = rows.pop("article/{id}/head, /provenance, /pubinfo (each article)")
    total = rows.pop("**all graphs**")
    assert number(total) == result.total
    assert {name: number(count) for name, count in rows.items()} == {
        name: n for name, n in sizes.items() if not re.search(r"/(head|provenance|pubinfo)$", name)}
    per_article = {tuple(sizes[f"{a}/{part}"] for part in ("head", "provenance", "pubinfo"))
                   for a in sizes if a.startswith("article/") and a.count("/") == 1}
    assert per_article == {tuple(int(x) for x in envelope.split(", "))}


def test_build_summary_sentence_matches(built) -> None:
    _, result = built
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"`kgpub build` of the default dataset: ([\d,]+) quads in\s+(\d+)\s+graphs",
                      text)
    assert match, "the README no longer states the size of the default dataset"
    assert (number(match.group(1)), int(match.group(2))) == (result.total,
                                                             len(result.graph_sizes))
