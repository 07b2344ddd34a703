"""`kgpub serve` as a library call: decide what to serve, load it, run uvicorn."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..pipeline import DUMPS_DIR, ONTOLOGY_FILE, SHAPES_DIR, build, default_root
from .app import Published, create_app
from .loading import LoadedData, prepare_disk, prepare_memory
from .settings import ServeSettings

SOURCE_DIRS = ("data/articles", "data/facts", "ontology", "shapes")
SOURCE_FILES = ("data/actors.yaml", "data/context.yaml")


def dataset_is_stale(root: Path) -> bool:
    """True when the built dataset is missing or older than a source it is built from."""
    built = root / DUMPS_DIR / "kgpub.nq"
    if not built.exists() or not (root / DUMPS_DIR / "void.ttl").exists():
        return True
    stamp = built.stat().st_mtime
    sources = [root / f for f in SOURCE_FILES]
    for d in SOURCE_DIRS:
        sources += [p for p in (root / d).rglob("*") if p.is_file()]
    return any(p.exists() and p.stat().st_mtime > stamp for p in sources)


def default_published(root: Path) -> Published:
    dumps_dir = root / DUMPS_DIR
    return Published(
        dump_files=sorted(p for p in dumps_dir.iterdir() if p.is_file()),
        ontology_file=root / ONTOLOGY_FILE,
        shapes_file=root / SHAPES_DIR / "kgpub-shapes.ttl",
        void_file=dumps_dir / "void.ttl",
        queries_dir=root / "queries",
    )


def prepare(data_files: list[Path], store_dir: Path | None, work_dir: Path,
            say: Callable[[str], None] = print,
            default_graph: str = "set") -> tuple[LoadedData, Published]:
    """Build the default dataset when needed, then load what is to be served."""
    if data_files:
        root = default_root()
        published = Published(dump_files=list(data_files),
                              ontology_file=root / ONTOLOGY_FILE,
                              shapes_file=root / SHAPES_DIR / "kgpub-shapes.ttl",
                              title="RDF served by kgpub")
        files = list(data_files)
    else:
        root = default_root()
        if dataset_is_stale(root):
            say("building the default dataset first (kgpub build)")
            build(root)
        published = default_published(root)
        files = [root / DUMPS_DIR / "kgpub.nq"]
    if store_dir is not None:
        loaded = prepare_disk(files, store_dir, work_dir, default_graph=default_graph)
    else:
        loaded = prepare_memory(files, work_dir, default_graph)
    return loaded, published


def serve(settings: ServeSettings, data_files: list[Path], store_dir: Path | None,
          host: str, port: int, say: Callable[[str], None] = print) -> None:
    import uvicorn

    work_dir = Path(tempfile.mkdtemp(prefix="kgpub-serve-"))
    try:
        loaded, published = prepare(data_files, store_dir, work_dir, say, settings.default_graph)
        if store_dir is not None:
            say(f"store {store_dir}: " + ("loaded" if loaded.loaded_now else
                                          "already holds these files; not reloaded"))
        app = create_app(loaded, settings, published)
        say(f"serving {', '.join(str(f) for f in loaded.files)} on http://{host}:{port}/ "
            f"({settings.workers} query workers, {settings.timeout:g} s limit)")
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        # No Server header (nothing to fingerprint); past max_connections uvicorn answers 503
        # at once instead of queueing sockets without bound.
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                    timeout_graceful_shutdown=5, server_header=False,
                    limit_concurrency=settings.max_connections)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
