"""Hardening run: `kgpub serve` under steady load, beside runaway queries, and when saturated.

Why: the endpoint is public and read-only, so its promises are operational ones. Cheap requests
(the competency queries, resource pages and RDF, dumps, /healthz) must keep succeeding while
clients send queries that would run for ever; a runaway must be stopped with 503 at the time
limit, not later; and a flooded endpoint must turn requests away quickly, not hang, while
/healthz still answers. This script measures each promise on loopback and exits non-zero when
one is broken. It only measures: what the worker pool does about runaways is the server's business.

How, in three phases (see bench/README.md for the options):

1. clean: C client threads (one keep-alive http.client connection each, in one client process;
   --procs spreads them over more, but 32 threads take about 5% of a core, so the GIL is not
   what limits them and the 2 cores stay with the server) cycle for D seconds through a
   fixed mix: the ten competency queries (queries/cq*.rq, POSTed as application/sparql-query),
   resource pages (GET /page/...), RDF of resources (GET /id/... with Accept text/turtle, 303
   followed), the gzip dump and a conditional GET of it that must give 304, and /healthz.
   Per kind: count, failures, p50/p99 latency; overall requests/s.
2. with runaways: the same, while R more clients send runaway queries back to back (a cartesian
   product, a closure of a path over every predicate in both directions, an ORDER BY over a
   cartesian product, whose memory grows until the time limit or the worker's memory cap).
   Each runaway's status and duration (time in the line included) is recorded; a duration
   above timeout + 1 s is a failure.
3. saturation: a second server with one worker, no burst and a short line (--workers 1
   --max-workers 1 --max-waiting 2 --queue-timeout 1) gets F concurrent runaways for D seconds
   while /healthz is polled;
   reported: how the requests ended (503 timed out, 503 after waiting in line, 503 at once as
   the line was full, ...), how long the 503s took, how /healthz fared. A failed /healthz or a
   runaway longer than timeout + 1 s queue timeout + 1 s is a failure. Skipped with --url.

    .venv/bin/python bench/hardening.py --clients 32 --duration 60
    .venv/bin/python bench/hardening.py --clients 8 --duration 10 --timeout 3 --json out.json
    .venv/bin/python bench/hardening.py --url http://127.0.0.1:8000 --timeout 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/kgpub/"
RESULTS_JSON = "application/sparql-results+json"
DUMP = "/dumps/kgpub.nq.gz"
# A join of two closures over every edge in both directions: cubic in the number of nodes.
_EDGE = "(<http://x/p>|!<http://x/q>|^!<http://x/q>)*"
RUNAWAYS = {
    "cartesian": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "path": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {_EDGE} ?m . ?m {_EDGE} ?o }}",
    "order-by": "SELECT ?c ?f ?i WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } "
                "ORDER BY DESC(STR(?c)) ?f ?i LIMIT 10",
}
# A few resources of different kinds, for the page and RDF requests.
RESOURCE_QUERY = f"""PREFIX kgp: <{BASE}ontology#>
SELECT ?t (MIN(STR(?s)) AS ?iri) WHERE {{
  VALUES ?t {{ kgp:Person kgp:Country kgp:IntergovernmentalOrganization kgp:NewsArticle
              kgp:Event kgp:Stance kgp:Quote kgp:Post }}
  ?s a ?t FILTER(STRSTARTS(STR(?s), "{BASE}id/"))
}} GROUP BY ?t ORDER BY ?t"""
SATURATION_ARGS = ["--workers", "1", "--max-workers", "1", "--max-waiting", "2",
                   "--queue-timeout", "1"]
SATURATION_QUEUE_TIMEOUT = 1.0


# -- HTTP -------------------------------------------------------------------------------------

@dataclass
class Target:
    host: str
    port: int
    timeout: float  # client-side socket timeout; a request that hits it is a failure (a hang)

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)


def call(conn: http.client.HTTPConnection, method: str, path: str, headers: dict,
         body: bytes | None = None) -> tuple[int, dict, bytes]:
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def sparql(conn: http.client.HTTPConnection, query: str,
           accept: str = RESULTS_JSON) -> tuple[int, dict, bytes]:
    return call(conn, "POST", "/sparql", {"Content-Type": "application/sparql-query",
                                          "Accept": accept}, query.encode("utf-8"))


@dataclass
class Mix:
    """The cheap requests, as (kind, function(conn) -> status) in the order a client sends them."""

    queries: dict[str, str]
    paths: list[str]  # local paths of resources, e.g. id/person/x
    etag: str

    def steps(self) -> list[tuple[str, object]]:
        steps: list[tuple[str, object]] = []
        for name, text in self.queries.items():
            steps.append((name, lambda c, t=text: _expect(sparql(c, t), 200)))
        for i, path in enumerate(self.paths):
            steps.append(("page", lambda c, p=path: _expect(
                call(c, "GET", f"/page/{p}", {"Accept": "text/html"}), 200)))
            steps.append(("rdf", lambda c, p=path: _rdf(c, p)))
            if i % 2:  # the dump and /healthz half as often as pages
                continue
            steps.append(("dump", lambda c: _expect(call(c, "GET", DUMP, {
                "Accept-Encoding": "gzip"}), 200)))
            steps.append(("dump-304", lambda c: _expect(call(c, "GET", DUMP, {
                "Accept-Encoding": "gzip", "If-None-Match": self.etag}), 304)))
            steps.append(("healthz", lambda c: _expect(call(c, "GET", "/healthz", {}), 200)))
        return steps


class Unexpected(Exception):
    """A status other than the one expected; its text is what `classify` makes of it."""


def classify(status: int, body: bytes) -> str:
    text = body[:20000].decode("utf-8", "replace")
    if status == 503 and "longer than" in text:
        return "503 timed out"
    if status == 503 and "line is full" in text:
        return "503 line full"
    if status == 503 and "busy" in text:
        return "503 waited"
    return str(status)


def _expect(answer: tuple[int, dict, bytes], wanted: int) -> tuple[int, dict, bytes]:
    if answer[0] != wanted:
        raise Unexpected(classify(answer[0], answer[2]))
    return answer


def _rdf(conn: http.client.HTTPConnection, path: str) -> None:
    _, headers, _ = _expect(call(conn, "GET", f"/{path}", {"Accept": "text/turtle"}), 303)
    location = urllib.parse.urlsplit(headers.get("location", ""))
    target = location.path + (f"?{location.query}" if location.query else "")
    _expect(call(conn, "GET", target, {"Accept": "text/turtle"}), 200)


def prepare_mix(target: Target) -> Mix:
    conn = target.connect()
    queries = {p.stem: p.read_text(encoding="utf-8")
               for p in sorted((ROOT / "queries").glob("cq*.rq"))}
    status, _, body = sparql(conn, RESOURCE_QUERY)
    if status != 200:
        raise RuntimeError(f"the resource query got {status}: {body[:200]!r}")
    iris = [b["iri"]["value"] for b in json.loads(body)["results"]["bindings"]]
    paths = [iri[len(BASE):] for iri in iris if iri.startswith(BASE)]
    status, headers, _ = call(conn, "GET", DUMP, {"Accept-Encoding": "gzip"})
    if status != 200 or "etag" not in headers:
        raise RuntimeError(f"{DUMP} got {status} (ETag: {headers.get('etag')})")
    conn.close()
    if not paths:
        raise RuntimeError("the resource query found no resources")
    return Mix(queries, paths, headers["etag"])


# -- the cheap clients ------------------------------------------------------------------------

def cheap_client(target: Target, steps: list, offset: int, start: float, end: float,
                 out: list) -> None:
    """Send the mix from `offset` round and round until `end`; append (kind, s, error|None)."""
    time.sleep(max(0.0, start - time.monotonic()))
    conn = target.connect()
    i = offset
    while time.monotonic() < end:
        kind, step = steps[i % len(steps)]
        i += 1
        begin = time.monotonic()
        error = None
        try:
            step(conn)
        except Unexpected as exc:
            error = str(exc)
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            conn.close()
            conn = target.connect()
        out.append((kind, time.monotonic() - begin, error))
    conn.close()


def client_process(target: Target, mix: Mix, offsets: list[int], start: float, end: float,
                   queue) -> None:
    steps = mix.steps()
    records: list = []
    cpu = time.process_time()
    threads = [threading.Thread(target=cheap_client, args=(target, steps, k, start, end, records))
               for k in offsets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put((records, time.process_time() - cpu))


def run_cheap(target: Target, mix: Mix, clients: int, procs: int, start: float,
              end: float) -> tuple[list, float]:
    """C client threads over P processes; their records and the client CPU seconds."""
    ctx = mp.get_context("spawn")  # no fork of a process that already runs threads
    queue = ctx.Queue()
    n_steps = len(mix.steps())
    offsets = [k * n_steps // clients for k in range(clients)]
    groups = [offsets[p::procs] for p in range(procs) if offsets[p::procs]]
    workers = [ctx.Process(target=client_process, args=(target, mix, g, start, end, queue))
               for g in groups]
    for w in workers:
        w.start()
    results = [queue.get() for _ in workers]
    for w in workers:
        w.join()
    return [r for records, _ in results for r in records], sum(cpu for _, cpu in results)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def summarise(records: list, seconds: float) -> dict:
    kinds: dict[str, dict] = {}
    for kind, latency, error in records:
        k = kinds.setdefault(kind, {"latencies": [], "failures": 0, "errors": {}})
        k["latencies"].append(latency)
        if error is not None:
            k["failures"] += 1
            k["errors"][error] = k["errors"].get(error, 0) + 1
    table = {name: {"count": len(k["latencies"]), "failures": k["failures"],
                    "p50_ms": pct(k["latencies"], 0.5), "p99_ms": pct(k["latencies"], 0.99),
                    "errors": k["errors"]}
             for name, k in sorted(kinds.items())}
    every = [latency for _, latency, _ in records]
    failures = sum(k["failures"] for k in table.values())
    return {"kinds": table, "requests": len(records), "failures": failures,
            "rps": len(records) / seconds if seconds else 0.0, "seconds": seconds,
            "p50_ms": pct(every, 0.5), "p99_ms": pct(every, 0.99)}


# -- runaways ---------------------------------------------------------------------------------

def runaway_client(target: Target, offset: int, start: float, end: float, out: list) -> None:
    """Runaway queries back to back until `end`; append (kind, outcome, seconds)."""
    time.sleep(max(0.0, start - time.monotonic()))
    names = list(RUNAWAYS)
    conn = target.connect()
    i = offset
    while time.monotonic() < end:
        name = names[i % len(names)]
        i += 1
        begin = time.monotonic()
        try:
            status, _, body = sparql(conn, RUNAWAYS[name])
            outcome = classify(status, body)
        except (OSError, http.client.HTTPException) as exc:
            outcome = type(exc).__name__
            conn.close()
            conn = target.connect()
        out.append((name, outcome, time.monotonic() - begin))
    conn.close()


def start_runaways(target: Target, count: int, start: float, end: float,
                   out: list) -> list[threading.Thread]:
    threads = [threading.Thread(target=runaway_client, args=(target, k, start, end, out))
               for k in range(count)]
    for t in threads:
        t.start()
    return threads


def summarise_runaways(records: list, limit: float) -> dict:
    outcomes: dict[str, int] = {}
    for _, outcome, _ in records:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    by_kind = {}
    for name in RUNAWAYS:
        times = [s for n, _, s in records if n == name]
        by_kind[name] = {"count": len(times), "p50_ms": pct(times, 0.5),
                         "max_ms": max(times) * 1000 if times else float("nan"),
                         "outcomes": _count(o for n, o, _ in records if n == name)}
    slow = [s for _, _, s in records if s > limit]
    return {"count": len(records), "outcomes": outcomes, "kinds": by_kind,
            "max_s": max((s for _, _, s in records), default=0.0), "limit_s": limit,
            "over_limit": len(slow)}


def _count(items) -> dict[str, int]:
    counted: dict[str, int] = {}
    for item in items:
        counted[item] = counted.get(item, 0) + 1
    return counted


# -- the server -------------------------------------------------------------------------------

@dataclass
class Server:
    args: list[str]
    port: int = 0
    proc: subprocess.Popen | None = None
    log: Path | None = None
    cpu_ticks: dict[tuple[int, int], int] = field(default_factory=dict)

    def start(self, wait: float) -> Target:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        fd, name = tempfile.mkstemp(prefix="kgpub-hardening-", suffix=".log")
        self.log = Path(name)
        cmd = [sys.executable, "-m", "kgpub.cli", "serve", "--port", str(self.port), *self.args]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fd, stderr=subprocess.STDOUT,
                                     start_new_session=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        os.close(fd)
        target = Target("127.0.0.1", self.port, 5.0)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kgpub serve exited: {self.tail()}")
            try:
                conn = target.connect()
                status, _, _ = call(conn, "GET", "/healthz", {})
                conn.close()
                if status == 200:
                    return target
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"kgpub serve did not answer /healthz within {wait:g} s: "
                           f"{self.tail()}")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.log is not None:
            self.log.unlink(missing_ok=True)

    def usage(self) -> tuple[float, float]:
        """CPU seconds used so far and resident MB now, over the server's process session.

        Workers killed at the time limit vanish without being counted in a parent's times, so
        the CPU figure sums the last reading of every process ever seen in the session.
        """
        rss = 0
        if self.proc is None:
            return 0.0, 0.0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.proc.pid:  # session id: the server and all its workers
                self.cpu_ticks[(int(entry), int(fields[19]))] = int(fields[11]) + int(fields[12])
                rss += int(fields[21])
        ticks = sum(self.cpu_ticks.values())
        return ticks / os.sysconf("SC_CLK_TCK"), rss * os.sysconf("SC_PAGE_SIZE") / 2**20


class Sampler(threading.Thread):
    """The server's CPU use and peak RSS during a phase (nothing when the server is not ours)."""

    def __init__(self, server: Server | None) -> None:
        super().__init__(daemon=True)
        self.server, self.stopped = server, threading.Event()
        self.cpu0 = self.cpu1 = self.peak_mb = 0.0

    def run(self) -> None:
        if self.server is None:
            return
        self.cpu0, self.peak_mb = self.server.usage()
        while not self.stopped.wait(0.5):
            self.cpu1, rss = self.server.usage()
            self.peak_mb = max(self.peak_mb, rss)

    def finish(self, seconds: float) -> dict:
        self.stopped.set()
        self.join()
        if self.server is None:
            return {}
        return {"server_cpu_pct": 100 * (self.cpu1 - self.cpu0) / seconds,
                "server_peak_rss_mb": self.peak_mb}


