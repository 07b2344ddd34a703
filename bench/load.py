"""Load comparison over HTTP: kgpub serve against Oxigraph's server and rdflib-endpoint.

Each server is started on the same N-Quads file (union default graph everywhere), timed until it
answers (Oxigraph's `oxigraph load` included), warmed up (every query once; row counts compared
across servers), then C client processes send a fixed query mix for D seconds each. Printed per
server: requests/s, p50 and p99 latency, errors, memory (RSS and PSS summed over the server's
process tree) and MB per million triples; then kgpub's throughput ratios against the others,
measured in the same run. `kgpub serve --store` is started a second time on its store, to time
a start that needs no reload.

Two query mixes: `synthetic` for bench/generate.py's data, `corpus` for a build of a
bench/corpus.py project (its actors are read from the entities.ttl beside the data file).

    python bench/generate.py --triples 1000000 --out bench/data/synth-1m.nq
    python bench/load.py --data bench/data/synth-1m.nq --clients 8 --duration 30
    python bench/load.py --data /tmp/corpus/data/ttl/kgpub.nq --mix corpus \
        --servers kgpub-store,oxigraph
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

KG = "https://w3id.org/kgpub/"
PREFIXES = (f"PREFIX kgp: <{KG}ontology#> PREFIX kgr: <{KG}id/> PREFIX kgst: <{KG}stance-type/> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "PREFIX schema: <http://schema.org/> ")
MIX = {
    "describe": f"DESCRIBE <{KG}id/person/p{{n}}>",
    "join": "SELECT ?s ?h ?t ?q WHERE { ?s kgp:stanceType kgst:T{r}-4-{l} ; kgp:stanceHolder ?h ; "
            "kgp:stanceTarget ?t ; kgp:expressedIn ?q } LIMIT 100",
    "group-by": "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s kgp:stanceType ?type } GROUP BY ?type",
    "text-filter": "SELECT ?q ?t WHERE { ?q schema:text ?t "
                   "FILTER(CONTAINS(?t, \"Country {n} as\")) } LIMIT 20",
    "path": "SELECT ?c WHERE { kgst:T{r}-4-{l} skos:broader+ ?c }",
    "order-optional": "SELECT ?s ?d ?sp WHERE { ?s kgp:statedOn ?d ; kgp:polarity kgp:Negative "
                      "OPTIONAL { ?s kgp:statedBy ?sp } } ORDER BY DESC(?d) ?s LIMIT 10",
}


CORPUS_MIX = {
    "describe": "DESCRIBE <{actor}>",
    "stances-of": "SELECT ?s ?t ?type WHERE { ?s kgp:stanceHolder <{actor}> ; "
                  "kgp:stanceTarget ?t ; kgp:stanceType ?type } LIMIT 100",
    "group-by": "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s kgp:stanceType ?type } GROUP BY ?type",
    "text-filter": "SELECT ?q WHERE { ?q schema:text ?t FILTER(CONTAINS(?t, \"{word}\")) } "
                   "LIMIT 20",
    "events-of": "SELECT ?e ?status ?n WHERE { ?e sem:hasActor <{actor}> ; "
                 "kgp:latestStatus ?status ; kgp:reportCount ?n } ORDER BY DESC(?n) ?e LIMIT 20",
    "conflicts": "SELECT ?c ?p ?kind WHERE { ?c a kgp:Conflict ; kgp:conflictAbout ?x ; "
                 "kgp:conflictProperty ?p ; kgp:conflictKind ?kind . ?x sem:hasActor <{actor}> }",
}
WORDS = ["cooperation", "partnership", "sovereignty", "trade", "security", "dialogue",
         "sanctions", "border", "energy", "friendship"]
ACTORS: list[str] = []  # set by main for the corpus mix (inherited by the client processes)
ACTIVE = MIX


def query_text(name: str, i: int) -> str:
    if ACTIVE is CORPUS_MIX:
        text = CORPUS_MIX[name].replace("{actor}", ACTORS[i % len(ACTORS)]) \
            .replace("{word}", WORDS[i % len(WORDS)])
        return PREFIXES + "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> " + text
    return PREFIXES + MIX[name].replace("{n}", str(i % 50)).replace("{r}", str(i % 6)) \
        .replace("{l}", str(i % 3))


def corpus_actors(entities: Path, limit: int = 60) -> list[str]:
    """Countries and people of a corpus build (its entities graph), the first `limit` of each."""
    import pyoxigraph as ox

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    kinds: dict[str, list[str]] = {"http://schema.org/Country": [], "http://schema.org/Person": []}
    for t in ox.parse(path=str(entities), format=ox.RdfFormat.TURTLE):
        if t.predicate.value == rdf_type and t.object.value in kinds:
            kinds[t.object.value].append(t.subject.value)
    return [iri for found in kinds.values() for iri in sorted(set(found))[:limit]]


@dataclass
class Server:
    name: str
    command: list[str]
    path: str  # the SPARQL endpoint's path
    port: int
    env: dict = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    load_seconds: float = 0.0
    prepare: list[str] | None = None
    """A command run (and timed) before the server starts: Oxigraph's bulk load."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(conn: http.client.HTTPConnection, path: str, query: str,
            accept: str) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"query": query})
    conn.request("POST", path, body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    response = conn.getresponse()
    return response.status, response.read()


def accept_for(name: str) -> str:
    return "application/n-triples" if name == "describe" else "application/sparql-results+json"


def size_of(name: str, body: bytes) -> int:
    if name == "describe":
        return sum(1 for line in body.splitlines() if line.strip())
    return len(json.loads(body)["results"]["bindings"])


def start(server: Server, timeout: float) -> None:
    begin = time.monotonic()
    if server.prepare:
        subprocess.run(server.prepare, check=True, capture_output=True)
        server.prepare = None  # a restart starts on what is there
    server.proc = subprocess.Popen(server.command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True,
                                   env={**os.environ, **server.env})
    while time.monotonic() - begin < timeout:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            status, _ = request(conn, server.path, "ASK { ?s ?p ?o }",
                                "application/sparql-results+json")
            conn.close()
            if status == 200:
                server.load_seconds = time.monotonic() - begin
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{server.name} did not answer within {timeout:.0f} s")


def stop(server: Server) -> None:
    if server.proc and server.proc.poll() is None:
        os.killpg(server.proc.pid, signal.SIGTERM)
        try:
            server.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait()


def tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def memory_mb(pid: int) -> tuple[float, float]:
    """RSS and PSS (shared pages divided among sharers) of a process tree, in MB."""
    rss = pss = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def client(port: int, path: str, seconds: float, offset: int, timeout: float, out) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    latencies, errors, i = [], 0, offset
    names = list(ACTIVE)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        name = names[i % len(names)]
        begin = time.monotonic()
        try:
            status, _ = request(conn, path, query_text(name, i), accept_for(name))
            if status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        latencies.append(time.monotonic() - begin)
        i += 1
    out.put((latencies, errors))


def run_load(server: Server, clients: int, seconds: float, timeout: float) -> dict:
    queue: mp.Queue = mp.Queue()
    procs = [mp.Process(target=client, args=(server.port, server.path, seconds, k * 7, timeout,
                                             queue)) for k in range(clients)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(t for lat, _ in results for t in lat)
    errors = sum(e for _, e in results)
    n = len(latencies)

    def pct(q: float) -> float:
        return latencies[min(n - 1, int(q * n))] * 1000 if n else float("nan")

    return {"requests": n, "rps": (n - errors) / seconds, "p50_ms": pct(0.5),
            "p99_ms": pct(0.99), "errors": errors}


def warm_up(server: Server, timeout: float) -> dict[str, int]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    sizes = {}
    for name in ACTIVE:
        status, body = request(conn, server.path, query_text(name, 1), accept_for(name))
        sizes[name] = size_of(name, body) if status == 200 else -status
    conn.close()
    return sizes


def servers_for(names: list[str], data: Path, work: Path, workers: int) -> list[Server]:
    py = sys.executable
    bindir = Path(py).parent
    made = []
    for name in names:
        port = free_port()
        if name == "kgpub":
            cmd = [py, "-m", "kgpub.cli", "serve", "--data", str(data), "--port", str(port),
                   "--workers", str(workers), "--timeout", "60", "--max-waiting", "256"]
            made.append(Server(name, cmd, "/sparql", port))
        elif name == "kgpub-store":
            cmd = [py, "-m", "kgpub.cli", "serve", "--data", str(data), "--port", str(port),
                   "--store", str(work / "kgpub-store"), "--workers", str(workers),
                   "--timeout", "60", "--max-waiting", "256"]
            made.append(Server(name, cmd, "/sparql", port))
        elif name == "oxigraph":
            location = work / "oxigraph-store"
            load = [str(bindir / "oxigraph"), "load", "--location", str(location),
                    "--file", str(data)]
            cmd = [str(bindir / "oxigraph"), "serve-read-only", "--location", str(location),
                   "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
            made.append(Server(name, cmd, "/query", port, prepare=load))
        elif name == "rdflib-endpoint":
            cmd = [str(bindir / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1",
                   "--port", str(port)]
            made.append(Server(name, cmd, "/", port))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--servers", default="kgpub,kgpub-store,oxigraph,rdflib-endpoint")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4, help="kgpub query workers")
    parser.add_argument("--timeout", type=float, default=120.0, help="per-request client timeout")
    parser.add_argument("--start-timeout", type=float, default=1800.0)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--mix", choices=("synthetic", "corpus"), default="synthetic")
    args = parser.parse_args()
    global ACTIVE
    if args.mix == "corpus":
        ACTIVE = CORPUS_MIX
        ACTORS.extend(corpus_actors(args.data.parent / "entities.ttl"))
    triples = sum(1 for _ in args.data.open("rb"))
    work = Path(tempfile.mkdtemp(prefix="kgpub-bench-"))
    rows = []
    try:
        reference: dict[str, int] | None = None
        for server in servers_for(args.servers.split(","), args.data, work, args.workers):
            print(f"{server.name}: starting on {triples:,} triples", flush=True)
            try:
                start(server, args.start_timeout)
                rss, pss = memory_mb(server.proc.pid)
                sizes = warm_up(server, args.timeout)
                if reference is None:
                    reference = sizes
                mismatch = {k: (v, reference[k]) for k, v in sizes.items()
                            if k != "describe" and v != reference[k]}
                result = run_load(server, args.clients, args.duration, args.timeout)
                row = {"server": server.name, "triples": triples, **result,
                       "load_s": server.load_seconds, "rss_mb": rss, "pss_mb": pss,
                       "pss_mb_per_million": pss / (triples / 1e6), "rows": sizes,
                       "mismatch": mismatch}
                if server.name in ("kgpub-store", "oxigraph"):  # again, on what is on disk
                    stop(server)
                    start(server, args.start_timeout)
                    row["restart_s"] = server.load_seconds
            except RuntimeError as exc:
                row = {"server": server.name, "triples": triples, "failed": str(exc)}
            finally:
                stop(server)
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{triples:,} triples, {args.clients} clients, {args.duration:g} s, "
          f"mix: {', '.join(ACTIVE)}")
    print(f"{'server':16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>9} {'errors':>6} "
          f"{'load s':>7} {'RSS MB':>7} {'PSS MB':>7} {'PSS MB/M':>8}")
    for r in rows:
        if "failed" in r:
            print(f"{r['server']:16} failed: {r['failed']}")
            continue
        print(f"{r['server']:16} {r['rps']:8.1f} {r['p50_ms']:8.1f} {r['p99_ms']:9.1f} "
              f"{r['errors']:6d} {r['load_s']:7.1f} {r['rss_mb']:7.0f} {r['pss_mb']:7.0f} "
              f"{r['pss_mb_per_million']:8.0f}")
        if "restart_s" in r:
            print(f"{'':16} started again on its store in {r['restart_s']:.1f} s")
        if r["mismatch"]:
            print(f"{'':16} rows differ from the first server: {r['mismatch']}")
    by_name = {r["server"]: r for r in rows if "failed" not in r}
    for ours in ("kgpub", "kgpub-store"):
        for other in ("oxigraph", "rdflib-endpoint"):
            if ours in by_name and other in by_name and by_name[other]["rps"] > 0:
                ratio = by_name[ours]["rps"] / by_name[other]["rps"]
                print(f"{ours} / {other}: {ratio:.2f}x throughput")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=str))


if __name__ == "__main__":
    main()
