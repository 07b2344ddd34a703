"""Shared fixtures: the repository root, a copy of a small hand-written project, the real build,
a running server, and a canary listener that no hostile input may reach."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_project(dest: Path, data: Path) -> Path:
    """A project directory: the given data/ plus the repository's ontology/ and shapes/."""
    shutil.copytree(data, dest / "data")
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    shutil.copytree(ROOT / "shapes", dest / "shapes")
    return dest


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "mini", FIXTURES / "mini" / "data")


@pytest.fixture
def real_project(tmp_path: Path) -> Path:
    """A writable copy of the real sources (without the committed dumps)."""
    dest = tmp_path / "real"
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("ttl"))
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    shutil.copytree(ROOT / "shapes", dest / "shapes")
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The real dataset, built once per test session into a temporary directory."""
    from kgpub.pipeline import build

    out = tmp_path_factory.mktemp("dumps")
    result = build(ROOT, out)
    return out, result


# One more report of the stance of tests/fixtures/many, disagreeing with the first one on the
# polarity and the attribution: a conflict for the lists and timelines to show.
SECOND_REPORT = """  stances:
    - holder: ruritania
      speaker: anna-brandt
      targets: [freedonia]
      type: StrategicPartner
      polarity: Neutral
      attribution: ReportedSpeech
      stated_on: 2020-03-04
      evidence: ["the first state visit of a Freedonian leader to Ruritania in a decade"]
"""


@pytest.fixture(scope="session")
def visit_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/many with SECOND_REPORT, built; the dumps directory."""
    from kgpub.pipeline import build

    root = copy_project(tmp_path_factory.mktemp("visit"), FIXTURES / "many" / "data")
    facts = root / "data/facts/fg-visit-held.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + SECOND_REPORT, encoding="utf-8")
    build(root)
    return root / "data/ttl"


@pytest.fixture(scope="session")
def store(built):
    from kgpub.query import load_store

    out, _ = built
    return load_store([out / "kgpub.nq"])


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children first), from Linux's /proc."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            children += [int(c) for c in (task / "children").read_text().split()]
    return children + [d for c in children for d in descendants(c)]


class RunningServer:
    """A `kgpub serve` subprocess on a free loopback port, with a temporary folder of its own
    (`tmpdir`, its TMPDIR), so that whatever it leaves there is seen, and never left in /tmp."""

    def __init__(self, args: list[str], log: Path, cwd: Path = ROOT,
                 new_session: bool = False, env: dict[str, str] | None = None) -> None:
        """`new_session`: run it in a session and process group of its own (pgid = its pid),
        so that a test can SIGKILL the server and its workers together with `os.killpg`."""
        import os
        import socket
        import subprocess
        import sys
        import tempfile

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.tmpdir = Path(tempfile.mkdtemp(prefix="tmp-", dir=log.parent))
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(self.tmpdir), **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kgpub.cli", "serve", "--port", str(self.port), *args],
            cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env,
            start_new_session=new_session,
        )

    def wait_ready(self, timeout: float = 120) -> RunningServer:
        import time

        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kgpub serve exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"kgpub serve did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; SIGKILL if it has not ended in 15 s.
        Returns the exit status (negative: the signal that ended it)."""
        import subprocess

        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def checkout_copy(dest: Path) -> Path:
    """The repository's project (kgpub.toml, sources, committed dumps, ontology, shapes,
    queries) in `dest`.

    Whatever a command does to a project, tests give it this copy: they never write into the
    checkout (a server finding the dumps stale would rebuild them in place).
    """
    for name in ("data", "ontology", "shapes", "queries"):  # as a clone has it: no build cache
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns(".kgpub-cache"))
    shutil.copy2(ROOT / "kgpub.toml", dest / "kgpub.toml")
    return dest


@pytest.fixture(scope="session")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the repository's project per session, for servers of the default dataset."""
    return checkout_copy(tmp_path_factory.mktemp("checkout") / "project")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, checkout: Path):
    """The default dataset served with small limits, so that tests can reach them quickly."""
    work = tmp_path_factory.mktemp("server")
    project = checkout
    srv = RunningServer(["--root", str(project), "--workers", "3", "--timeout", "3",
                         "--max-result-bytes", "400000"], work / "serve.log",
                        cwd=project).wait_ready()
    srv.project = project
    yield srv
    assert srv.stop() == 0, srv.log.read_text()[-2000:]
    assert not any(srv.tmpdir.iterdir()), "the server left its work directory behind"


class Canary:
    """A loopback TCP listener that answers nothing useful and records who connected."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.hits.append(conn.recv(4096) or b"(connected)")
                    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/ld+json\r\n\r\n"
                                 b'{"@context": {"name": "http://schema.org/name"}}')
                except OSError:
                    self.hits.append(b"(connected)")

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def canary():
    """A listener on loopback that no hostile input may reach (see Canary)."""
    c = Canary()
    yield c
    c.stop()
