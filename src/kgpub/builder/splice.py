"""Whole files made of cached pieces, spliced from the file the last build published.

A whole-dataset dump of 10,000 articles is 12,000 pieces; one article edited changes one of
them. Opening and reading 12,000 blobs costs seconds that the bytes do not: the file in place
already holds the 11,999 others, in the same order. So each such file's layout (the hash and
size of every segment, in order) is kept in the build cache, and the next build copies the runs
of segments it still has from the file in place, reading only the changed pieces' blobs.

The file in place is used only when it is the one that layout describes (`StatRecord.holds`:
its recorded size, mtime and hash, or its hash read anew), and it is only read: the new file
is written beside it and renamed over it as every other dump is (outputs.publish_outputs).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .cache import Entry

CHUNK = 1 << 20


@dataclass(slots=True)
class Segment:
    """Part of a spliced file: literal bytes, or a blob of a cache entry (not frozen: a
    frozen dataclass is made slower, and a build makes 36,000 at 10,000 articles)."""

    key: str
    """The SHA-256 of its bytes: the same key is the same bytes, wherever they were."""
    size: int
    data: bytes | None = None
    entry: Entry | None = None
    blob: str | None = None

    @classmethod
    def literal(cls, data: bytes) -> Segment:
        return cls(hashlib.sha256(data).hexdigest(), len(data), data=data)

    @classmethod
    def of_blob(cls, entry: Entry, blob: str) -> Segment:
        size, digest = entry.body["blobs"][blob]
        return cls(digest, size, entry=entry, blob=blob)

    def write(self, out: BinaryIO) -> None:
        if self.data is not None:
            out.write(self.data)
        else:
            assert self.entry is not None and self.blob is not None
            self.entry.copy_blob(self.blob, out)


@dataclass(frozen=True)
class Previous:
    """The file in place and the segments it is made of."""

    path: Path
    segments: list[tuple[str, int]]


class Layouts:
    """The segments of each spliced file as last published, kept in the build cache.

    A layout is recorded while its file is written and kept only once the build published it
    (`save`, with the hash the writer computed): a build that fails before publishing leaves
    the layouts of the files still in place."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, dict] = {}
        self.written: dict[str, list[list]] = {}
        if path is not None:
            try:
                body = json.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                body = None
            if isinstance(body, dict):
                self.known = {k: v for k, v in body.items() if _is_layout(v)}

    def same(self, name: str, segments: list[Segment]) -> str | None:
        """The hash of the published file `name` when it was made of exactly these segments
        (the caller still checks that the file in place holds it); else None."""
        layout = self.known.get(name)
        if layout is None or len(layout["segments"]) != len(segments):
            return None
        if all(k == s.key and n == s.size
               for (k, n), s in zip(layout["segments"], segments, strict=True)):
            return layout["sha256"]
        return None

    def previous(self, name: str, target: Path,
                 holds: Callable[[Path, str, str, int | None], bool]) -> Previous | None:
        """The file in place, when it is the one its layout describes."""
        layout = self.known.get(name)
        if layout is None:
            return None
        if not holds(target, name, layout["sha256"], layout["size"]):
            return None
        return Previous(target, [(k, n) for k, n in layout["segments"]])

    def record(self, name: str, segments: list[Segment]) -> None:
        self.written[name] = [[s.key, s.size] for s in segments]

    def save(self, published: dict[str, tuple[str, int]]) -> None:
        """Keep the layouts of the files published now (name -> their SHA-256 and size);
        forget those of files no longer made. Best effort: a lost record only means reading
        every piece."""
        if self.path is None:
            return
        body = {}
        for name, (sha256, size) in published.items():
            if name in self.written:
                body[name] = {"sha256": sha256, "size": size, "segments": self.written[name]}
            elif name in self.known and self.known[name]["sha256"] == sha256:
                body[name] = self.known[name]
        tmp = Path(self.path).with_name(f".{Path(self.path).name}.{secrets.token_hex(6)}.tmp")
        try:
            tmp.write_text(json.dumps(body, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)


def _is_layout(value: object) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("sha256"), str)
            and isinstance(value.get("size"), int)
            and isinstance(value.get("segments"), list)
            and all(isinstance(s, list) and len(s) == 2 and isinstance(s[0], str)
                    and isinstance(s[1], int) for s in value["segments"]))


def write_spliced(out: BinaryIO, segments: list[Segment], previous: Previous | None) -> None:
    """Write the segments in order: runs of them that the previous file holds one after the
    other are copied from it as one range, the others from their own bytes."""
    if previous is None:
        for segment in segments:
            segment.write(out)
        return
    offsets: list[int] = []
    at: dict[str, int] = {}  # key -> the index of its first occurrence in the previous file
    position = 0
    for i, (key, size) in enumerate(previous.segments):
        offsets.append(position)
        at.setdefault(key, i)
        position += size
    with open(previous.path, "rb") as old:
        run_start, run_end = 0, 0  # the byte range of the previous file to copy next
        last = -2  # the index in the previous file of the segment just matched
        for segment in segments:
            nxt = last + 1
            if nxt < len(previous.segments) and previous.segments[nxt] == (segment.key,
                                                                          segment.size):
                found = nxt  # continues the run (also for repeated literals such as ",")
            else:
                found = at.get(segment.key, -1)
                if found >= 0 and previous.segments[found][1] != segment.size:
                    found = -1
            if found >= 0 and found == last + 1 and run_end > run_start:
                run_end += segment.size
            elif found >= 0:
                _copy_range(old, run_start, run_end, out)
                run_start = offsets[found]
                run_end = run_start + segment.size
            else:
                _copy_range(old, run_start, run_end, out)
                run_start = run_end = 0
                segment.write(out)
            last = found if found >= 0 else -2
        _copy_range(old, run_start, run_end, out)


def _copy_range(old: BinaryIO, start: int, end: int, out: BinaryIO) -> None:
    if end <= start:
        return
    old.seek(start)
    left = end - start
    while left:
        data = old.read(min(CHUNK, left))
        if not data:
            raise OSError(f"{old.name} ended before its recorded layout did")
        out.write(data)
        left -= len(data)
