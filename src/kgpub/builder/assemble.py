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
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..dump import (
    Output,
    Stats,
    VoidGraphs,
    Written,
    trig_header,
    void_description,
    void_graphs,
)
from ..gzjoin import HEADER, compress_piece, crc32_combine, trailer
from ..namespaces import KGG
from ..project import WHOLE_DATASET, Settings
from .cache import Entry
from .pieces import SHARED_GRAPHS, turtle_header
from .splice import Layouts, Segment, write_spliced

WHOLE = tuple(f"kgpub.{f}" for f in WHOLE_DATASET)


@dataclass
class Splicing:
    """Where the files of the last build are, and how to tell they are still what it wrote
    (see builder/splice.py); without it, every whole file is made from all its pieces."""

    layouts: Layouts
    out_dir: Path
    holds: Callable[[Path, str, str, int | None], bool]


def outputs(parts: list[Entry], entries: list[Entry], stats: Stats,
            folder: Callable[[str], str], settings: Settings | None = None,
            splicing: Splicing | None = None) -> list[Output]:
    """Every dump file of the build (VoID last: it lists the others); `parts` are the shared
    graphs' pieces; `folder` gives the folder of an article's own files ("" when they sit
    beside the others)."""
    pieces = [*parts, *entries]
    having: dict[str, list[Entry]] = {name: [] for name in SHARED_GRAPHS}
    bodies = [(f"{name}.ttl.body", having[name]) for name in SHARED_GRAPHS]
    for piece in pieces:  # one pass over 10,000 pieces, not one per shared graph
        blobs = piece.body["blobs"]
        for body, found in bodies:
            if body in blobs:
                found.append(piece)
    result = [_shared_turtle(name, having[name], splicing) for name in SHARED_GRAPHS]
    for entry in entries:
        where = folder(entry.article_id)
        for graph, _, blob in entry.body["graphs"]:
            if blob:
                result.append(Output(f"{where}/{blob}" if where else blob,
                                     write=_copy(entry, blob),
                                     sha256=entry.blob_sha256(blob), graph=graph))
    whole = {
        "nq": lambda: _whole("kgpub.nq", pieces, "all.nq", splicing),
        "nq.gz": lambda: _gzip("kgpub.nq.gz", pieces, "all.nq.deflate", splicing),
        "trig": lambda: _whole("kgpub.trig", pieces, "all.trig", splicing, head=trig_header()),
        "trig.gz": lambda: _gzip("kgpub.trig.gz", pieces, "all.trig.deflate", splicing,
                                 head=trig_header()),
        "jsonld": lambda: _jsonld(pieces, splicing),
    }
    chosen = settings.whole if settings is not None else WHOLE_DATASET
    result += [whole[f]() for f in WHOLE_DATASET if f in chosen]
    dumps_of: dict[str, list[str]] = {}
    for o in result:
        if o.graph is not None:
            dumps_of.setdefault(o.graph, []).append(o.name)
    result.append(_void(stats, settings, dumps_of))
    return result


def _copy(entry: Entry, blob: str) -> Callable[[BinaryIO, dict], None]:
    def write(fh: BinaryIO, written: dict) -> None:
        entry.copy_blob(blob, fh)
    return write


def _spliced(name: str, segments: list[Segment], splicing: Splicing | None,
             graph: str | None = None, tail: Callable[[], bytes] | None = None) -> Output:
    """A file made of `segments` (then `tail`, which follows from them): unchanged when the
    file in place was made of the same segments, else spliced from it where it can be."""
    known = splicing.layouts.same(name, segments) if splicing is not None else None

    def write(fh: BinaryIO, written: dict) -> None:
        previous = None
        if splicing is not None:
            previous = splicing.layouts.previous(name, splicing.out_dir / name, splicing.holds)
            splicing.layouts.record(name, segments)
        write_spliced(fh, segments, previous)
        if tail is not None:
            fh.write(tail())
    return Output(name, write=write, sha256=known, graph=graph)


def _shared_turtle(name: str, having: list[Entry], splicing: Splicing | None) -> Output:
    """The prefixes every piece's part of the graph uses, then those parts (`having`: the
    pieces with a part of it)."""
    body = f"{name}.ttl.body"
    prefixes: set[str] = set()
    for p in having:
        prefixes.update(p.body["prefixes"].get(name, ()))
    header = turtle_header(prefixes)
    segments = [Segment.literal(header + b"\n")] if header and having else []
    segments += [Segment.of_blob(p, body) for p in having]
    return _spliced(f"{name}.ttl", segments, splicing, graph=str(KGG[name]))


def _whole(name: str, pieces: list[Entry], blob: str, splicing: Splicing | None,
           head: bytes = b"") -> Output:
    segments = [Segment.literal(head)] if head else []
    return _spliced(name, segments + [Segment.of_blob(p, blob) for p in pieces], splicing)


def _gzip(name: str, pieces: list[Entry], blob: str, splicing: Splicing | None,
          head: bytes = b"") -> Output:
    """One gzip member: the header compressed here, every piece's deflate blob, the trailer
    (its CRC-32 combined from the pieces')."""
    first = compress_piece(head)
    segments = [Segment.literal(HEADER + first.data),
                *(Segment.of_blob(p, blob) for p in pieces)]

    def tail() -> bytes:
        crc, size = first.crc, first.size
        for piece in pieces:
            piece_crc, piece_size = piece.body["deflated"][blob]
            crc, size = crc32_combine(crc, piece_crc, piece_size), size + piece_size
        return trailer(crc, size)
    return _spliced(name, segments, splicing, tail=tail)


def _jsonld(pieces: list[Entry], splicing: Splicing | None) -> Output:
    """One JSON-LD array of graph objects, piece after piece."""
    segments = [Segment.literal(b"[")]
    comma = Segment.literal(b",")
    for piece in pieces:
        if piece.body["blobs"]["all.jsonld"][0] == 0:
            continue
        if len(segments) > 1:
            segments.append(comma)
        segments.append(Segment.of_blob(piece, "all.jsonld"))
    segments.append(Segment.literal(b"]\n"))
    return _spliced("kgpub.jsonld", segments, splicing)


def _void(stats: Stats, settings: Settings | None, dumps_of: dict[str, list[str]]) -> Output:
    """VoID, last: it lists the others' sizes and hashes; its graphs' blocks are made while
    they are written (`Output.prepare`)."""
    made: list[VoidGraphs] = []

    def prepare() -> None:
        made.append(void_graphs(stats, dumps_of, settings))

    def write(fh: BinaryIO, written: dict[str, Written]) -> None:
        # `written` is every other output (publish_outputs writes them all first), so the
        # blocks made from their names are theirs; without `prepare`, made from the files
        fh.write(void_description(stats, list(written.values()), settings,
                                  made[0] if made else None))
    return Output("void.ttl", write=write, depends=True, prepare=prepare)
