"""The settings table drives `kgpub serve --help` and the README; a test keeps them in step."""

from __future__ import annotations

from dataclasses import fields

import httpx
from click.testing import CliRunner
from conftest import ROOT, RunningServer

from kgpub.cli import main
from kgpub.web.settings import ServeSettings, setting_help


def test_every_setting_is_an_option_and_documented() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    for f in fields(ServeSettings):
        option = "--" + f.name.replace("_", "-")
        assert option in result.output, option
        assert f"`{option}" in readme, f"{option} is not in the README's settings table"
        if f.name != "base_iri":
            assert f"`{option}`" in security, f"{option} is not in SECURITY.md's limits table"
        assert setting_help()[f.name]


def test_serve_refuses_missing_data_file(tmp_path) -> None:
    result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 2
    assert "nope.ttl" in result.output and "no such file" in result.output


# Values each setting must refuse; every setting has a row, so a new one needs its check.
OUT_OF_RANGE = {
    "base_iri": ["ftp://example.org/", "example.org/kg/", "http://example.org/kg?x=1",
                 "http://example.org/kg#", "http://exa mple.org/", "urn:x:"],
    "workers": ["0", "-1"],
    "timeout": ["0", "-2", "nan", "inf"],
    "max_workers": ["-1"],
    "slow_after": ["-1", "nan"],
    "worker_memory": ["-1"],
    "max_result_bytes": ["0"],
    "max_body_bytes": ["0"],
    "max_waiting": ["-1"],
    "max_connections": ["0"],
    "queue_timeout": ["0", "inf"],
    "max_query_depth": ["0"],
    "service_allowlist": ["not an iri", "file:///etc/passwd"],
    "default_graph": ["union", ""],
}


def test_every_setting_refuses_values_outside_its_range(tmp_path) -> None:
    assert set(OUT_OF_RANGE) == {f.name for f in fields(ServeSettings)}
    missing = str(tmp_path / "never-read.ttl")  # reached only if a value slipped through
    for name, values in OUT_OF_RANGE.items():
        option = "--" + name.replace("_", "-")
        for value in values:
            result = CliRunner().invoke(main, ["serve", "--data", missing, f"{option}={value}"])
            assert result.exit_code == 2, (option, value, result.output)
            assert result.output.startswith(f"error: {option} "), (option, value, result.output)
            assert len(result.output.strip().splitlines()) == 1, result.output
    result = CliRunner().invoke(main, ["serve", "--data", missing, "--port", "99999"])
    assert result.exit_code == 2 and "--port" in result.output and "Traceback" not in result.output


def test_a_base_iri_without_its_slash_is_completed(tmp_path) -> None:
    data = tmp_path / "kg.ttl"
    data.write_text("<http://example.org/kg/id/a> <http://example.org/kg/p> "
                    "<http://example.org/kgfoo> .\n", encoding="utf-8")
    srv = RunningServer(["--data", str(data), "--workers", "1",
                         "--base-iri", "http://example.org/kg"], tmp_path / "log").wait_ready()
    try:
        found = httpx.get(srv.url + "/id/a", headers={"Accept": "text/turtle"})
        assert found.status_code == 303 and found.headers["location"].startswith("/data/id/a")
        assert httpx.get(srv.url + "/foo").status_code == 404  # not <http://example.org/kgfoo>
    finally:
        srv.stop()
    assert "serving http://example.org/kg/" in (tmp_path / "log").read_text()