# -- phases -----------------------------------------------------------------------------------

def phase_load(target: Target, mix: Mix, args, server: Server | None, runaways: int) -> dict:
    start = time.monotonic() + 2.0  # client processes need a moment to start
    end = start + args.duration
    sampler = Sampler(server)
    sampler.start()
    runaway_records: list = []
    threads = start_runaways(target, runaways, start - 0.5, end, runaway_records)
    records, client_cpu = run_cheap(target, mix, args.clients, args.procs, start, end)
    seconds = max(end, time.monotonic()) - start  # until the last cheap request came back
    for t in threads:
        t.join()  # the last runaway of each client ends by the time limit
    result = summarise(records, seconds)
    result.update(sampler.finish(max(end, time.monotonic()) - start))
    result["client_cpu_pct"] = 100 * client_cpu / seconds
    if runaways:
        result["runaways"] = summarise_runaways(runaway_records, args.timeout + 1.0)
    return result


def phase_saturation(args) -> dict:
    server = Server([*args.serve_arg, "--timeout", str(args.timeout), *SATURATION_ARGS])
    try:
        target = server.start(args.start_wait)
        target.timeout = args.client_timeout
        sampler = Sampler(server)
        sampler.start()
        start = time.monotonic() + 0.2
        end = start + args.duration
        records: list = []
        threads = start_runaways(target, args.flood, start, end, records)
        health = []
        conn = target.connect()
        time.sleep(max(0.0, start - time.monotonic()))
        while any(t.is_alive() for t in threads):
            begin = time.monotonic()
            try:
                status = call(conn, "GET", "/healthz", {})[0]
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = target.connect()
            health.append((status, time.monotonic() - begin))
            time.sleep(0.25)
        for t in threads:
            t.join()
        conn.close()
        seconds = time.monotonic() - start
        limit = args.timeout + SATURATION_QUEUE_TIMEOUT + 1.0
        result = summarise_runaways(records, limit)
        all_503 = [s for _, o, s in records if o.startswith("503")]
        full = [s for _, o, s in records if o == "503 line full"]
        health_times = [t for _, t in health]
        result.update({
            "flood": args.flood, "serve_args": SATURATION_ARGS,
            "got_503": len(all_503), "p99_503_ms": pct(all_503, 0.99),
            "line_full": len(full), "p99_line_full_ms": pct(full, 0.99),
            "healthz": {"count": len(health),
                        "failures": sum(1 for s, _ in health if s != 200),
                        "failed_with": sorted({str(s) for s, _ in health if s != 200}),
                        "p50_ms": pct(health_times, 0.5), "p99_ms": pct(health_times, 0.99),
                        "max_ms": max(health_times, default=0.0) * 1000},
            **sampler.finish(seconds)})
        return result
    finally:
        server.stop()


