"""Faults: `kgpub build` and `kgpub serve --store` killed with SIGKILL at awkward moments.

A build killed at any moment must leave the previous dumps complete (each file old or new, never
half of one) and nothing extra visible; the next build must succeed and clean up. A server on an
on-disk store killed under load must come back with all its data and without reloading it; one
killed while loading must load again; and its query workers must not outlive it.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import ROOT, RunningServer

from kgpub.builder.cache import CACHE_NAME
from kgpub.manifest import MANIFEST_NAME
from kgpub.outputs import Output, publish_outputs
from kgpub.web.dumps import index
from kgpub.web.loading import FINGERPRINT, LOADING, prepare_disk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc and relies on Linux process semantics")

ACTORS = "data/actors.yaml"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^11 rows
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG,
           ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD}


# ------------------------------------------------------------------------------ helpers


def _hashes(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.iterdir()) if not p.name.startswith(".") and p.is_file()}


def _temporaries(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")}


def _parses(path: Path) -> None:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)  # raises on a truncated member
    fmt = FORMATS[Path(path.name.removesuffix(".gz")).suffix]
    assert list(ox.parse(data, format=fmt)), path.name


def _start_build(project: Path, out: Path | None = None,
                 kill_at: tuple[str, int] | None = None) -> subprocess.Popen:
    """`kgpub build`, or (`kill_at`) one that SIGKILLs itself at an exact point of publishing."""
    extra = ["--out", str(out)] if out else []
    runner = ["-m", "kgpub.cli"] if kill_at is None else [
        str(Path(__file__).with_name("kill_at.py")), kill_at[0], str(kill_at[1])]
    return subprocess.Popen(
        [sys.executable, *runner, "build", "--root", str(project), *extra],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen, timeout: float = 120) -> None:
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err.decode(errors="replace")


def _kill(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.communicate(timeout=30)


def _processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, process group) of every live (non-zombie) process."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] not in "ZX":
            found[int(entry)] = (int(fields[1]), int(fields[2]))
    return found


def _group(pgid: int) -> set[int]:
    return {pid for pid, (_, group) in _processes().items() if group == pgid}


def _wait_gone(pids: set[int], timeout: float) -> set[int]:
    """The pids still alive after `timeout` seconds (empty when all exited)."""
    deadline = time.monotonic() + timeout
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive &= set(_processes())
    return alive


def _kill_group(srv: RunningServer) -> None:
    """SIGKILL the server and everything it started, and wait until they are gone."""
    members = _group(srv.proc.pid) | {srv.proc.pid}
    with contextlib.suppress(ProcessLookupError):
        os.killpg(srv.proc.pid, signal.SIGKILL)
    srv.proc.wait(30)
    assert not _wait_gone(members, 10)


def _select(srv: RunningServer, query: str, timeout: float = 30) -> list[dict]:
    response = httpx.get(srv.url + "/sparql", params={"query": query},
                         headers={"Accept": "application/sparql-results+json"}, timeout=timeout)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def _count(srv: RunningServer) -> int:
    return int(_select(srv, COUNT_ALL)[0]["n"]["value"])


# ------------------------------------------------------------------------------ the build


def test_build_killed_at_any_moment_keeps_complete_dumps(real_project: Path) -> None:
    out = real_project / "data" / "ttl"
    _finish(_start_build(real_project))
    first = _hashes(out)
    first_bytes = {name: (out / name).read_bytes() for name in first}
    umask = os.umask(0o022)
    os.umask(umask)
    for name in first:  # readable by whoever serves them, not mkstemp's owner-only 0600
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~umask, name

    # A source edit, so that each killed build has new versions to write over the old ones.
    actors = real_project / ACTORS
    original = actors.read_text(encoding="utf-8")
    edited = original.replace("      - Jeenbekov\n", "      - Jeenbekov\n      - S. Jeenbekov\n",
                              1)
    assert edited != original
    actors.write_text(edited, encoding="utf-8")
    # The new version, built elsewhere; timed, as the killed builds will run just like it.
    started = time.monotonic()
    _finish(_start_build(real_project, real_project.parent / "second"))
    duration = time.monotonic() - started
    second = _hashes(real_project.parent / "second")
    assert set(second) == set(first) and second != first
    parsed: set[str] = set()

    def restore_first() -> None:
        for name, digest in _hashes(out).items():
            if digest != first[name]:
                (out / name).write_bytes(first_bytes[name])

    def check(before: set[str]) -> str:
        """Every published file complete, old or new; say where the kill landed."""
        assert set(_hashes(out)) == set(first)
        assert set(index(list(out.iterdir()))) == set(first)  # what /dumps/ would serve
        assert all(n.startswith(".") and n.endswith(".tmp")
                   for n in os.listdir(out) if n not in first
                   and n not in (MANIFEST_NAME, CACHE_NAME))
        now = _hashes(out)
        for name, digest in now.items():
            assert digest in (first[name], second[name]), f"{name} is neither version"
            if digest not in parsed:
                _parses(out / name)
                parsed.add(digest)
        new = sum(now[n] != first[n] for n in now if first[n] != second[n])
        changed = sum(first[n] != second[n] for n in first)
        if 0 < new < changed:
            return "renaming (some files new)"
        if _temporaries(out) - before:
            return "writing (temporary files left)"
        return "all new" if new else "before writing"

    landed = []
    for fraction in (0.3, 0.8):
        restore_first()
        before = _temporaries(out)
        proc = _start_build(real_project)
        time.sleep(fraction * duration)
        _kill(proc)
        landed.append((fraction, check(before)))

    # Kills at exact points: half-way through a temporary file, and between two renames.
    changed = sum(first[n] != second[n] for n in first)
    assert changed >= 2
    exact = []
    # After the first rename, in the middle and before the last: each leaves old and new mixed.
    renames = sorted({1, changed // 2, changed - 1})
    # Write 12: inside the writing whether the whole files are spliced from the ones in place
    # (23 writes in all for this edit) or made from every piece (65): which of the two a build
    # takes depends on where the timed kills above landed.
    for phase, n in [("write", 1), ("write", 12), *(("rename", k) for k in renames)]:
        restore_first()
        before = _temporaries(out)
        proc = _start_build(real_project, kill_at=(phase, n))
        proc.communicate(timeout=120)
        assert proc.returncode == -signal.SIGKILL, (phase, n, proc.returncode)
        exact.append((phase, n, check(before)))
    print(f"\nbuild {duration:.2f} s; timed kills: {landed}; exact kills: {exact}")
    assert [w for p, _, w in exact if p == "write"] == ["writing (temporary files left)"] * 2
    assert all(w == "renaming (some files new)" for p, _, w in exact if p == "rename")
    assert _temporaries(out)

    # The next build cleans up and publishes the new version; the old sources give the old bytes.
    _finish(_start_build(real_project))
    assert _hashes(out) == second and not _temporaries(out)
    assert sorted(os.listdir(out)) == sorted([*first, MANIFEST_NAME, CACHE_NAME])
    actors.write_text(original, encoding="utf-8")
    _finish(_start_build(real_project))
    assert {name: (out / name).read_bytes() for name in first} == first_bytes


def test_concurrent_writers_take_turns_and_leave_no_temporaries(tmp_path: Path) -> None:
    """Each writer removes stale temporary files: without the lock, one would remove another's."""
    out = tmp_path / "out"
    out.mkdir()
    (out / ".kgpub.nq.0123456789ab.tmp").write_bytes(b"<a> <b> <c")  # left by a killed build
    (out / ".keep").write_bytes(b"")  # other hidden files are not ours to remove
    versions = [[Output(f"f{i}.nq",
                        data=f"<http://x/{v}> <http://x/p> \"{i}\" .\n".encode() * 2000)
                 for i in range(10)] for v in range(6)]
    errors: list[BaseException] = []

    def write(files: list[Output]) -> None:
        try:
            for _ in range(5):
                publish_outputs(files, out)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(v,)) for v in versions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(os.listdir(out)) == [".keep", MANIFEST_NAME,
                                       *sorted(f"f{i}.nq" for i in range(10))]
    contents = {(out / f"f{i}.nq").read_bytes() for i in range(10)}
    assert contents <= {f.data for v in versions for f in v}


