"""The dump files of a build, streamed from the cached pieces (builder/pieces.py).

Whole-dataset files are the pieces one after the other: first the parts of the shared graphs
(entities, links, context, vocab, claims, as the registry, the context file, the vocabularies
and the claims make them), then every article (its own graphs and what it adds to the entities
and context graphs), articles in the order of their ids. Each piece's blob is copied whole and
checked against its SHA-256 on the way. A graph may so come in several blocks (TriG, JSON-LD)
or runs (N-Quads): all three formats allow it. The Turtle file of a shared graph is the
prefixes it uses, then the Turtle body of every piece that has part of it; an article's own
Turtle files are copied from its entry, and skipped when the file in place is already that blob.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from ..dump import Output, Stats, Written, trig_header, void_description
from ..gzjoin import GzipJoiner, compress_piece
from ..namespaces import KGG
from ..project import WHOLE_DATASET, Settings
from .cache import Entry
from .pieces import SHARED_GRAPHS, turtle_header

WHOLE = tuple(f"kgpub.{f}" for f in WHOLE_DATASET)


def outputs(parts: list[Entry], entries: list[Entry], stats: Stats,
            folder: Callable[[str], str], settings: Settings | None = None) -> list[Output]:
    """Every dump file of the build (VoID last: it lists the others); `parts` are the shared
    graphs' pieces; `folder` gives the folder of an article's own files ("" when they sit
    beside the others)."""
    pieces = [*parts, *entries]
    result = [Output(f"{name}.ttl", write=_shared_turtle(name, pieces), graph=str(KGG[name]))
              for name in SHARED_GRAPHS]
    for entry in entries:
        where = folder(entry.article_id)
        for graph, _, blob in entry.body["graphs"]:
            if blob:
                result.append(Output(f"{where}/{blob}" if where else blob,
                                     write=_copy(entry, blob),
                                     sha256=entry.blob_sha256(blob), graph=graph))
    whole = {
        "nq": lambda: _whole(pieces, "all.nq"),
        "nq.gz": lambda: _gzip(pieces, "all.nq.deflate"),
        "trig": lambda: _whole(pieces, "all.trig", head=trig_header()),
        "trig.gz": lambda: _gzip(pieces, "all.trig.deflate", head=trig_header()),
        "jsonld": lambda: _jsonld(pieces),
    }
    chosen = settings.whole if settings is not None else WHOLE_DATASET
    result += [Output(f"kgpub.{f}", write=whole[f]()) for f in WHOLE_DATASET if f in chosen]
    result.append(Output("void.ttl", write=_void(stats, settings), depends=True))
    return result


def _copy(entry: Entry, blob: str) -> Callable[[BinaryIO, dict], None]:
    def write(fh: BinaryIO, written: dict) -> None:
        entry.copy_blob(blob, fh)
    return write


def _shared_turtle(name: str, pieces: list[Entry]) -> Callable[[BinaryIO, dict], None]:
    body = f"{name}.ttl.body"

    def write(fh: BinaryIO, written: dict) -> None:
        having = [p for p in pieces if body in p.body["blobs"]]
        prefixes = {x for p in having for x in p.body["prefixes"].get(name, [])}
        header = turtle_header(prefixes)
        if header and having:
            fh.write(header + b"\n")
        for piece in having:
            piece.copy_blob(body, fh)
    return write


def _whole(pieces: list[Entry], blob: str, head: bytes = b"") -> Callable:
    def write(fh: BinaryIO, written: dict) -> None:
        fh.write(head)
        for piece in pieces:
            piece.copy_blob(blob, fh)
    return write


def _gzip(pieces: list[Entry], blob: str, head: bytes = b"") -> Callable:
    """One gzip member: the header compressed here, every piece's deflate blob joined."""
    def write(fh: BinaryIO, written: dict) -> None:
        joiner = GzipJoiner(fh)
        joiner.add(compress_piece(head))
        for piece in pieces:
            piece.copy_blob(blob, fh)
            joiner.add_written(*piece.body["deflated"][blob])
        joiner.close()
    return write


def _jsonld(pieces: list[Entry]) -> Callable:
    """One JSON-LD array of graph objects, piece after piece."""
    def write(fh: BinaryIO, written: dict) -> None:
        fh.write(b"[")
        first = True
        for piece in pieces:
            if piece.body["blobs"]["all.jsonld"][0] == 0:
                continue
            if not first:
                fh.write(b",")
            piece.copy_blob("all.jsonld", fh)
            first = False
        fh.write(b"]\n")
    return write


def _void(stats: Stats, settings: Settings | None) -> Callable:
    def write(fh: BinaryIO, written: dict[str, Written]) -> None:
        fh.write(void_description(stats, list(written.values()), settings))
    return write