# -- report -----------------------------------------------------------------------------------

def print_load(title: str, r: dict) -> None:
    print(f"\n== {title}")
    print(f"{'kind':10} {'count':>7} {'fail':>5} {'p50 ms':>8} {'p99 ms':>8}  errors")
    for name, k in r["kinds"].items():
        errors = ", ".join(f"{e}: {n}" for e, n in k["errors"].items())
        print(f"{name:10} {k['count']:7d} {k['failures']:5d} {k['p50_ms']:8.1f} "
              f"{k['p99_ms']:8.1f}  {errors}")
    extra = ""
    if "server_cpu_pct" in r:
        extra = (f"; server CPU {r['server_cpu_pct']:.0f}%, peak RSS "
                 f"{r['server_peak_rss_mb']:.0f} MB")
    print(f"{title}: {r['requests']} requests, {r['rps']:.1f} req/s, {r['failures']} failed, "
          f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms; client CPU "
          f"{r['client_cpu_pct']:.0f}%{extra}")
    if "runaways" in r:
        print_runaways(r["runaways"])


def print_runaways(r: dict) -> None:
    print(f"{'runaway':10} {'count':>7} {'p50 ms':>8} {'max ms':>8}  outcomes")
    for name, k in r["kinds"].items():
        outcomes = ", ".join(f"{o}: {n}" for o, n in k["outcomes"].items())
        print(f"{name:10} {k['count']:7d} {k['p50_ms']:8.0f} {k['max_ms']:8.0f}  {outcomes}")
    print(f"runaways: {r['count']}, longest {r['max_s']:.2f} s, {r['over_limit']} over "
          f"{r['limit_s']:g} s")