# ------------------------------------------------------------------------------ the server


def _load(srv: RunningServer, stop: threading.Event, answered: list[int],
          failures: list[str]) -> None:
    queries = [COUNT_ALL, (ROOT / "queries" / "cq01.rq").read_text(encoding="utf-8"),
               "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 500"]
    with httpx.Client(timeout=30) as client:
        i = 0
        while not stop.is_set():
            try:
                response = client.get(srv.url + "/sparql", params={"query": queries[i % 3]},
                                      headers={"Accept": "application/sparql-results+json"})
            except httpx.HTTPError:
                return  # the server is gone
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:200]}")
            answered.append(1)
            i += 1


def test_store_server_killed_under_load_restarts_with_all_data(built, tmp_path: Path) -> None:
    out, result = built
    store = tmp_path / "store"
    args = ["--data", str(out / "kgpub.nq"), "--store", str(store), "--workers", "2"]
    srv = RunningServer(args, tmp_path / "first.log", new_session=True).wait_ready()
    try:
        total = _count(srv)
        assert total == result.total
        marker = store / FINGERPRINT
        loaded = (marker.read_bytes(), marker.stat().st_mtime_ns)
        stop, answered, failures = threading.Event(), [], []
        clients = [threading.Thread(target=_load, args=(srv, stop, answered, failures))
                   for _ in range(6)]
        for t in clients:
            t.start()
        deadline = time.monotonic() + 30
        while len(answered) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(answered) >= 30 and not failures, failures
        assert len(_group(srv.proc.pid)) >= 3  # the server and its workers
        _kill_group(srv)
        stop.set()
        for t in clients:
            t.join(30)
    finally:
        _kill_group(srv)

    started = time.monotonic()
    again = RunningServer(args, tmp_path / "second.log", new_session=True).wait_ready()
    try:
        restart = time.monotonic() - started
        assert _count(again) == total
        assert len(_select(again, (ROOT / "queries" / "cq01.rq").read_text())) >= 2
    finally:
        again.stop()
    log = (tmp_path / "second.log").read_text()
    assert "not reloaded" in log, log
    assert (marker.read_bytes(), marker.stat().st_mtime_ns) == loaded
    print(f"\n{len(answered)} queries answered before the kill; restart {restart:.2f} s")


