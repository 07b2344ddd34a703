"""The dump files of a build, streamed from the cache entries and the shared graphs.

Whole-dataset files are written graph by graph: first the shared graphs (entities, links,
context, vocab, claims), then every article's graphs, articles in the order of their ids, each
as one contiguous blob of its cache entry (checked against its SHA-256 while it is copied).
Per-graph Turtle files of articles are copied from their entries, and skipped when the file in
place is already that blob.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from ..dump import (
    GraphChunk,
    Output,
    Stats,
    Written,
    trig_header,
    void_description,
)
from ..gzjoin import GzipJoiner, compress_piece
from ..project import Settings
from .cache import Entry

WHOLE = ("kgpub.nq", "kgpub.nq.gz", "kgpub.trig", "kgpub.trig.gz", "kgpub.jsonld")


@dataclass
class SharedChunks:
    """The shared graphs, serialised in memory (their own Turtle files and their chunks)."""

    chunks: list[GraphChunk]

    def turtle_outputs(self) -> list[Output]:
        return [Output(c.graph.rsplit("/", 1)[-1] + ".ttl", data=c.turtle, graph=c.graph)
                for c in self.chunks if c.turtle is not None]


def outputs(shared: SharedChunks, entries: list[Entry], stats: Stats,
            folder: Callable[[str], str], settings: Settings | None = None) -> list[Output]:
    """Every dump file of the build (VoID last: it lists the others); `folder` gives the
    folder of an article's own files ("" when they sit beside the others)."""
    result = shared.turtle_outputs()
    for entry in entries:
        where = folder(entry.article_id)
        for graph, _, blob in entry.body["graphs"]:
            if blob:
                result.append(Output(f"{where}/{blob}" if where else blob,
                                     write=_copy(entry, blob),
                                     sha256=entry.blob_sha256(blob), graph=graph))
    result += [
        Output("kgpub.nq", write=_whole(shared, entries, "all.nq", lambda c: c.nquads)),
        Output("kgpub.nq.gz", write=_gzip(shared, entries, "all.nq.deflate",
                                          lambda c: c.nquads)),
        Output("kgpub.trig", write=_whole(shared, entries, "all.trig", lambda c: c.trig,
                                          head=trig_header())),
        Output("kgpub.trig.gz", write=_gzip(shared, entries, "all.trig.deflate",
                                            lambda c: c.trig, head=trig_header())),
        Output("kgpub.jsonld", write=_jsonld(shared, entries)),
        Output("void.ttl", write=_void(stats, settings), depends=True),
    ]
    return result


def _copy(entry: Entry, blob: str) -> Callable[[BinaryIO, dict], None]:
    def write(fh: BinaryIO, written: dict) -> None:
        entry.copy_blob(blob, fh)
    return write


def _whole(shared: SharedChunks, entries: list[Entry], blob: str,
           part: Callable[[GraphChunk], bytes], head: bytes = b"") -> Callable:
    def write(fh: BinaryIO, written: dict) -> None:
        fh.write(head)
        for c in shared.chunks:
            fh.write(part(c))
        for entry in entries:
            entry.copy_blob(blob, fh)
    return write


def _gzip(shared: SharedChunks, entries: list[Entry], blob: str,
          part: Callable[[GraphChunk], bytes], head: bytes = b"") -> Callable:
    """One gzip member: the shared graphs compressed here, the articles' cached pieces joined."""
    def write(fh: BinaryIO, written: dict) -> None:
        joiner = GzipJoiner(fh)
        joiner.add(compress_piece(head + b"".join(part(c) for c in shared.chunks)))
        for entry in entries:
            entry.copy_blob(blob, fh)
            joiner.add_written(*entry.body["deflated"][blob])
        joiner.close()
    return write


def _jsonld(shared: SharedChunks, entries: list[Entry]) -> Callable:
    """One JSON-LD array of graph objects: the shared graphs', then each article's."""
    def write(fh: BinaryIO, written: dict) -> None:
        fh.write(b"[")
        first = True
        for c in shared.chunks:
            if c.jsonld:
                fh.write(c.jsonld if first else b"," + c.jsonld)
                first = False
        for entry in entries:
            if entry.body["blobs"]["all.jsonld"][0] == 0:
                continue
            if not first:
                fh.write(b",")
            entry.copy_blob("all.jsonld", fh)
            first = False
        fh.write(b"]\n")
    return write


def _void(stats: Stats, settings: Settings | None) -> Callable:
    def write(fh: BinaryIO, written: dict[str, Written]) -> None:
        fh.write(void_description(stats, list(written.values()), settings))
    return write
