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
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import KgpubError, UnreadableInput
from ..rdfio import guess_format

FINGERPRINT = "kgpub-loaded.json"


class StoreError(KgpubError):
    exit_code = 2


@dataclass(frozen=True)
class LoadedData:
    spec: dict  # what a worker needs to open the store (see worker.open_store)
    files: tuple[Path, ...]
    loaded_now: bool = True  # False when an on-disk store already held these files


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
        import gzip

        return gzip.open(path, "rb"), fmt
    return path.open("rb"), fmt


def write_snapshot(files: list[Path], out: Path) -> None:
    """Parse every file (reporting the file and line of a syntax error) into one N-Quads file."""
    with out.open("wb") as sink:
        for path in files:
            source, fmt = _open_data(path)
            try:
                with source:
                    ox.serialize(
                        ox.parse(source, format=fmt, base_iri=path.resolve().as_uri()),
                        sink, format=ox.RdfFormat.N_QUADS,
                    )
            except SyntaxError as exc:
                raise UnreadableInput(f"{path}: {fmt.name} syntax error: {exc.msg}") from None
            except (OSError, ValueError) as exc:
                raise UnreadableInput(f"{path}: {fmt.name} cannot be read: {exc}") from None


def prepare_memory(files: list[Path], work_dir: Path) -> LoadedData:
    # Parsed here, once: a syntax error stops the server before any worker starts.
    snapshot = work_dir / "snapshot.nq"
    write_snapshot(files, snapshot)
    return LoadedData({"snapshots": [str(snapshot.resolve())]}, tuple(files))


def prepare_disk(files: list[Path], store_dir: Path, work_dir: Path,
                 reload: bool = True) -> LoadedData:
    """Load `files` into the store at `store_dir` unless it already holds exactly them.

    With `reload=False` an existing, completely loaded store is served as it is (whatever
    files it was loaded from).
    """
    marker = store_dir / FINGERPRINT
    wanted = fingerprint(files) if files else None
    current = json.loads(marker.read_text()) if marker.exists() else None
    if current and (not reload or current.get("fingerprint") == wanted):
        return LoadedData({"store_dir": str(store_dir.resolve())}, tuple(files), False)
    if not files:
        raise StoreError(f"{store_dir}: holds no completely loaded data and no --data was given")
    snapshot = work_dir / "snapshot.nq"
    write_snapshot(files, snapshot)
    if store_dir.exists() and any(store_dir.iterdir()) and not (store_dir / "CURRENT").exists():
        raise StoreError(f"{store_dir}: exists, is not empty and is not an Oxigraph store; "
                         "give an empty or new directory")
    marker.unlink(missing_ok=True)
    store_dir.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store(str(store_dir))
    except OSError as exc:
        raise StoreError(f"{store_dir}: cannot open the store ({exc}); is another kgpub "
                         "serve using it?") from None
    store.clear()  # whatever an interrupted load or other data left behind
    store.bulk_load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    snapshot.unlink()
    marker.write_text(json.dumps({"fingerprint": wanted, "files": [str(f) for f in files]}))
    return LoadedData({"store_dir": str(store_dir.resolve())}, tuple(files))
