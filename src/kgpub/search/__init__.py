"""Finding things in the built dataset: full-text search, lists with facets, the data of the
timelines and the stance network, all from one SQLite file made from the dataset's N-Quads.

`kgpub build` makes the index while the dumps are written (`IndexJob`), in its build cache
beside the dumps (`search_index_path`): an index is not a dump, and its bytes depend on the
SQLite library. A build that changes a few things updates a copy of the previous index
(update.py), which answers exactly as an index made anew from the same N-Quads would; an index
made anew (`build_index`, `make_index`) is the same bytes for the same N-Quads. `kgpub serve`
uses that index when it indexes exactly the served kgpub.nq, or makes one in its work directory
from what it serves (`index_for`).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from .index import (
    FORMAT,
    IndexStats,
    make_index,
    make_index_from_kept,
    read_meta,
    set_source,
    sha256_of,
    temporary_beside,
)
from .kept import KEPT_NAME, KeptQuads, discard, note_made, set_index_source
from .query import SearchIndex
from .text import BadQuery
from .update import Remake, update_index

__all__ = ["BadQuery", "IndexJob", "IndexResult", "IndexStats", "SearchIndex", "build_index",
           "index_for", "is_current", "search_index_path"]

INDEX_NAME = "search.sqlite"


def search_index_path(dumps_dir: Path) -> Path:
    """Where `kgpub build` keeps the search index of the dumps in `dumps_dir`."""
    from ..builder.cache import CACHE_NAME

    return Path(dumps_dir) / CACHE_NAME / INDEX_NAME


@dataclass
class IndexResult:
    path: Path
    changed: bool
    stats: IndexStats | None  # None when the index on disk was already current


def is_current(index: Path, source_sha256: str) -> bool:
    """Whether `index` is an index of this format and kgpub version, made from N-Quads with
    this SHA-256 (an index left from other data, or by a killed build, is not)."""
    meta = read_meta(index)
    return (meta.get("format") == FORMAT and meta.get("kgpub") == __version__
            and meta.get("source_sha256") == source_sha256)


def build_index(nquads: Path, out: Path, source_sha256: str | None = None) -> IndexResult:
    """The search index of `nquads` at `out` (made in a temporary file, then renamed over it);
    nothing is written when `out` already indexes these N-Quads. `source_sha256`: their hash,
    when the caller knows it (the build just wrote them)."""
    nquads, out = Path(nquads), Path(out)
    source = source_sha256 or sha256_of(nquads)
    if out.is_file() and is_current(out, source):
        return IndexResult(out, False, None)
    made = temporary_beside(out)
    try:
        stats = make_index(nquads, made, source)
        os.replace(made, out)
    finally:
        made.unlink(missing_ok=True)
    return IndexResult(out, True, stats)


def index_for(nquads: Path, candidate: Path | None, work_dir: Path,
              source_sha256: str | None = None) -> Path:
    """The index to serve `nquads` with: `candidate` when it indexes exactly these N-Quads,
    else a new one made in `work_dir` (the server's own temporary directory)."""
    source = source_sha256 or sha256_of(nquads)
    if candidate is not None and Path(candidate).is_file() and is_current(candidate, source):
        return Path(candidate)
    out = Path(work_dir) / "search.sqlite"
    make_index(nquads, out, source)
    return out


UNKNOWN_SOURCE = "0" * 64
"""The source hash an index is made with before its N-Quads are written (same length as the
real one, which replaces it in place: the file's bytes are those of an index made after)."""


class IndexJob:
    """The search index made in a process of its own from the pieces kgpub.nq is written from
    (the order of its quads does not change the index), while the build does the rest: `add`
    the pieces as they are ready, `close` after the last; `finish` records the N-Quads' hash
    and publishes the index. The quads it stages are kept beside the index (kept.py), so a
    build stages only the pieces that changed since the last; and when the published index
    was made from the kept quads as they were, a copy of it is updated for the change
    (update.py) rather than an index made anew from all of them."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.made = temporary_beside(self.out)
        self.kept = self.out.with_name(KEPT_NAME)
        context = multiprocessing.get_context("fork")
        self.queue = context.Queue()  # its feeder thread: the build never waits on the pipe
        self.process = context.Process(target=_make,
                                       args=(self.queue, self.made, self.kept, self.out),
                                       daemon=True)
        self.process.start()

    def add(self, pieces: Sequence[tuple[str, str, str | Path]]) -> None:
        """Pieces as (a key naming the piece from build to build, the SHA-256 of its
        N-Quads, the file); sent as one message (10,000 messages cost the build's process
        a second of pickling)."""
        self.queue.put([(key, sha256, str(path)) for key, sha256, path in pieces])

    def close(self) -> None:
        self.queue.put(None)

    def finish(self, source_sha256: str) -> bool:
        """Wait for the index; publish it as the index of N-Quads with this hash (False: the
        index in place was already that one, and stays)."""
        try:
            if self.out.is_file() and is_current(self.out, source_sha256):
                self.abandon()
                return False
            self.process.join()
            if self.process.exitcode != 0:
                raise RuntimeError(f"making the search index failed (exit {self.process.exitcode})")
            set_source(self.made, source_sha256)
            os.replace(self.made, self.out)
            set_index_source(self.kept, source_sha256)  # the next build may update it
            return True
        finally:
            self.made.unlink(missing_ok=True)

    def abandon(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.queue.cancel_join_thread()  # paths no one will read: do not wait to send them
        self.made.unlink(missing_ok=True)


def _make(pieces, made: Path, kept_path: Path, published: Path) -> None:
    _die_with_parent()
    piece = pieces.get()  # opened only now: a build that fails before leaves it as it was
    kept = KeptQuads(kept_path)
    try:
        # The published index, when it is the one made from the kept quads before this build,
        # is copied (never changed in place: a killed build leaves it whole) to be updated.
        meta = read_meta(published) if kept.index_source else {}
        previous = (meta.get("format") == FORMAT and meta.get("kgpub") == __version__
                    and meta.get("source_sha256") == kept.index_source)
        if previous:
            shutil.copyfile(published, made)
        while piece is not None:
            for one in piece:
                kept.add(*one)
            piece = pieces.get()
        quads = kept.finish()
    except BaseException:
        kept.abandon()
        discard(kept_path)  # half brought up to date: made anew next time
        raise
    how = "anew"
    if previous and kept.tracked:
        try:
            update_index(made, kept_path, quads, UNKNOWN_SOURCE)
            how = "updated"
        except Remake as exc:
            how = f"anew ({exc})"
        except Exception as exc:  # noqa: BLE001 - an index made anew is still right
            how = f"anew (the update failed: {exc!r})"
    if not how.startswith("updated"):
        make_index_from_kept(kept_path, quads, made, UNKNOWN_SOURCE)
    note_made(kept_path, how)


def _die_with_parent() -> None:
    """On Linux, have the kernel end this process when the build that started it ends (a
    killed build must not leave a process writing into its cache)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
