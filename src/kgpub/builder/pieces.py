"""A piece of the whole dataset, serialised every way the dumps need it, for the build cache.

An article's cache entry is one piece (its own graphs, and what it adds to the entities and
context graphs); the shared graphs are cut into pieces too (`PartWriter`), so that no build
holds a whole shared graph in memory. A piece's blobs concatenate with every other piece's into
the whole-dataset files: `all.nq`, `all.trig` (TriG blocks without @prefix lines),
`all.jsonld` (graph objects, comma-separated), `all.nq.deflate` and `all.trig.deflate` (deflate
pieces, see gzjoin), plus a Turtle file of each graph that has its own, and for the shared
graphs a Turtle body (`<name>.ttl.body`, no @prefix lines) with the prefixes it uses, which the
graph's file declares once.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..dump import ENVELOPES, PREFIX_MAP, chunk, graph_file_name, used_prefixes
from ..gzjoin import compress_piece, join_pieces
from ..namespaces import KGG
from ..rdfio import serialize
from .cache import BuildCache, Entry

SHARED_GRAPHS = ("entities", "links", "context", "vocab", "claims")
"""The graphs every source adds to or that the build makes: their own Turtle file is made of
the bodies of every piece (see `turtle_body`)."""
PART_SIZE = 20_000
"""Triples in one part of a shared graph."""


def shared_name(graph: str) -> str | None:
    """`entities` for kgg:entities, and so on; None for an article's graph."""
    name = graph.removeprefix(str(KGG))
    return name if name in SHARED_GRAPHS else None


@dataclass
class Serialised:
    """The blobs of a piece and what its entry records of them."""

    blobs: dict[str, bytes] = field(default_factory=dict)
    graphs: list[list] = field(default_factory=list)
    """[graph, quads, its own Turtle file or None] per graph."""
    deflated: dict[str, list[int]] = field(default_factory=dict)
    """Deflate blob -> [CRC-32, length] of the uncompressed content (for the gzip trailer)."""
    prefixes: dict[str, list[str]] = field(default_factory=dict)
    """Shared graph name -> the prefixes its Turtle body uses."""

    def body(self) -> dict:
        return {"graphs": self.graphs, "deflated": self.deflated, "prefixes": self.prefixes}


def serialise(graphs: Iterable[tuple[str, list[ox.Triple]]]) -> Serialised:
    """The piece of these graphs (each graph's triples are sorted by `chunk`)."""
    out = Serialised()
    nq, trig, jsonld, nq_gz, trig_gz = [], [], [], [], []
    for graph, triples in graphs:
        if not triples:
            continue
        name = shared_name(graph)
        c = chunk(graph, triples, turtle_file=name is None)
        nq.append(c.nquads)
        trig.append(c.trig)
        jsonld.append(c.jsonld)
        nq_gz.append(compress_piece(c.nquads))
        trig_gz.append(compress_piece(c.trig))
        own = None
        if name is not None:
            prefixes = used_prefixes(triples)
            out.blobs[f"{name}.ttl.body"] = turtle_body(triples, prefixes)
            out.prefixes[name] = sorted(prefixes)
        elif c.turtle is not None and not graph.endswith(ENVELOPES):
            own = graph_file_name(graph)
            out.blobs[own] = c.turtle
        out.graphs.append([graph, c.quads, own])
    deflated = {"all.nq.deflate": join_pieces(nq_gz), "all.trig.deflate": join_pieces(trig_gz)}
    out.blobs.update({"all.nq": b"".join(nq), "all.trig": b"".join(trig),
                      "all.jsonld": b",".join(jsonld),
                      **{name: piece.data for name, piece in deflated.items()}})
    out.deflated = {name: [piece.crc, piece.size] for name, piece in deflated.items()}
    return out


def turtle_body(triples: list[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """Turtle of `triples` without its @prefix lines (the graph's file declares them once)."""
    text = serialize(sorted(triples, key=_key), ox.RdfFormat.TURTLE, prefixes)
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and (lines[i].startswith(b"@prefix") or not lines[i].strip()):
        i += 1
    return b"".join(lines[i:])


def turtle_header(prefixes: Iterable[str]) -> bytes:
    return b"".join(f"@prefix {p}: <{PREFIX_MAP[p]}> .\n".encode() for p in sorted(prefixes))


def _key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


class PartWriter:
    """A shared graph, triple by triple, cut into cached pieces of PART_SIZE triples.

    Triples are taken in the order given and each once (`seen` holds a hash of every triple,
    not the triple). Only the current part is in memory."""

    def __init__(self, cache: BuildCache, graph: str, on_part=None) -> None:
        self.cache, self.graph = cache, graph
        self.name = shared_name(graph) or graph_file_name(graph)
        self.pending: list[ox.Triple] = []
        self.parts: list[Entry] = []
        self.seen: set[int] = set()
        self.count = 0
        self.on_part = on_part

    def add(self, triple: ox.Triple) -> None:
        key = hash((triple.subject, triple.predicate, triple.object))
        if key in self.seen:
            return
        self.seen.add(key)
        self.pending.append(triple)
        self.count += 1
        if len(self.pending) >= PART_SIZE:
            self._flush()

    def extend(self, triples: Iterable[ox.Triple]) -> None:
        for t in triples:
            self.add(t)

    def close(self) -> list[Entry]:
        self._flush()
        self.seen = set()
        return self.parts

    def _flush(self) -> None:
        if not self.pending:
            return
        triples, self.pending = self.pending, []
        if self.on_part is not None:
            self.on_part(triples)
        piece = serialise([(self.graph, triples)])
        part = f"{self.name}-{len(self.parts):05d}"
        self.parts.append(self.cache.store(part, {"article_id": part, **piece.body()},
                                           piece.blobs, area=self.cache.shared))


def triples_digest(triples: list[ox.Triple]) -> str:
    """Which triples these are, in this order (their N-Triples lines, hashed)."""
    return hashlib.sha256("\n".join(map(str, triples)).encode("utf-8")).hexdigest()


class SharedParts:
    """The parts a build cut the shared graphs (entities, links, context, vocab) into, kept
    while their triples are the same: made again at every build, they cost an edit of one
    article at 10,000 half a second. A graph is known only by the digest of its sorted
    triples, recorded once the index has counted its parts."""

    RECORD = "shared.json"

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache
        self.path = cache.shared / self.RECORD
        self.now: dict[str, dict] = {}
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        self.known: dict[str, dict] = known if isinstance(known, dict) else {}
        self.path.unlink(missing_ok=True)  # until this build's is saved

    def parts(self, name: str, digest: str, counted: int | None) -> list[Entry] | None:
        """The parts of the graph `name` when the last build cut the same triples (and the
        index still counts them: `counted`, the quads it has for the graph)."""
        record = self.known.get(name)
        if not isinstance(record, dict) or record.get("digest") != digest \
                or not isinstance(record.get("parts"), list) \
                or counted is None or record.get("quads") != counted:
            return None
        found = [self.cache.load_part(self.cache.shared, str(p)) for p in record["parts"]]
        if any(e is None for e in found):
            return None
        self.now[name] = record
        return [e for e in found if e is not None]

    def made(self, name: str, digest: str, parts: list[Entry], quads: int) -> None:
        self.now[name] = {"digest": digest, "quads": quads,
                          "parts": [os.path.basename(e.where) for e in parts]}

    def save(self) -> None:
        self.cache.keep_only({p for r in self.now.values() for p in r["parts"]},
                             self.cache.shared)
        self.cache.shared.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.tmp")
        try:
            tmp.write_text(json.dumps(self.now, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)
