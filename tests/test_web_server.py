"""`kgpub serve` as a service: stopped by SIGTERM (systemd, Docker, Kubernetes) or Ctrl-C, it
shuts down gracefully, stops its workers and removes its work directory."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from conftest import RunningServer, descendants


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_server_exits_0_and_leaves_nothing(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "mine.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
                    encoding="utf-8")
    srv = RunningServer(["--data", str(data), "--workers", "2"], tmp_path / "log").wait_ready()
    processes = descendants(srv.proc.pid)
    work = [p.name for p in srv.tmpdir.iterdir()]
    assert len(processes) >= 3 and work[0].startswith("kgpub-serve-"), (processes, work)
    srv.proc.send_signal(signum)
    assert srv.proc.wait(30) == 0, (tmp_path / "log").read_text()
    assert not any(srv.tmpdir.iterdir()), "the work directory was left behind"
    assert all(_gone(pid) for pid in processes), "a worker outlived the server"
    assert "Traceback" not in (tmp_path / "log").read_text()
