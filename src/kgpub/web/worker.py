"""A query worker: one process, one store, one query at a time, answers on stdout.

The server runs several of these and kills one whose query outlives the time limit: a thread
running Rust code cannot be interrupted, a process can. The worker imports only pyoxigraph and
the standard library so that a replacement starts in a fraction of a second.

Two ways to start (see pool.py):
  * `python -m kgpub.web.worker SPEC` — one worker on stdin/stdout. Used for an on-disk store,
    which every worker opens read-only in a few milliseconds.
  * `python -m kgpub.web.worker SPEC --zygote FD` — loads an in-memory store once, then forks a
    worker for each socket the server passes it over the control socket FD (SCM_RIGHTS). Forked
    workers share the loaded store's memory pages (copy-on-write), so N workers cost about one
    copy of the data, and a replacement is ready in milliseconds instead of a reload.

Wire format (both directions are framed, so a result of any size crosses intact):
  server -> worker: 4-byte big-endian length, then a JSON job
  worker -> server: 1 status byte (b"R" ready, b"O" result body, b"E" JSON error), 8-byte
                    big-endian length, then the payload
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys
import threading
from typing import BinaryIO

import pyoxigraph as ox

from ..union import materialise_union

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.N3,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


class ResultTooLarge(Exception):
    pass


class CappedBuffer:
    """A write target that refuses to grow past `limit` bytes, which stops the serialiser."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def limit_memory(mib: int) -> None:
    """Let this process grow by at most `mib` MiB of address space beyond what it maps now.

    A query that needs more fails inside its worker (Python raises MemoryError, Rust aborts)
    instead of pushing the machine into swap or the kernel's OOM killer, which might pick the
    server. Set after the store is loaded, so the limit is on what one query may add.
    """
    if mib <= 0:
        return
    import resource

    with open("/proc/self/statm") as fh:
        mapped = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mapped + (mib << 20)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an aborted worker leaves no core file


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process as soon as its parent process dies (Linux only).

    An idle worker notices a dead server by end-of-file on its pipe or socket and exits, but a
    worker in the middle of a query is inside Rust code and reads nothing until the query ends,
    which without the server's time limit may be hours: killed with SIGKILL, a server would
    leave it running, holding a CPU and the store open. A forked worker's parent is the zygote,
    which itself dies with the server, so the chain reaches every worker. Elsewhere (no prctl)
    only the end-of-file rule applies.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)


def open_store(spec: dict) -> ox.Store:
    if spec.get("store_dir"):
        return ox.Store.read_only(spec["store_dir"])
    store = ox.Store()
    for path in spec.get("snapshots", []):
        # `load`, not `bulk_load`: no helper threads that a later fork would leave half-copied.
        store.load(path=path, format=ox.RdfFormat.N_QUADS)
    if spec.get("default_graph") == "set":
        materialise_union(store, store.extend)
    return store


def _graph_names(values: list[str] | None) -> list[ox.NamedNode] | None:
    return None if values is None else [ox.NamedNode(v) for v in values]


def execute(store: ox.Store, job: dict) -> tuple[bytes, bytes]:
    """Run one job; return (status byte, payload)."""
    kwargs: dict = {}
    media = job["media"]
    buffer = CappedBuffer(job["max_bytes"])
    try:
        if job.get("default_graphs") is not None or job.get("named_graphs") is not None:
            kwargs["default_graph"] = _graph_names(job.get("default_graphs") or [])
            kwargs["named_graphs"] = _graph_names(job.get("named_graphs") or [])
        elif not job.get("has_dataset_clause") and not job.get("default_is_union"):
            kwargs["use_default_graph_as_union"] = True
        result = store.query(job["query"], base_iri=job.get("base_iri"), **kwargs)
        if job.get("check_only"):  # parsed (by Oxigraph) and planned: enough for a --backend
            return b"O", b""
        if isinstance(result, ox.QueryTriples):
            fmt = GRAPH_FORMATS.get(media)
            if fmt is None:
                return _error(406, f"a graph result cannot be written as {media}")
            if job.get("prefixes"):
                ox.serialize(result, buffer, format=fmt, prefixes=job["prefixes"])
            else:
                result.serialize(buffer, format=fmt)
        else:
            fmt = RESULT_FORMATS.get(media)
            if fmt is None:
                return _error(406, f"query results cannot be written as {media}")
            result.serialize(buffer, format=fmt)
    except SyntaxError as exc:
        return _error(400, f"malformed query: {exc.msg if hasattr(exc, 'msg') else exc}")
    except ResultTooLarge:
        return _error(
            422,
            f"the result is larger than the {job['max_bytes']:,}-byte limit of this endpoint; "
            "add a LIMIT or narrow the query",
        )
    except MemoryError:
        return _error(503, "the query needed more memory than this endpoint allows one query; "
                           "narrow it or add a LIMIT")
    except OSError as exc:  # the store itself failed: say so, but keep its paths to the log
        print(f"kgpub worker: store error: {exc}", file=sys.stderr)
        return _error(500, "the store could not be read; the error has been logged")
    except (ValueError, TypeError) as exc:
        return _error(400, f"query failed: {exc}")
    return b"O", buffer.getvalue()


