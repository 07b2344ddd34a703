"""Real triple stores started by the tests (and by bench/publish.py): Oxigraph's server (PyPI
`oxigraph`) and Virtuoso Open Source 7 (Debian's virtuoso-opensource-7-bin). Each runs on free
loopback ports in a temporary directory and is stopped, with nothing left running, by `stop`.

Outside CI a missing server skips the tests that need it; in CI (CI set) it is a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or \
    shutil.which("oxigraph")
VIRTUOSO = shutil.which("virtuoso-t")


def require(binary: str | None, what: str, install: str) -> str:
    if binary is None:
        message = f"{what} is not installed ({install})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StoreServer:
    """A store process; `gsp`, `query`, `update` are its endpoints, `auth` its credentials."""

    name = "store"
    auth: tuple[str, str] | None = None

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.proc: subprocess.Popen | None = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def _wait(self, timeout: float = 60) -> StoreServer:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_tail()}")
            try:
                if httpx.post(self.query, data={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not start: {self.log_tail()}")

    def log_tail(self) -> str:
        log = self.directory / "server.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> StoreServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class OxigraphServer(StoreServer):
    name = "oxigraph"

    def __init__(self, directory: Path, *args: str, command: str = "serve") -> None:
        super().__init__(directory)
        binary = require(OXIGRAPH, "Oxigraph's server", "pip install oxigraph")
        directory.mkdir(parents=True, exist_ok=True)
        self.gsp, self.query, self.update = (self.url + "/store", self.url + "/query",
                                             self.url + "/update")
        with (directory / "server.log").open("wb") as log:
            self.proc = subprocess.Popen(
                [binary, command, "--location", str(directory / "db"),
                 "--bind", f"127.0.0.1:{self.port}", *args],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self._wait()


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {d}
CheckpointInterval = 60

[HTTPServer]
ServerPort = 127.0.0.1:{port}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = 1000000
"""


class VirtuosoServer(StoreServer):
    """A fresh Virtuoso database: user dba, password dba; GSP with HTTP Digest."""

    name = "virtuoso"
    auth = ("dba", "dba")

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        binary = require(VIRTUOSO, "Virtuoso", "apt-get install virtuoso-opensource-7-bin")
        directory.mkdir(parents=True, exist_ok=True)
        ini = directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(d=directory.resolve(), port=self.port,
                                           sql_port=free_port()))
        self.gsp = self.url + "/sparql-graph-crud-auth"
        self.query = self.url + "/sparql"
        self.update = self.url + "/sparql-auth"
        with (directory / "server.log").open("wb") as log:
            self.proc = subprocess.Popen([binary, "-f", "-c", str(ini)], cwd=directory,
                                         stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        self._wait(120)
