"""kgpub as a user gets it: the wheel, installed into a clean virtual environment, outside the
checkout. Run by `make check-wheel` (and so by .ci/run). Standard library only.

Steps, each timed: copy the sources into a temporary directory (the checkout is never written
to); build the sdist and, from it, the wheel (`python -m build`); install the wheel into a new
virtual environment; check that kgpub's ontology, shapes and queries come from the installed
package; then, in a directory of their own: `kgpub init`, `build`, `validate` (from outside the
project), `query` (inside it and with --root), `draft` of the example article, and `serve`:
a resource as Turtle, and /sparql's count of quads per graph and of literals per datatype and
language equal to what pyoxigraph (in the installed environment) counts in the kgpub.nq dump.
Everything is in one temporary directory, removed at the end.

    python tools/check_wheel.py [--python .venv/bin/python] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["src", "ontology", "shapes", "queries", "pyproject.toml", "setup.py", "MANIFEST.in",
           "README.md"]
IGNORED = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")


class Failed(Exception):
    pass


def run(args: list[str | Path], cwd: Path, expect: int = 0) -> str:
    """Run a command; its standard output, or Failed with both outputs."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    if done.returncode != expect:
        raise Failed(f"{' '.join(str(a) for a in args)} (in {cwd}) exited {done.returncode}, "
                     f"expected {expect}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, accept: str) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


# Counted by the server and, from the dump file, by pyoxigraph in the installed environment: the
# endpoint must answer what the dumps hold, quad for quad, datatype for datatype.
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
PER_DATATYPE = ("SELECT ?dt ?lang (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                "FILTER(isLiteral(?o)) BIND(DATATYPE(?o) AS ?dt) BIND(LANG(?o) AS ?lang) } "
                "GROUP BY ?dt ?lang")
COUNT_DUMP = """
import collections, json, sys
import pyoxigraph as ox
graphs, literals, default = collections.Counter(), collections.Counter(), 0
for q in ox.parse(path=sys.argv[1], format=ox.RdfFormat.N_QUADS):
    if isinstance(q.graph_name, ox.DefaultGraph):
        default += 1
        continue
    graphs[q.graph_name.value] += 1
    if isinstance(q.object, ox.Literal):
        literals[q.object.datatype.value + " " + (q.object.language or "")] += 1
print(json.dumps({"graphs": graphs, "literals": literals, "default": default}))
"""


def select(base: str, query: str) -> list[dict[str, str]]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    status, media, body = get(url, "application/sparql-results+json")
    if status != 200 or "json" not in media:
        raise Failed(f"GET /sparql ({query}): {status} {media}\n{body[:500]}")
    return [{k: v["value"] for k, v in row.items()}
            for row in json.loads(body)["results"]["bindings"]]


