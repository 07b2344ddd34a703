"""bench/corpus.py: a synthetic project in the documented source format that kgpub builds,
the same for a seed, with things recurring across articles and sources that disagree."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import yaml
from click.testing import CliRunner

from kgpub.cli import main

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "bench" / "corpus.py"


def generate(out: Path, articles: int = 20, seed: int = 7) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GENERATOR), "--articles", str(articles),
                           "--out", str(out), "--seed", str(seed)],
                          capture_output=True, text=True, timeout=120)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_twenty_articles_build_with_conflicts(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    done = generate(out)
    assert done.returncode == 0, done.stderr
    assert "20 articles" in done.stdout
    facts = sorted((out / "data" / "facts").glob("*.yaml"))
    assert len(facts) == 20 and len(list((out / "data" / "articles").glob("*.txt"))) == 20

    loaded = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in facts]
    counts = [sum(len(v) for v in doc["facts"].values()) for doc in loaded]
    assert 25 <= sum(counts) / len(counts) <= 55, counts
    texts = [p.read_text(encoding="utf-8") for p in (out / "data" / "articles").glob("*.txt")]
    assert 2000 <= sum(map(len, texts)) / len(texts) <= 6000
    assert any(doc["article"].get("derived_from") for doc in loaded)
    assert any("occurrence: " in f.read_text(encoding="utf-8") for f in facts)
    events = Counter(e["id"] for doc in loaded for e in doc["facts"].get("events", []))
    assert max(events.values()) >= 3  # a story reported, and recalled, by several articles
    tenures = Counter(t["person"] for doc in loaded for t in doc["facts"].get("tenures", []))
    assert max(tenures.values()) >= 3  # one office holder attested by several articles

    result = CliRunner().invoke(main, ["build", "--root", str(out)])
    assert result.exit_code == 0, result.output
    assert "conforms to the shapes" in result.output
    assert "conflicts between sources" in result.output
    result = CliRunner().invoke(main, ["conflicts", "--root", str(out), "--format", "json"])
    kinds = Counter(c["kind"] for c in json.loads(result.output)["conflicts"])
    assert kinds["change over time"] >= 1 and kinds["disagreement"] >= 1, kinds

    sizes = Counter(q.graph_name.value for q in ox.parse(path=str(out / "data/ttl/kgpub.nq")))
    articles = [n for g, n in sizes.items() if "/graph/article/" in g
                and not g.endswith(("/head", "/provenance", "/pubinfo"))]
    assert len(articles) == 20
    assert 700 <= sum(articles) / len(articles) <= 1600, articles


def test_the_same_seed_writes_the_same_corpus(tmp_path: Path) -> None:
    assert generate(tmp_path / "a", 12, seed=3).returncode == 0
    assert generate(tmp_path / "b", 12, seed=3).returncode == 0
    assert generate(tmp_path / "c", 12, seed=4).returncode == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert tree(tmp_path / "a") != tree(tmp_path / "c")


def test_a_directory_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = generate(tmp_path, 3)
    assert done.returncode != 0 and "not empty" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
