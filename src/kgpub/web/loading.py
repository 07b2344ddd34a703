"""Turn what `kgpub serve` was given into something every query worker can open.

In memory: the data becomes one N-Quads snapshot that each worker loads into its own store
(N-Quads is the fastest format to load and needs no prefix or base handling). On disk
(`--store DIR`): the data is bulk-loaded once into an Oxigraph store that workers open
read-only, so a replacement worker starts at once and the data survives restarts. A fingerprint
of the loaded files is kept beside the store so that a restart with the same data does not
reload it, and an interrupted load (no fingerprint) is redone.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zlib
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..dump import directory_lock, write_atomic
from ..errors import KgpubError, UnreadableInput
from ..rdfio import GunzipCapped, guess_format, parse_file
from ..union import materialise_union

FINGERPRINT = "kgpub-loaded.json"
LOADING = "kgpub-loading.json"  # present while a load is under way (or was killed)


class StoreError(KgpubError):
    exit_code = 2


@dataclass(frozen=True)
class LoadedData:
    spec: dict  # what a worker needs to open the store (see worker.open_store)
    files: tuple[Path, ...]
    loaded_now: bool = True  # False when an on-disk store already held these files
    fingerprint: str | None = None  # of `files`, when it was computed (an on-disk store)


def fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def _open_data(path: Path) -> tuple[object, ox.RdfFormat]:
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such file")
    fmt = guess_format(path)
    if path.name.endswith(".gz"):
        return GunzipCapped(path), fmt
    return path.open("rb"), fmt


def write_snapshot(files: list[Path], out: Path) -> None:
    """Parse every file (reporting the file and line of a syntax error) into one N-Quads file.

    Line-based formats stream through, so a large dump never sits in memory; RDF/XML and JSON-LD
    go through `rdfio.parse_file`, which refuses entity bombs, external entities, absurd nesting
    and remote contexts before Oxigraph sees the file (the same guards as `kgpub validate`).
    """
    with out.open("wb") as sink:
        for path in files:
            source, fmt = _open_data(path)
            try:
                with source:
                    if fmt in (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):
                        quads = parse_file(path, fmt)
                    else:
                        quads = ox.parse(source, format=fmt, base_iri=path.resolve().as_uri())
                    ox.serialize(quads, sink, format=ox.RdfFormat.N_QUADS)
            except SyntaxError as exc:
                raise UnreadableInput(f"{path}: {fmt.name} syntax error: {exc.msg}") from None
            except MemoryError:
                raise UnreadableInput(
                    f"{path}: {fmt.name} cannot be read: a single IRI or literal is too large "
                    "for the parser; split or shorten it") from None
            except (OSError, ValueError, EOFError, zlib.error) as exc:
                raise UnreadableInput(f"{path}: {fmt.name} cannot be read: {exc}") from None


DEFAULT_GRAPHS = ("set", "bag")  # see union.materialise_union


def prepare_memory(files: list[Path], work_dir: Path, default_graph: str = "set") -> LoadedData:
    # Parsed here, once: a syntax error stops the server before any worker starts.
    snapshot = work_dir / "snapshot.nq"
    write_snapshot(files, snapshot)
    return LoadedData({"snapshots": [str(snapshot.resolve())], "default_graph": default_graph},
                      tuple(files))


def _read_marker(path: Path) -> dict | None:
    """The JSON in `path`, or None when it is missing or unreadable (then the load is redone)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _clear_directory(directory: Path) -> None:
    """Remove everything inside `directory`, keeping the directory (it may be a mount point)."""
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink(missing_ok=True)