def serve_and_compare(kgpub: Path, project: Path, work: Path, expected: dict) -> str:
    """Start `kgpub serve` in the project, ask for one resource as Turtle, compare what /sparql
    counts per graph and per literal datatype with `expected` (counted from the dump), stop."""
    port = free_port()
    log = (work / "serve.log").open("wb")
    server = subprocess.Popen([str(kgpub), "serve", "--port", str(port), "--workers", "1"],
                              cwd=project, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                raise Failed(f"kgpub serve exited {server.returncode}: "
                             f"{(work / 'serve.log').read_text()[-2000:]}")
            try:
                if get(base + "/healthz", "application/json")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise Failed("kgpub serve did not answer /healthz within 90 s")
            time.sleep(0.3)
        status, media, body = get(base + "/id/person/ilse-maren", "text/turtle")
        if status != 200 or "text/turtle" not in media or "Ilse Maren" not in body:
            raise Failed(f"GET /id/person/ilse-maren: {status} {media}\n{body[:500]}")
        graphs = {row["g"]: int(row["n"]) for row in select(base, PER_GRAPH)}
        literals = {f"{row['dt']} {row.get('lang', '')}": int(row["n"])
                    for row in select(base, PER_DATATYPE)}
        for what, served, dumped in (("quads per graph", graphs, expected["graphs"]),
                                     ("literals per datatype", literals, expected["literals"])):
            if served != dumped:
                differ = sorted(k for k in served.keys() | dumped.keys()
                                if served.get(k) != dumped.get(k))
                raise Failed(f"/sparql and kgpub.nq differ in {what}: " + "; ".join(
                    f"{k}: served {served.get(k)}, dumped {dumped.get(k)}" for k in differ))
        return (f"GET /id/person/ilse-maren -> {status}; /sparql = kgpub.nq: "
                f"{sum(graphs.values())} quads in {len(graphs)} graphs, "
                f"{sum(literals.values())} literals of {len(literals)} datatypes")
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def check(python: str, work: Path) -> list[tuple[str, float, str]]:
    steps: list[tuple[str, float, str]] = []

    def step(name: str, action) -> None:
        """Run `action`, which returns a note to print (or None), and time it."""
        t0 = time.perf_counter()
        note = action() or ""
        steps.append((name, time.perf_counter() - t0, note))
        print(f"{time.perf_counter() - t0:6.1f} s  {name}  {note}", flush=True)

    def quiet(args: list[str | Path], cwd: Path, expect: int = 0) -> None:
        run(args, cwd, expect)

    source = work / "source"

    def copy_sources() -> str:
        for name in SOURCES:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, source / name, ignore=IGNORED)
            else:
                source.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, source / name)

    step("copy the sources", copy_sources)
    dist = work / "dist"
    step("build sdist and wheel", lambda: quiet([python, "-m", "build", "--outdir", dist,
                                                source], work))
    wheel = next(dist.glob("kgpub-*.whl"))

    def wheel_contents() -> str:
        names = set(zipfile.ZipFile(wheel).namelist())
        wanted = [f"kgpub/resources/{p.relative_to(ROOT).as_posix()}" for pattern in
                  ("ontology/*.ttl", "ontology/draft/*", "shapes/*.ttl", "queries/*.rq")
                  for p in sorted(ROOT.glob(pattern))]
        yasgui = ROOT / "src/kgpub/static/vendor/yasgui/yasgui.min.js"
        if yasgui.exists():  # fetched by `make`; git-ignored, but shipped when present
            wanted.append("kgpub/static/vendor/yasgui/yasgui.min.js")
        missing = [name for name in wanted if name not in names]
        if missing:
            raise Failed(f"{wheel.name} lacks {', '.join(missing)}")
        return f"{wheel.name}: {len(names)} files, {len(wanted)} resources checked"

    step("the wheel carries the resources", wheel_contents)
    venv = work / "venv"
    step("new virtual environment", lambda: quiet([sys.executable, "-m", "venv", venv], work))
    bin_dir = venv / "bin"
    step("pip install the wheel", lambda: quiet([bin_dir / "pip", "install", "--quiet", wheel],
                                                work))
    kgpub = bin_dir / "kgpub"
    home = work / "elsewhere"
    home.mkdir()

    def resources_from_package() -> str:
        where = json.loads(run([bin_dir / "python", "-c",
                                "import json, kgpub, kgpub.project as p; print(json.dumps("
                                "[kgpub.__file__, str(p.packaged_resources_dir())]))"], home))
        for path in where:
            if not Path(path).resolve().is_relative_to(venv.resolve()):
                raise Failed(f"{path} is not in the installed package under {venv}")
        return where[1]

    step("resources come from the package", resources_from_package)
    project = home / "corpus"
    step("kgpub init", lambda: quiet([kgpub, "init", project.name], home))
    step("kgpub init into a non-empty directory refused",
         lambda: quiet([kgpub, "init", project.name], home, expect=2))
    step("kgpub build (in the project)", lambda: run([kgpub, "build"], project).splitlines()[-1])
    step("kgpub validate (outside any project)",
         lambda: run([kgpub, "validate", project / "data/ttl/kgpub.nq"], home).strip())
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label "
             "{ <https://w3id.org/kgpub/id/person/ilse-maren> rdfs:label ?label }")

    def query_both() -> str:
        inside = run([kgpub, "query", "--format", "csv", query], project)
        outside = run([kgpub, "query", "--format", "csv", "--root", project, query], home)
        if inside != outside or "Ilse Maren" not in inside:
            raise Failed(f"kgpub query: {inside!r} (in the project) vs {outside!r} (--root)")
        return inside.splitlines()[-1]

    step("kgpub query (inside, and with --root)", query_both)

    def draft() -> str:
        out = run([kgpub, "draft", "--date", "2025-05-06",
                   "data/articles/norland-daily-river-crossing.txt"], project)
        if "Ilse Maren" not in out and "ilse-maren" not in out:
            raise Failed(f"kgpub draft did not find Ilse Maren:\n{out[:1000]}")
        return f"{len(out.splitlines())} lines of facts drafted"

    step("kgpub draft (the example article)", draft)
    def count_dump() -> dict:
        counted = json.loads(run([bin_dir / "python", "-c", COUNT_DUMP,
                                  project / "data/ttl/kgpub.nq"], home))
        if counted["default"]:
            raise Failed(f"kgpub.nq has {counted['default']} quads in the default graph; "
                         "the comparison with /sparql counts named graphs only")
        return counted

    expected = count_dump()
    step("kgpub serve: a resource, and /sparql counts what kgpub.nq holds",
         lambda: serve_and_compare(kgpub, project, work, expected))
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable,
                        help="A Python with the `build` package (default: this one).")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary directory.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kgpub-wheel-"))
    t0 = time.perf_counter()
    try:
        check(os.path.abspath(args.python) if os.sep in args.python else args.python, work)
    except Failed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{time.perf_counter() - t0:6.1f} s  the installed wheel works outside the checkout")
    return 0


if __name__ == "__main__":
    sys.exit(main())
