"""`kgpub serve` as a library call: decide what to serve, load it, run uvicorn."""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..manifest import Manifest
from ..pipeline import build, stale
from ..project import Project, dataset_name, resources
from ..search import index_for, is_current, search_index_path
from .app import Published, create_app
from .loading import LoadedData, fingerprint, prepare_disk, prepare_memory, write_snapshot
from .settings import ServeSettings


def default_published(project: Project, dumps_dir: Path | None = None) -> Published:
    """What the server publishes for a project: its dumps, resources, title and description."""
    dumps_dir = dumps_dir or project.dumps_dir
    found = project.resources
    return Published(
        dump_files=sorted(p for p in dumps_dir.iterdir()
                          if p.is_file() and not p.name.startswith(".")),
        ontology_file=found.ontology_file,
        vocabulary_files=found.vocabulary_files,
        shapes_files=found.shape_files,
        void_file=dumps_dir / "void.ttl",
        query_files=found.query_files,
        title=project.settings.site_title,
        description=project.settings.description,
    )


def current_dumps(project: Project, work_dir: Path,
                  say: Callable[[str], None] = print) -> Path:
    """The dumps directory of `project`, built first when its sources changed since the last build.

    When the dumps are stale but cannot be written (a read-only checkout or mount), the build
    goes to the server's own work directory instead: the server starts, and the dumps on disk
    stay as they are.
    """
    dumps_dir = project.dumps_dir
    reason = stale(project, dumps_dir)
    if reason is None:
        return dumps_dir
    writable = os.access(dumps_dir if dumps_dir.exists() else dumps_dir.parent, os.W_OK)
    if writable:
        say(f"building the dataset first (kgpub build): {reason}")
        build(project, dumps_dir)
        return dumps_dir
    say(f"the dumps in {dumps_dir} are not current ({reason}) and that directory is not "
        "writable: serving a fresh build from a temporary directory")
    build(project, work_dir / "dumps")
    return work_dir / "dumps"


def prepare(data_files: list[Path], store_dir: Path | None, work_dir: Path,
            say: Callable[[str], None] = print,
            root: Path | None = None, default_graph: str = "set",
            load: bool = True) -> tuple[LoadedData, Published]:
    """Build the default dataset when needed, then load what is to be served (unless `load` is
    false: with --backend the queries go elsewhere and only the files are published).

    With `data_files`, no project is needed: the ontology and shapes are the current
    directory's project's when there is one, else kgpub's own."""
    if data_files:
        project = Project.find(root, required=False)
        found = project.resources if project else resources()
        published = Published(dump_files=list(data_files),
                              ontology_file=found.ontology_file,
                              vocabulary_files=found.vocabulary_files,
                              shapes_files=found.shape_files,
                              title="RDF served by kgpub")
        files = list(data_files)
    else:
        project = Project.find(root)
        dumps_dir = current_dumps(project, work_dir, say)
        published = default_published(project, dumps_dir)
        files = [dumps_dir / dataset_name(project.settings)]
    if not load:
        loaded = LoadedData({}, ())
    elif store_dir is not None:
        loaded = prepare_disk(files, store_dir, work_dir, default_graph=default_graph)
    else:
        loaded = prepare_memory(files, work_dir, default_graph)
    published.search_index = search_index(files, work_dir, say, data_files == [],
                                          store_dir if load else None, loaded.fingerprint)
    return loaded, published


STORE_SEARCH_INDEX = "kgpub-search.sqlite"
"""The search index of the files a --store directory holds, kept in it beside its fingerprint."""


