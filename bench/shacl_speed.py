"""Per-article SHACL validation: the compiled evaluator (kgpub.shacl) against pyshacl.

Not part of the test suite. Two corpora: the repository's own sources (the two seed articles)
and a copy of the project with N copies of data/facts/rferl-28883735.yaml under new article ids
(real-size articles, ~1,500 triples each); or `--root` a project of your own (e.g. one written
by bench/corpus.py). Each run is what `kgpub build` validates (source_validation.SourceValidator:
an article's graphs with what they refer to, or the shared graphs once), timed R times both
ways (median); every run's results are checked equal.

    .venv/bin/python bench/shacl_speed.py [--copies 50] [--repeat 5] [--root DIR] [--json F]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kgpub.pipeline import _load_and_convert
from kgpub.project import Project
from kgpub.source_validation import SharedIndex, SourceValidator
from kgpub.validate import load_shapes, prepare_shapes

ROOT = Path(__file__).resolve().parents[1]


def corpus(dest: Path, copies: int) -> Path:
    """A copy of the project with `copies` more copies of the RFE/RL facts file."""
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("ttl"))
    shutil.copy2(ROOT / "kgpub.toml", dest / "kgpub.toml")
    source = (dest / "data" / "facts" / "rferl-28883735.yaml").read_text(encoding="utf-8")
    for k in range(copies):
        text = source.replace("id: rferl-28883735", f"id: rferl-copy-{k:03d}", 1)
        (dest / "data" / "facts" / f"rferl-copy-{k:03d}.yaml").write_text(text, encoding="utf-8")
    return dest


def timed(repeat: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def measure(root: Path, repeat: int, limit: int | None) -> dict:
    project = Project.find(root)
    converted, *_ = _load_and_convert(project)
    shapes = prepare_shapes(load_shapes(project.shape_files))
    prepared = converted.prepared

    def validator(compiled: bool) -> SourceValidator:
        return SourceValidator(shapes, SharedIndex([prepared.entities, prepared.links]),
                               converted.vocab.graph, prepared.symbols, prepared.closure,
                               compiled)

    t0 = time.perf_counter()
    fast = validator(True)
    fast.warm()
    setup = time.perf_counter() - t0
    if fast.compiled is None:
        raise SystemExit("these shapes are left to pyshacl: nothing to compare")
    slow = validator(False)
    rows = []
    for article in converted.articles[:limit]:
        pyshacl, (expected, _) = timed(repeat, lambda a=article: slow.article(a))
        compiled, (got, _) = timed(repeat, lambda a=article: fast.article(a))
        assert set(got) == set(expected), str(article.article)
        rows.append({"article": str(article.article), "pyshacl": pyshacl, "compiled": compiled,
                     "violations": len(expected)})
    shared = (prepared.entities, prepared.links, prepared.context)
    shared_pyshacl, expected = timed(1, lambda: slow.shared_graphs(*shared))
    shared_compiled, got = timed(1, lambda: fast.shared_graphs(*shared))
    assert set(got) == set(expected)
    return {"articles": len(rows), "setup_s": setup, "rows": rows,
            "shared": {"pyshacl": shared_pyshacl, "compiled": shared_compiled}}


def summary(name: str, result: dict) -> None:
    rows = result["rows"]
    print(f"\n{name}: {result['articles']} articles; compile and index "
          f"{result['setup_s'] * 1e3:.0f} ms")
    for label, pick in (("median", statistics.median), ("mean", statistics.fmean),
                        ("max", max)):
        p, c = pick([r["pyshacl"] for r in rows]), pick([r["compiled"] for r in rows])
        print(f"  per article, {label:<6} pyshacl {p * 1e3:8.1f} ms   compiled {c * 1e3:7.1f} ms"
              f"   {p / c:5.1f}x")
    s = result["shared"]
    print(f"  shared graphs        pyshacl {s['pyshacl'] * 1e3:8.1f} ms   compiled "
          f"{s['compiled'] * 1e3:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--root", type=Path, default=None, help="A project to measure instead.")
    parser.add_argument("--limit", type=int, default=None, help="At most this many articles.")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    results = {}
    if args.root:
        results["project"] = measure(args.root, args.repeat, args.limit)
        summary(str(args.root), results["project"])
    else:
        results["seeds"] = measure(ROOT, args.repeat, args.limit)
        summary("seeds (the repository's sources)", results["seeds"])
        with tempfile.TemporaryDirectory() as tmp:
            results["corpus"] = measure(corpus(Path(tmp), args.copies), args.repeat, args.limit)
        summary(f"corpus ({args.copies} copies of rferl-28883735)", results["corpus"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
