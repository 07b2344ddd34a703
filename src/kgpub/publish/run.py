"""`kgpub publish`: send the built dataset to a triple store, graph by graph, and check it.

Three ways to replace a graph, because stores differ in what is atomic:
  * `put` (default): Graph Store Protocol PUT (then POSTs for the further chunks of a large
    graph). Works with any GSP store, but Oxigraph and Virtuoso apply a PUT as clear-then-load,
    so a reader may see a graph empty or half-loaded for a moment.
  * `atomic`: one SPARQL update per graph, `DROP SILENT GRAPH <g> ; INSERT DATA { … }`, which
    Oxigraph applies in one transaction (for a graph larger than one chunk, only the first
    chunk is in that transaction).
  * `bulk`: every changed graph is loaded into a fresh staging graph first and its count
    checked; then one SPARQL update moves all of them into place, drops the removed graphs and
    writes the publish log: readers see the old dataset or the new one.

Crash safety: before anything is changed, the publish log marks every graph about to change as
`pending`; each graph becomes `current` only once it has been sent and counted. A publish that
stops (store down, refused, killed) leaves the log saying exactly which graphs are current, and
the next publish sends the pending ones again.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .client import PublishError, StoreClient
from .plan import (
    CURRENT,
    LOG_GRAPH,
    PENDING,
    UNION_GRAPH,
    GraphContent,
    LogEntry,
    Plan,
    log_triples,
    make_plan,
    parse_log,
    read_dataset,
)

METHODS = ("put", "atomic", "bulk")
STAGING_PREFIX = "urn:kgpub:staging:"


@dataclass
class PublishOptions:
    data: Path
    method: str = "put"
    dry_run: bool = False
    chunk_triples: int = 50_000
    log_graph: str = LOG_GRAPH
    union_graph: str | None = UNION_GRAPH  # None: no union graph (the store's default is a bag)


@dataclass
class PublishReport:
    plan: Plan
    method: str
    dry_run: bool = False
    sent: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    triples_sent: int = 0
    seconds: float = 0.0
    requests: int = 0

    def summary(self) -> str:
        if self.dry_run:
            graphs = self.plan.send
            return (f"would send {len(graphs)} graphs ({sum(g.count for g in graphs):,} triples), "
                    f"leave {len(self.plan.unchanged)} unchanged, remove "
                    f"{len(self.plan.remove)} (nothing was changed: --dry-run)")
        rate = f"; {len(self.sent) / self.seconds:,.1f} graphs/s, " \
               f"{self.triples_sent / self.seconds:,.0f} triples/s" if self.sent and self.seconds \
            else ""
        return (f"{len(self.sent)} graphs sent, {len(self.plan.unchanged)} unchanged, "
                f"{len(self.removed)} removed ({self.triples_sent:,} triples in "
                f"{self.seconds:.2f} s{rate}); every graph's triple count checked")


def _chunks(triples: list[ox.Triple], size: int) -> list[list[ox.Triple]]:
    size = max(1, size)
    return [triples[i:i + size] for i in range(0, len(triples), size)] or [[]]


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


class Publisher:
    def __init__(self, client: StoreClient, options: PublishOptions,
                 progress: Callable[[int], None] = lambda n: None) -> None:
        self.client = client
        self.options = options
        self.progress = progress
        self.entries: dict[str, LogEntry] = {}

    # -- the log -----------------------------------------------------------------------------

    def _log_body(self) -> bytes:
        return _ntriples(log_triples(self.options.log_graph, self.entries,
                                     self.options.union_graph))

    def write_log(self) -> None:
        self.client.put_graph(self.options.log_graph, self._log_body())

    def _save_log_after_failure(self) -> None:
        # If the store is gone, the pending marks written before still hold.
        with contextlib.suppress(PublishError):
            self.write_log()

    # -- sending ---------------------------------------------------------------------------

    def _send_put(self, graph: GraphContent, name: str | None = None) -> None:
        target = name or graph.name
        for i, chunk in enumerate(_chunks(graph.triples, self.options.chunk_triples)):
            body = _ntriples(chunk)
            if i == 0:
                self.client.put_graph(target, body)
            else:
                self.client.post_graph(target, body)
            self.progress(len(chunk))

    def _send_atomic(self, graph: GraphContent) -> None:
        for i, chunk in enumerate(_chunks(graph.triples, self.options.chunk_triples)):
            data = f"INSERT DATA {{ GRAPH <{graph.name}> {{\n{_ntriples(chunk).decode()}}} }}"
            drop = f"DROP SILENT GRAPH <{graph.name}> ;\n" if i == 0 else ""
            self.client.update(drop + data, f"replacing graph <{graph.name}>")
            self.progress(len(chunk))

    def _remove(self, name: str) -> None:
        if self.options.method == "put":
            self.client.delete_graph(name)
        else:
            self.client.update(f"DROP SILENT GRAPH <{name}>", f"removing graph <{name}>")

    # -- checking --------------------------------------------------------------------------

    def counts(self, names: list[str]) -> dict[str, int]:
        """Triples per graph in the store, over SPARQL (0 for a graph it does not hold)."""
        found: dict[str, int] = {}
        for i in range(0, len(names), 500):
            part = names[i:i + 500]
            values = " ".join(f"<{n}>" for n in part)
            rows = self.client.select(
                f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "counting triples per graph")
            for row in rows:
                try:
                    found[row["g"].value] = int(row["n"].value)
                except (KeyError, TypeError, ValueError):
                    raise PublishError("counting triples per graph: the store's answer has no "
                                       "graph and count in a row") from None
        return {n: found.get(n, 0) for n in names}

    def verify(self, graphs: list[GraphContent], removed: list[str]) -> None:
        expected = {g.name: g.count for g in graphs} | {r: 0 for r in removed}
        got = self.counts(sorted(expected))
        wrong = [n for n in sorted(expected) if got[n] != expected[n]]
        if not wrong:
            return
        for name in wrong:
            if name in self.entries:
                self.entries[name] = LogEntry(None, None, PENDING)
        self._save_log_after_failure()
        first = wrong[0]
        more = f" (and {len(wrong) - 1} more graphs)" if len(wrong) > 1 else ""
        raise PublishError(
            f"the store holds {got[first]:,} triples in <{first}> where the dataset has "
            f"{expected[first]:,}{more}; the publish log marks them pending: publish again to "
            "resend them (if it persists, the store changes the data: see README, Publish)")

    # -- the three methods -----------------------------------------------------------------

    def run(self, plan: Plan, report: PublishReport) -> None:
        self.entries = {g.name: LogEntry(g.sha256, g.count, CURRENT) for g in plan.unchanged}
        for g in plan.send:
            self.entries[g.name] = LogEntry(None, None, PENDING)
        for name in plan.remove:
            self.entries[name] = LogEntry(None, None, PENDING)
        if plan.nothing_to_do:
            self.verify(plan.unchanged, [])
            return
        self.write_log()  # from here on, the log says which graphs are not current
        if self.options.method == "bulk":
            self._run_bulk(plan, report)
            return
        try:
            for graph in plan.send:
                (self._send_atomic if self.options.method == "atomic" else self._send_put)(graph)
                self.entries[graph.name] = LogEntry(graph.sha256, graph.count, CURRENT)
                report.sent.append(graph.name)
                report.triples_sent += graph.count
            for name in plan.remove:
                self._remove(name)
                del self.entries[name]
                report.removed.append(name)
        except PublishError as exc:
            self._save_log_after_failure()
            pending = sum(1 for e in self.entries.values() if e.state == PENDING)
            raise PublishError(f"{exc}; {len(report.sent)} of {len(plan.send)} graphs sent, the "
                               f"publish log marks {pending} pending: publish again to finish"
                               ) from None
        self.verify(plan.send + plan.unchanged, plan.remove)
        self.write_log()

    def _leftover_staging(self) -> list[str]:
        rows = self.client.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}', "looking for staging graphs")
        return [r["g"].value for r in rows]

    def _run_bulk(self, plan: Plan, report: PublishReport) -> None:
        client = self.client
        for name in self._leftover_staging():  # from a bulk publish that stopped
            client.update(f"DROP SILENT GRAPH <{name}>", "removing an old staging graph")
        token = secrets.token_hex(6)
        staging = {g.name: f"{STAGING_PREFIX}{token}:{i}" for i, g in enumerate(plan.send)}
        try:
            for graph in plan.send:
                self._send_put(graph, staging[graph.name])
            got = self.counts(sorted(staging.values()))
            for graph in plan.send:
                if got[staging[graph.name]] != graph.count:
                    raise PublishError(
                        f"staging graph for <{graph.name}> holds {got[staging[graph.name]]:,} "
                        f"triples where the dataset has {graph.count:,}; nothing was switched")
            final = dict(self.entries)
            for graph in plan.send:
                final[graph.name] = LogEntry(graph.sha256, graph.count, CURRENT)
            for name in plan.remove:
                del final[name]
            log = _ntriples(log_triples(self.options.log_graph, final,
                                        self.options.union_graph)).decode()
            switch = [f"MOVE SILENT GRAPH <{staging[g.name]}> TO GRAPH <{g.name}>"
                      for g in plan.send]
            switch += [f"DROP SILENT GRAPH <{name}>" for name in plan.remove]
            switch += [f"DROP SILENT GRAPH <{self.options.log_graph}>",
                       f"INSERT DATA {{ GRAPH <{self.options.log_graph}> {{\n{log}}} }}"]
            client.update(" ;\n".join(switch), "switching to the new graphs")
        except PublishError as exc:
            for name in staging.values():
                try:
                    client.update(f"DROP SILENT GRAPH <{name}>", "removing a staging graph")
                except PublishError:
                    break
            raise PublishError(f"{exc}; the published graphs were not changed (the publish log "
                               "marks the graphs to send pending): publish again") from None
        self.entries = final
        report.sent = [g.name for g in plan.send]
        report.triples_sent = sum(g.count for g in plan.send)
        report.removed = list(plan.remove)
        self.verify(plan.send + plan.unchanged, plan.remove)


def prepare(client: StoreClient, options: PublishOptions) -> Plan:
    """Read the dataset and the store's publish log; decide what to send and remove."""
    if options.method not in METHODS:
        raise PublishError(f"unknown method {options.method!r}; use one of {', '.join(METHODS)}")
    if options.method in ("atomic", "bulk") and client.endpoints.update is None:
        raise PublishError(f"--{options.method} needs the store's SPARQL update endpoint: pass "
                           "--update URL (Oxigraph: /update, Virtuoso: /sparql-auth)")
    graphs = read_dataset(options.data, options.union_graph)
    log = parse_log(options.log_graph, client.get_graph(options.log_graph))
    return make_plan(graphs, log.entries)


def publish(client: StoreClient, options: PublishOptions,
            progress: Callable[[int], None] = lambda n: None,
            plan: Plan | None = None) -> PublishReport:
    started = time.perf_counter()
    plan = plan or prepare(client, options)
    report = PublishReport(plan, options.method, options.dry_run)
    if not options.dry_run:
        Publisher(client, options, progress).run(plan, report)
    report.seconds = time.perf_counter() - started
    report.requests = client.requests
    return report
