"""Per-article SHACL validation: the compiled evaluator (kgpub.shacl) against pyshacl.

Not part of the test suite. Two corpora: the repository's own sources (the two seed articles)
and a copy of the project with N copies of data/facts/rferl-28883735.yaml under new article ids
(real-size articles, ~1,500 triples each). Each article's run is what `kgpub build` validates:
its graphs with what they refer to (kgpub.source_validation). Per run, R repetitions, median:

  pyshacl   the pyshacl run (rdflib Graph of the article, its shared closure and the
            vocabularies; pyshacl, then the SPARQL constraints in Oxigraph), as before
  index     TripleIndex of the article's triples
  core      the compiled SHACL Core shapes on the nodes it describes, over the shared index
  store     an Oxigraph store of the same data as the pyshacl run, for the SPARQL constraints
  sparql    the SPARQL constraints in that store
  total     index + core + store + sparql

    .venv/bin/python bench/shacl_speed.py [--copies 50] [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import copy
import json
import pickle
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from kgpub.pipeline import _load_and_convert
from kgpub.shacl import CompiledShapes, Layered, TripleIndex, compile_shapes
from kgpub.source_validation import CompiledRuns, _pyshacl_run, source_runs, validate_sources
from kgpub.validate import PreparedShapes, load_shapes, prepare_shapes

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("pyshacl", "index", "core", "store", "sparql", "total")


def corpus(dest: Path, copies: int) -> Path:
    """A copy of the project with `copies` more copies of the RFE/RL facts file."""
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("ttl"))
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    shutil.copytree(ROOT / "shapes", dest / "shapes")
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


def measure_run(triples: list, whole: bool, runner: CompiledRuns, core_only: CompiledShapes,
                prepared: PreparedShapes, repeat: int) -> dict:
    """One validation run (an article, or the shared graphs when `whole`), both ways."""
    compiled = runner.compiled
    every = [*triples, *runner.vocab] if whole else triples
    row: dict = {"triples": len(set(triples)), "whole": whole}
    row["pyshacl"], expected = timed(
        repeat, lambda: _pyshacl_run(every, runner.index, runner.vocab, prepared))
    row["index"], local = timed(repeat, lambda: TripleIndex(every))
    data = Layered(local, runner.shared)
    focus = None if whole else local.spo.keys()
    row["core"], outcome = timed(repeat, lambda: core_only.run(data, focus=focus))
    row["store"], store = timed(repeat, lambda: runner.store(local, whole))
    row["sparql"], (_, sparql) = timed(repeat, lambda: compiled.sparql(data, focus, store))
    row["total"] = row["index"] + row["core"] + row["store"] + row["sparql"]
    assert {*outcome.violations, *sparql} == set(expected.violations), "compiled != pyshacl"
    return row


def measure(root: Path, repeat: int) -> dict:
    converted, *_ = _load_and_convert(root)
    prepared = prepare_shapes(load_shapes(root / "shapes"))
    t_compile, compiled = timed(1, lambda: compile_shapes(prepared.shapes))
    core_only = copy.copy(compiled)
    core_only.fast = []
    runner = CompiledRuns.of(converted, compiled)
    rows = [measure_run(triples, whole, runner, core_only, prepared, repeat)
            for triples, whole in source_runs(converted)]
    t0 = time.perf_counter()
    report = validate_sources(converted, prepared)
    whole_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    reference = validate_sources(converted, prepared, compiled=False)
    whole_pyshacl = time.perf_counter() - t0
    assert set(report.violations) == set(reference.violations)
    return {"root": str(root), "articles": len(converted.articles), "compile_s": t_compile,
            "rows": rows, "validate_sources_s": whole_build,
            "validate_sources_pyshacl_s": whole_pyshacl}


def footprint() -> dict:
    shapes = load_shapes(ROOT / "shapes")
    tracemalloc.start()
    compiled = compile_shapes(shapes)
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    blob = pickle.dumps(compiled)
    t0 = time.perf_counter()
    pickle.loads(blob)
    return {"compiled_bytes_traced": size, "pickle_bytes": len(blob),
            "unpickle_s": time.perf_counter() - t0}


def summary(name: str, result: dict) -> None:
    articles = [r for r in result["rows"] if not r["whole"]]
    shared = [r for r in result["rows"] if r["whole"]]
    print(f"\n{name}: {result['articles']} articles; compile {result['compile_s'] * 1e3:.0f} ms")
    print("per article, ms   " + "  ".join(f"{c:>8}" for c in COLUMNS) + "   triples")
    for label, pick in (("median", statistics.median), ("mean", statistics.fmean),
                        ("max", max)):
        cells = "  ".join(f"{pick([r[c] for r in articles]) * 1e3:8.2f}" for c in COLUMNS)
        print(f"  {label:<15} {cells}   {pick([r['triples'] for r in articles]):.0f}")
    for r in shared:
        cells = "  ".join(f"{r[c] * 1e3:8.2f}" for c in COLUMNS)
        print(f"  {'shared graphs':<15} {cells}   {r['triples']}")
    pys = statistics.median([r["pyshacl"] for r in articles])
    print(f"  pyshacl / compiled: {pys / statistics.median([r['total'] for r in articles]):.1f}x"
          f" (core only: {pys / statistics.median([r['core'] for r in articles]):.1f}x)")
    print(f"  validate_sources: {result['validate_sources_s']:.2f} s compiled, "
          f"{result['validate_sources_pyshacl_s']:.2f} s with pyshacl")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    results = {"seeds": measure(ROOT, args.repeat), "footprint": footprint()}
    summary("seeds (the repository's sources)", results["seeds"])
    with tempfile.TemporaryDirectory() as tmp:
        results["corpus"] = measure(corpus(Path(tmp), args.copies), args.repeat)
    summary(f"corpus ({args.copies} copies of rferl-28883735)", results["corpus"])
    f = results["footprint"]
    print(f"\ncompiled shapes: {f['compiled_bytes_traced'] / 1e6:.2f} MB allocated by compiling, "
          f"pickled {f['pickle_bytes'] / 1e3:.0f} kB, unpickled in {f['unpickle_s'] * 1e3:.0f} ms")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
