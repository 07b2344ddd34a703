"""Building a corpus: `kgpub build` of bench/corpus.py projects, against pyoxigraph's floor.

Not part of the test suite. For each size N (default 1,000 and 10,000 articles), in one run:

  full       `kgpub build` of a new project of N articles: wall time, peak memory (RSS and
             PSS summed over the build and its worker processes, sampled every 0.2 s)
  floor      pyoxigraph parsing the built kgpub.nq and writing it as N-Quads and TriG (the least
             any build of these quads writes), in a process of its own: full / floor
  no change  `kgpub build` again
  one edit   one article's facts file edited (an event's label), then `kgpub build`
  write floor  the whole-dataset files of that build copied and flushed to disk (fsync), as
             any build that rewrites them must: what of "one edit" is the disk's
  registry   one registry entry's label edited (the articles that use it are redone)
  compressed one edit again with `[dumps] whole = ["nq.gz", "trig.gz"]` in kgpub.toml (the
             whole-dataset files a big corpus may keep), after a build that switches to it:
             three edits, the median reported

    .venv/bin/python bench/build.py [--articles 1000,10000] [--jobs N] [--json out.json]
                                    [--work DIR --keep]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load import memory_mb

BENCH = Path(__file__).resolve().parent

FLOOR = """
import sys, time, pyoxigraph as ox
source, out = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
quads = list(ox.parse(path=source, format=ox.RdfFormat.N_QUADS))
t1 = time.perf_counter()
ox.serialize(quads, output=out + ".nq", format=ox.RdfFormat.N_QUADS)
t2 = time.perf_counter()
ox.serialize(quads, output=out + ".trig", format=ox.RdfFormat.TRIG)
t3 = time.perf_counter()
print(len(quads), t1 - t0, t2 - t1, t3 - t2)
"""


def run_build(root: Path, jobs: int | None, fresh: bool = False) -> dict:
    """One `kgpub build`, timed, its memory sampled over its process tree."""
    command = [sys.executable, "-m", "kgpub.cli", "build", "--root", str(root)]
    command += ["--jobs", str(jobs)] if jobs else []
    command += ["--fresh"] if fresh else []
    peak = {"rss": 0.0, "pss": 0.0}
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            rss, pss = memory_mb(proc.pid)
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.monotonic() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"kgpub build failed ({proc.returncode}):\n{err[-3000:]}")
    converted = re.search(r"(\d+) articles(?: converted and validated|: (\d+) converted)", out)
    timings = re.search(r"conforms to the shapes \((.*)\)", out)
    return {"wall_s": wall, "peak_rss_mb": peak["rss"], "peak_pss_mb": peak["pss"],
            "converted": (int(converted.group(2) or converted.group(1)) if converted else 0),
            "phases": timings.group(1) if timings else "", "quads": _quads(out)}


def _quads(output: str) -> int:
    found = re.search(r"(\d+)\s+quads in (\d+) graphs", output)
    return int(found.group(1)) if found else 0


def floor(nquads: Path, scratch: Path) -> dict:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", FLOOR, str(nquads), str(scratch / "floor")],
                          capture_output=True, text=True, check=True)
    wall = time.monotonic() - started
    quads, parse, nq, trig = done.stdout.split()
    for suffix in (".nq", ".trig"):
        (scratch / f"floor{suffix}").unlink(missing_ok=True)
    return {"quads": int(quads), "parse_s": float(parse), "nq_s": float(nq),
            "trig_s": float(trig), "total_s": float(parse) + float(nq) + float(trig),
            "wall_s": wall}


def edit_article(root: Path, again: bool = False) -> str:
    """Relabel the first event of the middle facts file (`again`: of the one after it); its
    name."""
    files = sorted((root / "data" / "facts").glob("*.yaml"))
    path = files[len(files) // 2 + (1 if again else 0)]
    text = path.read_text(encoding="utf-8")
    edited, n = re.subn(r'(\n      label: "?)([^"\n]+)', r"\1\2 (edited)", text, count=1)
    if not n:
        raise SystemExit(f"{path}: no event label to edit")
    path.write_text(edited, encoding="utf-8")
    return path.name


def edit_registry(root: Path) -> str:
    """Relabel the first person of the registry; its key."""
    path = root / "data" / "actors.yaml"
    text = path.read_text(encoding="utf-8")
    found = re.search(r'- key: (\S+)\n    type: Person\n    label: "?([^"\n]+)', text)
    if not found:
        raise SystemExit(f"{path}: no person to edit")
    start, end = found.span(2)
    path.write_text(text[:start] + found.group(2) + " Jr." + text[end:], encoding="utf-8")
    return found.group(1)


WHOLE = ("kgpub.nq", "kgpub.nq.gz", "kgpub.trig", "kgpub.trig.gz", "kgpub.jsonld")


def write_floor(dumps: Path, scratch: Path) -> dict:
    """Copy the whole-dataset files that exist and flush them to disk, timed."""
    started = time.monotonic()
    total = 0
    for name in WHOLE:
        source = dumps / name
        if not source.is_file():
            continue
        target = scratch / f"write-floor-{name}"
        with source.open("rb") as fin, target.open("wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
            fout.flush()
            os.fsync(fout.fileno())
        total += source.stat().st_size
        target.unlink()
    return {"bytes": total, "wall_s": time.monotonic() - started}


def measure(articles: int, jobs: int | None, work: Path, keep: bool = False) -> dict:
    root = work / f"corpus-{articles}"
    subprocess.run([sys.executable, str(BENCH / "corpus.py"), "--articles", str(articles),
                    "--out", str(root)], check=True, capture_output=True)
    print(f"{articles:,} articles: building", flush=True)
    result = {"articles": articles, "full": run_build(root, jobs, fresh=True)}
    nquads = root / "data" / "ttl" / "kgpub.nq"
    result["nq_bytes"] = nquads.stat().st_size
    result["dumps_bytes"] = sum(p.stat().st_size for p in (root / "data" / "ttl").iterdir()
                                if p.is_file())
    result["floor"] = floor(nquads, work)
    result["ratio"] = result["full"]["wall_s"] / result["floor"]["total_s"]
    result["no_change"] = run_build(root, jobs)
    result["edited_article"] = edit_article(root)
    result["one_edit"] = run_build(root, jobs)
    result["write_floor"] = write_floor(root / "data" / "ttl", work)
    result["edited_registry_entry"] = edit_registry(root)
    result["registry_edit"] = run_build(root, jobs)
    with (root / "kgpub.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[dumps]\nwhole = ["nq.gz", "trig.gz"]\n')
    result["switch_to_compressed"] = run_build(root, jobs)
    runs = []
    for i in range(3):  # one run is at the mercy of whatever else the machine does
        edit_article(root, again=i % 2 == 0)
        runs.append(run_build(root, jobs))
    result["one_edit_compressed"] = sorted(runs, key=lambda r: r["wall_s"])[1]
    result["one_edit_compressed_runs_s"] = [r["wall_s"] for r in runs]
    result["write_floor_compressed"] = write_floor(root / "data" / "ttl", work)
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return result


def report(results: list[dict]) -> None:
    print("\narticles  quads       full s  floor s  ratio  peak RSS MB  peak PSS MB  "
          "no change s  one edit s (redone)  registry edit s (redone)")
    for r in results:
        f = r["full"]
        print(f"{r['articles']:8,}  {f['quads']:10,}  {f['wall_s']:6.1f}  "
              f"{r['floor']['total_s']:7.1f}  {r['ratio']:5.1f}  {f['peak_rss_mb']:11.0f}  "
              f"{f['peak_pss_mb']:11.0f}  {r['no_change']['wall_s']:11.2f}  "
              f"{r['one_edit']['wall_s']:10.2f} ({r['one_edit']['converted']})  "
              f"{r['registry_edit']['wall_s']:15.2f} ({r['registry_edit']['converted']})")
    for r in results:
        print(f"\n{r['articles']:,} articles, phases of the full build: {r['full']['phases']}")
        print(f"  one edit: {r['one_edit']['phases']}")
        wf, wc = r["write_floor"], r["write_floor_compressed"]
        print(f"  write floor: {wf['bytes'] / 1e9:.2f} GB of whole-dataset files copied and "
              f"flushed in {wf['wall_s']:.1f} s")
        c = r["one_edit_compressed"]
        runs = ", ".join(f"{t:.2f}" for t in r["one_edit_compressed_runs_s"])
        print(f"  one edit with [dumps] whole = nq.gz, trig.gz: {c['wall_s']:.2f} s, the median "
              f"of three edits ({runs} s); "
              f"({c['converted']} redone; whole-dataset files {wc['bytes'] / 1e9:.2f} GB, "
              f"write floor {wc['wall_s']:.1f} s): {c['phases']}")
        print(f"  dumps: {r['dumps_bytes'] / 1e9:.2f} GB (kgpub.nq {r['nq_bytes'] / 1e9:.2f} GB);"
              f" floor: parse {r['floor']['parse_s']:.1f} s, N-Quads {r['floor']['nq_s']:.1f} s,"
              f" TriG {r['floor']['trig_s']:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="1000,10000",
                        help="Comma-separated corpus sizes (default 1000,10000).")
    parser.add_argument("--jobs", type=int, default=None, help="kgpub build --jobs")
    parser.add_argument("--work", type=Path, default=None,
                        help="Where the corpora are written (default: a temporary directory).")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the built corpora in --work (for bench/load.py, search.py).")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kgpub-build-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        keep = args.keep and args.work is not None
        results = [measure(int(n), args.jobs, work, keep) for n in args.articles.split(",")]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