def _load_begun(store: Path) -> bool:
    return (store / LOADING).exists()


def _bulk_loading(store: Path) -> bool:
    """Oxigraph's bulk loader writes `bulk-*.sst` files into the store while it loads."""
    return store.is_dir() and any(n.startswith("bulk-") for n in os.listdir(store))


@pytest.mark.parametrize("moment", [_load_begun, _bulk_loading], ids=["claimed", "bulk-load"])
def test_store_load_killed_midway_is_redone(tmp_path: Path, moment) -> None:
    # Enough quads (13 MB) that the bulk load takes about a second: a wide, observable window.
    data = tmp_path / "big.nq"
    quads = 150_000
    with data.open("w", encoding="utf-8") as fh:
        for i in range(quads):
            fh.write(f'<http://x/s{i}> <http://x/p{i % 50}> "value {i}" <http://x/g{i % 7}> .\n')
    args = ["--data", str(data), "--workers", "1"]
    for attempt in range(1, 6):
        store = tmp_path / f"store{attempt}"
        srv = RunningServer([*args, "--store", str(store)], tmp_path / f"kill{attempt}.log",
                            new_session=True)
        try:
            deadline = time.monotonic() + 60
            while srv.proc.poll() is None and time.monotonic() < deadline:
                if moment(store):
                    break
                time.sleep(0.001)
        finally:
            _kill_group(srv)
        if moment(store) and not (store / FINGERPRINT).exists():
            break
    else:
        pytest.fail("no kill landed during the load")
    print(f"\nkilled at attempt {attempt}: {len(os.listdir(store))} entries in the store")
    started = time.monotonic()
    again = RunningServer([*args, "--store", str(store)], tmp_path / "again.log",
                          new_session=True).wait_ready()
    try:
        print(f"reload and start: {time.monotonic() - started:.2f} s")
        assert _count(again) == quads
    finally:
        again.stop()
    log = (tmp_path / "again.log").read_text()
    assert f"store {store}: loaded" in log, log
    assert json.loads((store / FINGERPRINT).read_text())["fingerprint"]
    assert not (store / LOADING).exists()


def _named_quads(location: Path) -> int:
    """The quads of the named graphs (the default graph holds their union as a set besides)."""
    return sum(1 for q in ox.Store.read_only(str(location))
               if not isinstance(q.graph_name, ox.DefaultGraph))


def test_a_store_killed_while_rocksdb_created_it_is_loaded_afresh(built, tmp_path: Path) -> None:
    """RocksDB refuses a directory with a log but no CURRENT file, which a kill at the very
    start of a load leaves; and a fingerprint cut short must mean "reload", not a crash."""
    out, result = built
    store = tmp_path / "store"
    half = ox.Store(str(store))
    half.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"),
                     ox.NamedNode("http://x/o"), ox.NamedNode("http://x/g")))
    del half
    (store / "CURRENT").unlink()
    (store / LOADING).write_text("{}")
    loaded = prepare_disk([out / "kgpub.nq"], store, tmp_path)
    assert loaded.loaded_now and _named_quads(store) == result.total

    (store / FINGERPRINT).write_text('{"fingerprint": "ab')  # torn write
    loaded = prepare_disk([out / "kgpub.nq"], store, tmp_path)
    assert loaded.loaded_now and _named_quads(store) == result.total
    assert not prepare_disk([out / "kgpub.nq"], store, tmp_path).loaded_now


@pytest.mark.parametrize("mode", ["store", "memory"])
def test_workers_do_not_outlive_a_killed_server(built, tmp_path: Path, mode: str) -> None:
    """An idle worker sees end-of-file; a busy one must be killed by the kernel (PDEATHSIG)."""
    out, _ = built
    args = ["--data", str(out / "kgpub.nq"), "--workers", "2", "--timeout", "120"]
    if mode == "store":
        args += ["--store", str(tmp_path / "store")]
    srv = RunningServer(args, tmp_path / "serve.log", new_session=True).wait_ready()
    try:
        def slow() -> None:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(srv.url + "/sparql", params={"query": SLOW}, timeout=60)

        threading.Thread(target=slow, daemon=True).start()
        deadline = time.monotonic() + 20
        while httpx.get(srv.url + "/healthz", timeout=5).json()["running"] < 1:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.3)  # the worker is inside the query now
        workers = _group(srv.proc.pid) - {srv.proc.pid}
        assert len(workers) >= 2
        srv.proc.kill()  # the server only: its workers must notice by themselves
        srv.proc.wait(30)
        survivors = _wait_gone(workers, 10)
        assert not survivors, f"orphaned workers still running: {survivors}"
    finally:
        _kill_group(srv)