def print_saturation(r: dict) -> None:
    print(f"\n== saturation ({' '.join(r['serve_args'])}; {r['flood']} concurrent runaways)")
    print_runaways(r)
    h = r["healthz"]
    extra = ""
    if "server_cpu_pct" in r:
        extra = (f"; server CPU {r['server_cpu_pct']:.0f}%, peak RSS "
                 f"{r['server_peak_rss_mb']:.0f} MB")
    print(f"saturation: {r['got_503']}/{r['count']} got 503 (p99 {r['p99_503_ms']:.0f} ms), "
          f"{r['line_full']} at once as the line was full (p99 {r['p99_line_full_ms']:.0f} ms); "
          f"/healthz {h['count'] - h['failures']}/{h['count']} answered, p50 "
          f"{h['p50_ms']:.1f} ms, p99 {h['p99_ms']:.1f} ms, max {h['max_ms']:.1f} ms{extra}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent cheap clients")
    parser.add_argument("--procs", type=int, default=1,
                        help="client processes the cheap clients are spread over")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--runaways", type=int, default=4, help="runaway clients in phase 2")
    parser.add_argument("--flood", type=int, default=16, help="runaway clients in phase 3")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="the server's query time limit (passed to serve as --timeout)")
    parser.add_argument("--url", help="test this running server; phase 3 is skipped")
    parser.add_argument("--serve-arg", action="append", default=[],
                        help="an extra `kgpub serve` argument (repeatable), e.g. "
                             "--serve-arg=--workers --serve-arg=2")
    parser.add_argument("--client-timeout", type=float, default=60.0,
                        help="seconds a client waits for an answer before counting a hang")
    parser.add_argument("--start-wait", type=float, default=300.0,
                        help="seconds to wait for the server (it may build the dataset first)")
    parser.add_argument("--phases", default="clean,runaways,saturation",
                        help="which phases to run, comma-separated")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()
    phases = set(args.phases.split(","))
    if phases - {"clean", "runaways", "saturation"}:
        parser.error(f"unknown phase in {args.phases!r}")
    args.procs = max(1, min(args.procs, args.clients))

    server = None
    results: dict = {"options": {k: (str(v) if isinstance(v, Path) else v)
                                 for k, v in vars(args).items()}}
    try:
        if args.url:
            parts = urllib.parse.urlsplit(args.url)
            target = Target(parts.hostname or "127.0.0.1", parts.port or 80, args.client_timeout)
        else:
            server = Server([*args.serve_arg, "--timeout", str(args.timeout)])
            target = server.start(args.start_wait)
            target.timeout = args.client_timeout
        mix = prepare_mix(target)
        print(f"mix: {len(mix.queries)} queries, {len(mix.paths)} resources "
              f"({', '.join(mix.paths[:3])}, ...), dump, 304, /healthz; {args.clients} clients "
              f"in {args.procs} process(es), {args.duration:g} s per phase", flush=True)
        if "clean" in phases:
            results["clean"] = phase_load(target, mix, args, server, 0)
            print_load("clean", results["clean"])
        if "runaways" in phases:
            results["runaways"] = phase_load(target, mix, args, server, args.runaways)
            print_load("with runaways", results["runaways"])
    finally:
        if server is not None:
            server.stop()
    if not args.url and "saturation" in phases:
        results["saturation"] = phase_saturation(args)
        print_saturation(results["saturation"])

    problems = []
    clean, loaded = results.get("clean", {}), results.get("runaways", {})
    if clean.get("failures"):
        problems.append(f"clean: {clean['failures']} failed requests")
    if loaded.get("failures"):
        problems.append(f"with runaways: {loaded['failures']} failed cheap requests")
    if loaded.get("runaways", {}).get("over_limit"):
        problems.append(f"with runaways: {loaded['runaways']['over_limit']} "
                        f"runaways took longer than {args.timeout + 1:g} s")
    sat = results.get("saturation")
    if sat and sat["over_limit"]:
        problems.append(f"saturation: {sat['over_limit']} runaways took longer than "
                        f"{sat['limit_s']:g} s")
    if sat and sat["healthz"]["failures"]:
        problems.append(f"saturation: /healthz failed {sat['healthz']['failures']} times "
                        f"({', '.join(sat['healthz']['failed_with'])})")
    results["problems"] = problems
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    print("\n" + ("FAILED: " + "; ".join(problems) if problems else "passed"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
