"""Finding things in the built dataset: full-text search, lists with facets, the data of the
timelines and the stance network, all from one SQLite file made from the dataset's N-Quads.

`kgpub build` makes the index once the dumps are published (`build_index`), in its build cache
beside the dumps (`search_index_path`): an index is not a dump, and its bytes depend on the
SQLite library. `kgpub serve` uses that index when it indexes exactly the served kgpub.nq, or
makes one in its work directory from what it serves (`index_for`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from .index import FORMAT, IndexStats, make_index, read_meta, sha256_of, temporary_beside
from .query import SearchIndex
from .text import BadQuery

__all__ = ["BadQuery", "IndexResult", "IndexStats", "SearchIndex", "build_index", "index_for",
           "is_current", "search_index_path"]

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