def search_index(files: list[Path], work_dir: Path, say: Callable[[str], None],
                 dumps: bool, store_dir: Path | None = None,
                 files_fingerprint: str | None = None) -> Path:
    """The search index to serve: the build's, in the build cache beside the dumps, when it
    indexes exactly the dumps' kgpub.nq; with --data and --store, the one kept in the store
    directory when it indexes exactly these files; otherwise one made now in the work
    directory from what is served (the memory snapshot when there is one, else the files
    parsed again), and kept in the store directory when there is one (a restart on the same
    files then makes none). `files_fingerprint`: the store's hash of the files, when loading
    it computed one (so 10 GB of data is not read twice at start)."""
    started = time.perf_counter()
    kept = store_dir / STORE_SEARCH_INDEX if store_dir is not None and not dumps else None
    digest = (files_fingerprint or fingerprint(files)) if kept is not None else None
    if kept is not None and digest is not None and kept.is_file() and is_current(kept, digest):
        return kept
    if dumps:
        nquads = files[0]
        manifest = Manifest.read(nquads.parent)
        digest = manifest.outputs.get(nquads.name) if manifest else None
        found = index_for(nquads, search_index_path(nquads.parent), work_dir, digest)
    else:
        snapshot = work_dir / "snapshot.nq"
        made = not snapshot.exists()
        if made:
            snapshot = work_dir / "search-source.nq"
            write_snapshot(files, snapshot)
        try:
            found = index_for(snapshot, None, work_dir, digest)
        finally:
            if made:
                snapshot.unlink(missing_ok=True)
        if kept is not None:
            _keep_copy(found, kept)
    if found.parent == work_dir:
        say(f"made the search index of the served data ({time.perf_counter() - started:.1f} s)")
    return found


def _keep_copy(index: Path, kept: Path) -> None:
    """Copy the index into the store directory (atomically; a read-only one is left as is)."""
    tmp = kept.with_name(f".{kept.name}.{secrets.token_hex(6)}.tmp")
    try:
        shutil.copyfile(index, tmp)
        os.replace(tmp, kept)
    except OSError:
        tmp.unlink(missing_ok=True)


class _Stopped(Exception):
    """SIGTERM arrived (see `_stop_on_sigterm`)."""


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Make SIGTERM stop the server as Ctrl-C does: gracefully, cleaning up, with exit 0.

    SIGTERM is how systemd, Docker and Kubernetes stop a service. While it runs, uvicorn
    catches SIGTERM itself, shuts down (the lifespan stops the workers) and then raises the
    signal again for the handler that was there before it: by default that one killed the
    process (exit 143) before `serve` could remove its work directory. Here it raises
    `_Stopped` instead, which unwinds through the clean-up and ends here; a SIGTERM while
    the data is still being loaded does the same. Later ones are ignored: the server is
    already stopping, and a clean-up interrupted half-way would leave files behind.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise _Stopped

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    except _Stopped:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(settings: ServeSettings, data_files: list[Path], store_dir: Path | None,
          host: str, port: int, say: Callable[[str], None] = print,
          root: Path | None = None, backend_url: str | None = None) -> None:
    """`kgpub serve`: in local worker processes, or over an external SPARQL endpoint."""
    with _stop_on_sigterm():
        _serve(settings, data_files, store_dir, host, port, say, root, backend_url)


def _serve(settings: ServeSettings, data_files: list[Path], store_dir: Path | None,
           host: str, port: int, say: Callable[[str], None], root: Path | None,
           backend_url: str | None) -> None:
    import uvicorn

    work_dir = Path(tempfile.mkdtemp(prefix="kgpub-serve-"))
    try:
        backend = None
        if backend_url is not None:
            from .backend import make_backend

            backend = make_backend(settings, backend_url)
        loaded, published = prepare(data_files, store_dir, work_dir, say, root,
                                    settings.default_graph, load=backend is None)
        if store_dir is not None:
            say(f"store {store_dir}: " + ("loaded" if loaded.loaded_now else
                                          "already holds these files; not reloaded"))
        app = create_app(loaded, settings, published, backend)
        if backend is None:
            say(f"serving {', '.join(str(f) for f in loaded.files)} on http://{host}:{port}/ "
                f"({settings.workers} query workers, {settings.timeout:g} s limit)")
        else:
            say(f"serving the SPARQL endpoint {backend_url} on http://{host}:{port}/ "
                f"({settings.timeout:g} s limit)")
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per backend request
        # No Server header (nothing to fingerprint); past max_connections uvicorn answers 503
        # at once instead of queueing sockets without bound.
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                    timeout_graceful_shutdown=5, server_header=False,
                    limit_concurrency=settings.max_connections)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
