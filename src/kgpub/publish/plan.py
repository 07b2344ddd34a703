"""What a publish has to do: the dataset's graphs with a content hash each, against the log.

The publish log is a small graph kept in the store itself (so a second machine publishing the
same dataset reads what the first one did). For every graph it names the content hash and the
triple count last sent and whether that graph is `current` or `pending` (being replaced or
removed: a publish that stopped half-way left it so, and the next one sends it again).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..errors import UnreadableInput
from ..rdfio import parse_file

NS = "https://w3id.org/kgpub/publish#"
LOG_GRAPH = "urn:kgpub:publish-log"
UNION_GRAPH = "urn:kgpub:union"
CURRENT, PENDING = "current", "pending"


@dataclass
class GraphContent:
    name: str
    triples: list[ox.Triple]
    sha256: str

    @property
    def count(self) -> int:
        return len(self.triples)


@dataclass
class LogEntry:
    sha256: str | None
    count: int | None
    state: str


@dataclass
class Plan:
    send: list[GraphContent] = field(default_factory=list)
    unchanged: list[GraphContent] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return not self.send and not self.remove


def graph_hash(triples: list[ox.Triple]) -> str:
    """SHA-256 of the graph's sorted N-Triples lines: the same triples give the same hash."""
    digest = hashlib.sha256()
    for line in sorted(str(t) for t in triples):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def read_dataset(path: Path, union_graph: str | None = UNION_GRAPH) -> list[GraphContent]:
    """The named graphs of an RDF file, each a set of triples, plus (unless None) the union of
    all of them as `union_graph`: what a store's default graph should be (a set)."""
    by_graph: dict[str, set[ox.Triple]] = {}
    default = 0
    for quad in parse_file(path):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            default += 1
            continue
        by_graph.setdefault(quad.graph_name.value, set()).add(quad.triple)
    if default:
        raise UnreadableInput(
            f"{path}: {default:,} triples are in the default graph; kgpub publish sends named "
            "graphs only: put them into a named graph (TriG or N-Quads)")
    if not by_graph:
        raise UnreadableInput(f"{path}: holds no named graph to publish")
    reserved = {LOG_GRAPH, union_graph} & set(by_graph)
    if reserved:
        raise UnreadableInput(f"{path}: uses the graph name <{reserved.pop()}>, which kgpub "
                              "publish keeps for itself (its publish log, or the union of the "
                              "graphs): rename that graph")
    graphs = [GraphContent(name, sorted(ts, key=str), graph_hash(list(ts)))
              for name, ts in sorted(by_graph.items())]
    if union_graph is not None:
        union = set().union(*by_graph.values())
        graphs.append(GraphContent(union_graph, sorted(union, key=str), graph_hash(list(union))))
    return graphs


def make_plan(graphs: list[GraphContent], log: dict[str, LogEntry]) -> Plan:
    plan = Plan()
    wanted = {g.name for g in graphs}
    for graph in graphs:
        entry = log.get(graph.name)
        if entry and entry.state == CURRENT and entry.sha256 == graph.sha256:
            plan.unchanged.append(graph)
        else:
            plan.send.append(graph)
    plan.remove = sorted(name for name in log if name not in wanted)
    return plan


# -- the log graph ------------------------------------------------------------------------------

def _iri(local: str) -> ox.NamedNode:
    return ox.NamedNode(NS + local)


def log_triples(log_graph: str, entries: dict[str, LogEntry],
                union_graph: str | None) -> list[ox.Triple]:
    me = ox.NamedNode(log_graph)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    triples = [
        ox.Triple(me, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  _iri("PublishLog")),
        ox.Triple(me, _iri("updated"), ox.Literal(
            datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            datatype=ox.NamedNode(xsd + "dateTime"))),
        ox.Triple(me, _iri("software"), ox.Literal(f"kgpub {__version__}")),
    ]
    if union_graph is not None:
        triples.append(ox.Triple(me, _iri("unionGraph"), ox.NamedNode(union_graph)))
    for name, entry in sorted(entries.items()):
        graph = ox.NamedNode(name)
        triples.append(ox.Triple(me, _iri("graph"), graph))
        triples.append(ox.Triple(graph, _iri("state"), ox.Literal(entry.state)))
        if entry.sha256:
            triples.append(ox.Triple(graph, _iri("sha256"), ox.Literal(entry.sha256)))
        if entry.count is not None:
            triples.append(ox.Triple(graph, _iri("triples"), ox.Literal(
                str(entry.count), datatype=ox.NamedNode(xsd + "integer"))))
    return triples


@dataclass
class PublishLog:
    entries: dict[str, LogEntry]
    union_graph: str | None = None
    updated: str | None = None


def parse_log(log_graph: str, triples: list[ox.Triple] | None) -> PublishLog:
    if not triples:
        return PublishLog({})
    me = ox.NamedNode(log_graph)
    values: dict[tuple[str, str], str] = {}
    names, union, updated = [], None, None
    for t in triples:
        if t.subject == me and t.predicate == _iri("graph"):
            names.append(t.object.value)
        elif t.subject == me and t.predicate == _iri("unionGraph"):
            union = t.object.value
        elif t.subject == me and t.predicate == _iri("updated"):
            updated = t.object.value
        elif t.predicate.value.startswith(NS):
            values[(t.subject.value, t.predicate.value[len(NS):])] = t.object.value
    entries = {}
    for name in names:
        count = values.get((name, "triples"))
        entries[name] = LogEntry(values.get((name, "sha256")),
                                 int(count) if count is not None else None,
                                 values.get((name, "state"), PENDING))
    return PublishLog(entries, union, updated)
