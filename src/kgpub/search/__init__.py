"""Finding things in the built dataset: full-text search, lists with facets, the data of the
timelines and the stance network, all from one SQLite file made from the dataset's N-Quads.

`kgpub build` calls `build_index` once the dumps are written; `kgpub serve` opens the index
beside the dumps, or makes one in its work directory from what it serves (`index_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..dump import publish_file
from ..manifest import Manifest
from .index import FORMAT, IndexStats, make_index, read_meta, sha256_of, temporary_beside
from .query import SearchIndex
from .text import BadQuery

__all__ = ["BadQuery", "IndexResult", "IndexStats", "SearchIndex", "build_index", "index_for",
           "is_current"]


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


def build_index(nquads: Path, out: Path) -> IndexResult:
    """The search index of `nquads`, published at `out` as the dumps are published: through a
    temporary file and a rename, listed in the manifest of its directory, never over a file
    kgpub did not write. Nothing is written when `out` already indexes these N-Quads."""
    nquads, out = Path(nquads), Path(out)
    manifest = Manifest.read(out.parent)
    outputs = manifest.outputs if manifest else {}
    # The build just listed the N-Quads it wrote with their SHA-256: no need to read 1 GB again.
    source = outputs.get(nquads.name) if nquads.resolve().parent == out.resolve().parent else None
    source = source or sha256_of(nquads)
    if outputs.get(out.name) and out.is_file() and is_current(out, source):
        return IndexResult(out, False, None)
    made = temporary_beside(out)
    try:
        stats = make_index(nquads, made, source)
        changed = publish_file(out, made)
    finally:
        made.unlink(missing_ok=True)
    return IndexResult(out, changed, stats)


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