def prepare_disk(files: list[Path], store_dir: Path, work_dir: Path,
                 reload: bool = True, default_graph: str = "set") -> LoadedData:
    """Load `files` into the store at `store_dir` unless it already holds exactly them.

    With `reload=False` an existing, completely loaded store is served as it is (whatever
    files it was loaded from).

    A load can be killed at any moment, even while RocksDB is creating its files (a directory
    it then refuses to open). So before touching the store a LOADING marker claims the
    directory, the fingerprint is written (atomically) only after the data is flushed, and a
    directory that kgpub has claimed but holds no fingerprint is emptied and loaded afresh.
    A lock on the directory makes servers started together load it once, one after the other.
    """
    marker = store_dir / FINGERPRINT
    wanted = fingerprint(files) if files else None

    def loaded(current: dict | None) -> bool:
        return bool(current and current.get("fingerprint")
                    and current.get("default_graph", "bag") == default_graph
                    and (not reload or current["fingerprint"] == wanted))

    spec = {"store_dir": str(store_dir.resolve()), "default_graph": default_graph}
    if loaded(_read_marker(marker)):
        return LoadedData(spec, tuple(files), False, wanted)
    if not files:
        raise StoreError(f"{store_dir}: holds no completely loaded data and no --data was given")
    snapshot = work_dir / "snapshot.nq"
    write_snapshot(files, snapshot)
    claimed = (store_dir / LOADING).exists() or marker.exists()
    if store_dir.exists() and any(store_dir.iterdir()) and not claimed \
            and not (store_dir / "CURRENT").exists():
        raise StoreError(f"{store_dir}: exists, is not empty and is not an Oxigraph store; "
                         "give an empty or new directory")
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{store_dir}: cannot create the store directory ({exc.strerror}"
                         + (f": {exc.filename}" if exc.filename != str(store_dir) else "")
                         + ")") from None
    with directory_lock(store_dir):
        if loaded(_read_marker(marker)):  # another server loaded it while we waited
            snapshot.unlink()
            return LoadedData(spec, tuple(files), False, wanted)
        if (store_dir / LOADING).exists() or marker.exists():
            _clear_directory(store_dir)  # ours, and possibly half-created: start afresh
        write_atomic(store_dir / LOADING, json.dumps({"files": [str(f) for f in files]}).encode())
        try:
            store = ox.Store(str(store_dir))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{store_dir}: cannot open the store ({exc}); is another kgpub "
                             "serve using it?") from None
        store.clear()  # whatever other data an existing Oxigraph store held
        store.bulk_load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
        if default_graph == "set":
            materialise_union(store, store.bulk_extend)
        store.flush()
        del store
        snapshot.unlink()
        write_atomic(marker, json.dumps({"fingerprint": wanted, "default_graph": default_graph,
                                         "files": [str(f) for f in files]}).encode())
        (store_dir / LOADING).unlink()
    return LoadedData(spec, tuple(files), True, wanted)


COUNTS = "kgpub-counts.json"
"""The start-up counts of a loaded store (quads per graph, the default graph's own triples),
kept beside its fingerprint: counting 10 million quads takes minutes, at every start."""


def stored_counts(spec: dict) -> tuple[dict[str, int], int] | None:
    """The counts kept for the store of `spec` when they are of the data it holds now."""
    store_dir = spec.get("store_dir")
    if not store_dir:
        return None
    loaded = _read_marker(Path(store_dir) / FINGERPRINT)
    kept = _read_marker(Path(store_dir) / COUNTS)
    if not loaded or not kept or kept.get("loaded") != loaded \
            or kept.get("default_graph") != spec.get("default_graph"):
        return None
    sizes, default = kept.get("sizes"), kept.get("default")
    if not isinstance(sizes, dict) or not isinstance(default, int) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in sizes.items()):
        return None
    return sizes, default


def keep_counts(spec: dict, sizes: dict[str, int], default: int) -> None:
    """Keep the counts in the store directory (best effort: a read-only one counts again)."""
    store_dir = spec.get("store_dir")
    loaded = _read_marker(Path(store_dir) / FINGERPRINT) if store_dir else None
    if not loaded:
        return
    body = {"loaded": loaded, "default_graph": spec.get("default_graph"), "sizes": sizes,
            "default": default}
    with suppress(OSError):
        write_atomic(Path(store_dir) / COUNTS, json.dumps(body, sort_keys=True).encode())
