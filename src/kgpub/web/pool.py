"""A pool of query worker processes, driven from the event loop without blocking it.

Each query is handed to an idle worker over a pipe and awaited with a deadline. When the deadline
passes, the worker is killed (SIGKILL: its Rust evaluation stops at once) and a fresh one is
started in the background; the client gets a timeout error, never a truncated result. Requests
that find every worker busy wait in a bounded line; beyond it they are turned away at once.

Slow queries must not starve quick ones: when requests are waiting and fewer than `workers`
workers are idle or running a young query (younger than `slow_after`), extra workers are
started, up to `max_workers`. They are stopped again as soon as they are no longer needed, so
the pool returns to `workers` processes once the slow queries end or time out. A slow query's
worker is also reniced (lower CPU priority) so that quick queries get the cores first; since a
process cannot take its priority back, that worker is replaced when its query ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import struct
import sys
import time
from dataclasses import dataclass, field

log = logging.getLogger("kgpub.pool")


class PoolError(Exception):
    """A query that did not produce a result; `status` is the HTTP status to answer with."""

    status = 500

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class Busy(PoolError):
    status = 503


class QueryTimeout(PoolError):
    status = 503


class WorkerCrashed(PoolError):
    status = 500


@dataclass(frozen=True)
class PoolSettings:
    workers: int = 4
    timeout: float = 10.0  # seconds a query may run
    max_waiting: int = 64  # requests allowed to wait for a free worker
    queue_timeout: float = 5.0  # seconds a request may wait for one
    max_result_bytes: int = 64 * 1024 * 1024
    startup_timeout: float = 1800.0  # loading a large snapshot into memory takes time
    max_workers: int = 0  # burst ceiling while slow queries hold workers; 0: no burst
    slow_after: float = 1.0  # seconds after which a running query counts as slow
    worker_memory_mib: int = 0  # address space a worker may add to the loaded store; 0: no cap

    @property
    def ceiling(self) -> int:
        return max(self.workers, self.max_workers)


@dataclass(eq=False)
class _Worker:
    pid: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    proc: asyncio.subprocess.Process | None = None  # set when the worker is our own child
    started: float = field(default_factory=time.monotonic)
    busy_since: float | None = None  # when its current query was handed over
    demoted: bool = False  # reniced while running a slow query
    served: int = 0
    dead: bool = False

    async def read_frame(self) -> tuple[bytes, bytes]:
        header = await self.reader.readexactly(9)
        (length,) = struct.unpack(">Q", header[1:])
        payload = await self.reader.readexactly(length)
        return header[:1], payload

    async def call(self, job: dict) -> bytes:
        data = json.dumps(job).encode("utf-8")
        self.writer.write(struct.pack(">I", len(data)) + data)
        await self.writer.drain()
        status, payload = await self.read_frame()
        if status == b"O":
            return payload
        error = json.loads(payload)
        raise PoolError(error["message"], error["status"])

    @property
    def alive(self) -> bool:
        if self.dead:
            return False
        if self.proc is not None:
            return self.proc.returncode is None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        self.dead = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    async def reap(self) -> None:
        self.writer.close()
        if self.proc is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self.proc.wait())


class _Zygote:
    """The process that holds the in-memory store and forks workers from it (see worker.py)."""

    def __init__(self, spec: dict, startup_timeout: float) -> None:
        self.spec = spec
        self.startup_timeout = startup_timeout
        self.proc: asyncio.subprocess.Process | None = None
        self.control: socket.socket | None = None
        self.lock = asyncio.Lock()

    async def _recv_exactly(self, n: int) -> bytes:
        assert self.control is not None
        loop = asyncio.get_running_loop()
        data = b""
        while len(data) < n:
            chunk = await loop.sock_recv(self.control, n - len(data))
            if not chunk:
                raise RuntimeError("the store process stopped; see the messages above")
            data += chunk
        return data

    async def start(self) -> None:
        ours, theirs = socket.socketpair()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kgpub.web.worker", json.dumps(self.spec), "--zygote",
            str(theirs.fileno()), pass_fds=[theirs.fileno()],
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        )
        theirs.close()
        ours.setblocking(False)
        self.control = ours
        try:
            await asyncio.wait_for(self._recv_exactly(1), self.startup_timeout)
        except BaseException:
            self.stop()
            raise

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def fork(self) -> _Worker:
        async with self.lock:
            if not self.running:
                await self.start()
            assert self.control is not None
            ours, theirs = socket.socketpair()
            try:
                socket.send_fds(self.control, [b"w"], [theirs.fileno()])
            except OSError as exc:
                raise RuntimeError(f"the store process does not answer ({exc})") from None
            finally:
                theirs.close()
            (pid,) = struct.unpack(">I", await self._recv_exactly(4))
        reader, writer = await asyncio.open_unix_connection(sock=ours, limit=1 << 20)
        return _Worker(pid, reader, writer)

    def stop(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()

    async def wait(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(Exception):
                await self.proc.wait()


class WorkerPool:
    def __init__(self, store_spec: dict, settings: PoolSettings | None = None) -> None:
        self.store_spec = store_spec
        self.settings = settings or PoolSettings()
        # An in-memory store is loaded once and shared by forking; an on-disk store is simply
        # opened read-only by each worker (RocksDB must not be forked).
        self._worker_spec = {**store_spec, "memory_mib": self.settings.worker_memory_mib}
        self._zygote = None if store_spec.get("store_dir") else \
            _Zygote(self._worker_spec, self.settings.startup_timeout)
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._retired: set[_Worker] = set()  # killed, not yet reaped
        self._waiting = 0
        self._running = 0
        self._replacing: set[asyncio.Task] = set()
        self._spawning = 0  # workers being started (replacements and burst workers)
        self._spawn_failing = False  # the last attempt to start a worker failed
        self._closed = False
        self.stats = {"queries": 0, "timeouts": 0, "crashes": 0, "busy": 0, "replaced": 0,
                      "burst": 0}

    async def _launch(self) -> _Worker:
        if self._zygote is not None:
            return await self._zygote.fork()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kgpub.web.worker", json.dumps(self._worker_spec),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            limit=1 << 20,
        )
        assert proc.stdout is not None and proc.stdin is not None
        return _Worker(proc.pid, proc.stdout, proc.stdin, proc)

    async def _spawn(self) -> _Worker:
        worker = await self._launch()
        try:
            status, payload = await asyncio.wait_for(
                worker.read_frame(), self.settings.startup_timeout
            )
        except (asyncio.IncompleteReadError, TimeoutError) as exc:
            worker.kill()
            await worker.reap()
            raise RuntimeError(
                "a query worker could not open the store; see the messages above"
            ) from exc
        except BaseException:  # cancelled while starting (server stopping): leave no orphan
            worker.kill()
            raise
        if status != b"R":
            worker.kill()
            raise RuntimeError(f"query worker sent {status!r} instead of ready: {payload[:200]!r}")
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        if self._zygote is not None:
            await self._zygote.start()
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.settings.workers)))
        for w in workers:
            self._idle.put_nowait(w)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._replacing):
            task.cancel()
        await asyncio.gather(*self._replacing, return_exceptions=True)
        for w in list(self._all | self._retired):
            w.kill()
            await w.reap()
        self._all.clear()
        self._retired.clear()
        if self._zygote is not None:
            self._zygote.stop()
            await self._zygote.wait()

    @property
    def alive(self) -> int:
        return sum(1 for w in self._all if w.alive)

    @property
    def serving(self) -> bool:
        """Able to answer queries now or in a moment: a worker is alive, or one is starting.

        With one worker, the instant between killing a timed-out worker and its replacement
        answering is not an outage; a replacement that keeps failing to start is.
        """
        return self.alive > 0 or (self._spawning > 0 and not self._spawn_failing)

    def health(self) -> dict:
        return {
            "workers": self.settings.workers,
            "max_workers": self.settings.ceiling,
            "alive": self.alive,
            "idle": self._idle.qsize(),
            "running": self._running,
            "waiting": self._waiting,
            "starting": self._spawning,
            **self.stats,
        }

    def _background(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    def _retire(self, worker: _Worker) -> None:
        """Kill `worker`; start a replacement if the pool would fall below `workers`."""
        worker.kill()
        self._all.discard(worker)
        self._retired.add(worker)
        if self._closed:
            return
        replace = len(self._all) + self._spawning < self.settings.workers
        if replace:
            self._spawning += 1
        self._background(self._replace(worker, replace))

    async def _replace(self, old: _Worker | None, replace: bool = True,
                       burst: bool = False) -> None:
        try:
            if old is not None:
                await old.reap()
                self._retired.discard(old)
            if not replace:
                return
            delay = 0.1
            while not self._closed:
                try:
                    worker = await self._spawn()
                except RuntimeError as exc:
                    self._spawn_failing = True
                    log.error("%s; retrying in %.1f s", exc, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30.0)
                    continue
                self._spawn_failing = False
                self.stats["burst" if burst else "replaced"] += 1
                self._idle.put_nowait(worker)
                return
        finally:
            if replace:
                self._spawning -= 1

    def _grow_if_starved(self) -> None:
        """Start a burst worker when slow queries leave fewer than `workers` for the rest."""
        if self._closed or self._waiting == 0 or not self._idle.empty():
            return
        size = len(self._all) + self._spawning
        if size >= self.settings.ceiling:
            return
        now = time.monotonic()
        slow = sum(1 for w in self._all
                   if w.busy_since is not None and now - w.busy_since >= self.settings.slow_after)
        if size - slow < self.settings.workers:
            self._spawning += 1
            self._background(self._replace(None, burst=True))

    SLOW_NICENESS = 10

    def _demote(self, worker: _Worker) -> None:
        """Lower the CPU priority of a worker whose query has become slow."""
        if worker.dead:
            return
        # On Linux a priority belongs to a thread, and the query runs on the worker's second
        # thread (see worker.py): renice every thread the worker has.
        task_dir = f"/proc/{worker.pid}/task"
        try:
            threads = [int(t) for t in os.listdir(task_dir)] if os.path.isdir(task_dir) \
                else [worker.pid]
            for tid in threads:
                current = os.getpriority(os.PRIO_PROCESS, tid)
                os.setpriority(os.PRIO_PROCESS, tid, min(current + self.SLOW_NICENESS, 19))
        except OSError:  # gone already, or not permitted here: priorities stay as they are
            return
        worker.demoted = True

    def _release(self, worker: _Worker) -> None:
        """Give a worker that answered back to the pool, or stop it if it is a spare burst one
        (or a reniced one, which cannot get its priority back)."""
        worker.busy_since = None
        if worker.demoted or (len(self._all) > self.settings.workers and self._waiting == 0):
            self._retire(worker)
        else:
            self._idle.put_nowait(worker)

    async def _acquire(self) -> _Worker:
        if self._idle.empty() and self._waiting >= self.settings.max_waiting:
            self.stats["busy"] += 1
            raise Busy("the endpoint is busy: every query worker is taken and the line is full; "
                       "retry shortly")
        self._waiting += 1
        deadline = time.monotonic() + self.settings.queue_timeout
        # Look again at least this often whether slow queries starve the line (see above).
        tick = max(min(self.settings.slow_after / 4, 0.25), 0.01)
        try:
            while True:
                self._grow_if_starved()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                try:
                    worker = await asyncio.wait_for(self._idle.get(), min(left, tick))
                except TimeoutError:
                    continue
                if worker.alive:
                    return worker
                self._retire(worker)  # died while idle (killed from outside): replace it
        except TimeoutError:
            self.stats["busy"] += 1
            raise Busy(
                f"the endpoint is busy: no query worker became free within "
                f"{self.settings.queue_timeout:g} s; retry shortly"
            ) from None
        finally:
            self._waiting -= 1

    async def execute(self, job: dict, timeout: float | None = None) -> bytes:
        """Run `job` in a worker and return its serialised result, or raise a PoolError."""
        limit = self.settings.timeout if timeout is None else timeout
        job = {"max_bytes": self.settings.max_result_bytes,
               "default_is_union": self.store_spec.get("default_graph") == "set", **job}
        worker = await self._acquire()
        worker.busy_since = time.monotonic()
        self._running += 1
        self.stats["queries"] += 1
        demotion = asyncio.get_running_loop().call_later(
            self.settings.slow_after, self._demote, worker)
        try:
            result = await asyncio.wait_for(worker.call(job), limit)
        except PoolError:
            self._release(worker)  # the worker answered: it is fine
            raise
        except TimeoutError:
            self.stats["timeouts"] += 1
            self._retire(worker)
            raise QueryTimeout(
                f"the query ran longer than the {limit:g} s limit and was stopped; "
                "narrow it or add a LIMIT"
            ) from None
        except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError):
            self.stats["crashes"] += 1
            self._retire(worker)
            raise WorkerCrashed(
                "the query worker stopped while running this query: it needed more memory "
                "than this endpoint allows one query, or it was killed; it has been replaced"
            ) from None
        except BaseException:
            # Cancelled (client gone, server stopping): the worker's state is unknown.
            self._retire(worker)
            raise
        finally:
            demotion.cancel()
            self._running -= 1
        worker.served += 1
        self._release(worker)
        return result