def _error(status: int, message: str) -> tuple[bytes, bytes]:
    return b"E", json.dumps({"status": status, "message": message}).encode("utf-8")


def _send(out: BinaryIO, status: bytes, payload: bytes) -> None:
    out.write(status + struct.pack(">Q", len(payload)))
    out.write(payload)
    out.flush()


def _read_job(stream: BinaryIO) -> dict | None:
    header = stream.read(4)
    if len(header) < 4:
        return None
    (length,) = struct.unpack(">I", header)
    return json.loads(stream.read(length))


def serve_jobs(store: ox.Store, jobs: BinaryIO, out: BinaryIO) -> None:
    _send(out, b"R", json.dumps({"pid": os.getpid()}).encode())
    while (job := _read_job(jobs)) is not None:
        status, payload = execute(store, job)
        _send(out, status, payload)


QUERY_STACK_MIB = 256


def serve_jobs_on_large_stack(store: ox.Store, jobs: BinaryIO, out: BinaryIO,
                              memory_mib: int = 0) -> None:
    """Serve jobs from a thread with a large stack, then cap memory from inside it.

    Oxigraph parses and evaluates recursively: on the main thread's 8 MiB a chain of a few
    thousand operators (`!!!…`, `1 + 1 + …`, `MINUS {…} MINUS {…} …`) overflows the stack and
    kills the worker. With 256 MiB the same shapes pass at 30,000 to 200,000 (measured), and the
    stack is only address space until used. The memory cap is set once the stack is mapped so
    that it limits what a query adds, not the stack's reservation.
    """
    failed: list[BaseException] = []

    def run() -> None:
        try:
            limit_memory(memory_mib)
            serve_jobs(store, jobs, out)
        except BaseException as exc:  # re-raised on the main thread
            failed.append(exc)

    threading.stack_size(QUERY_STACK_MIB << 20)
    thread = threading.Thread(target=run, name="kgpub-query")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


def zygote(store: ox.Store, control: socket.socket, memory_mib: int = 0) -> None:
    """Fork one worker per socket received; tell the server each worker's pid."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    control.sendall(b"R")
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(control, 1, 1)
        except OSError:
            return
        if not fds:
            return  # the server closed the control socket: stop
        pid = os.fork()
        if pid == 0:
            die_with_parent()  # the setting is not inherited across fork
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            channel = socket.socket(fileno=fds[0])
            try:
                serve_jobs_on_large_stack(store, channel.makefile("rb"),
                                          channel.makefile("wb"), memory_mib)
            finally:
                os._exit(0)
        os.close(fds[0])
        control.sendall(struct.pack(">I", pid))


def main() -> None:
    die_with_parent()  # before the store is opened: loading may take long
    spec = json.loads(sys.argv[1])
    # Keep the protocol channel to ourselves: anything printed by accident goes to stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    store = open_store(spec)
    if len(sys.argv) > 3 and sys.argv[2] == "--zygote":
        zygote(store, socket.socket(fileno=int(sys.argv[3])), spec.get("memory_mib", 0))
        return
    serve_jobs_on_large_stack(store, sys.stdin.buffer, out, spec.get("memory_mib", 0))


if __name__ == "__main__":
    main()
