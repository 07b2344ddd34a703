"""Publish throughput into Oxigraph's server and Virtuoso 7, and what the set default graph costs.

    .venv/bin/python bench/publish.py                       # the default dataset
    .venv/bin/python bench/publish.py --data bench/data/synth-100000.nq

Each store is started fresh (tests/stores.py) in a temporary directory; `kgpub publish` sends
every graph (Graph Store PUT, then --bulk into a fresh store), then once more with nothing to send.
With --memory, `kgpub serve --data` is started with --default-graph bag and set and the PSS of
its process tree compared.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from stores import OxigraphServer, VirtuosoServer  # noqa: E402


def publish(store, data: Path, *extra: str) -> tuple[float, str]:
    argv = [str(ROOT / ".venv/bin/kgpub"), "publish", "--gsp", store.gsp, "--sparql",
            store.query, "--update", store.update, "--data", str(data), *extra]
    if store.auth:
        argv += ["--user", store.auth[0], "--password", store.auth[1]]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def pss_mb(pid: int) -> float:
    import os

    pids = [pid]
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    for child in out.split():
        pids.append(int(child))
        grand = subprocess.run(["pgrep", "-P", child], capture_output=True, text=True).stdout
        pids += [int(g) for g in grand.split()]
    total = 0
    for p in pids:
        path = f"/proc/{p}/smaps_rollup"
        if os.path.exists(path):
            for line in Path(path).read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
    return total / 1024


def memory(data: Path) -> None:
    from conftest import RunningServer

    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("bag", "set"):
            srv = RunningServer(["--data", str(data), "--workers", "2", "--default-graph", mode],
                                Path(tmp) / f"{mode}.log").wait_ready(1800)
            try:
                time.sleep(1)
                print(f"serve --default-graph {mode}: PSS {pss_mb(srv.proc.pid):,.0f} MB")
            finally:
                srv.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "data/ttl/kgpub.nq")
    parser.add_argument("--stores", default="oxigraph,virtuoso")
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()
    for name in args.stores.split(","):
        kind = OxigraphServer if name == "oxigraph" else VirtuosoServer
        for method in ("put", "bulk"):
            with tempfile.TemporaryDirectory() as tmp, kind(Path(tmp) / name) as store:
                seconds, summary = publish(store, args.data,
                                           *(["--bulk"] if method == "bulk" else []))
                again, nothing = publish(store, args.data)
                print(f"{name} {method}: {summary} | whole command {seconds:.2f} s | "
                      f"second publish {again:.2f} s: {nothing.split(';')[0]}")
    if args.memory:
        memory(args.data)


if __name__ == "__main__":
    main()
