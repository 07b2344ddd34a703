"""`kgpub init DIR`, then every command in the new project, as a user runs them: from inside it
and with --root from elsewhere; and init refusing a directory that is not empty."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from conftest import RunningServer

from kgpub.cli import main

MAREN = "https://w3id.org/kgpub/id/person/ilse-maren"
LABEL_QUERY = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
               f"SELECT ?label {{ <{MAREN}> rdfs:label ?label }}")


def kgpub(*args: str):
    return CliRunner().invoke(main, list(args))


def test_init_build_query_validate_serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = kgpub("init", "corpus", "--title", "Tessel river watch")
    assert result.exit_code == 0, result.output
    project = tmp_path / "corpus"
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) \
        == ["README.md", "data/actors.yaml", "data/articles/norland-daily-river-crossing.txt",
            "data/facts/norland-daily-river-crossing.yaml", "kgpub.toml"]
    assert 'title = "Tessel river watch"' in (project / "kgpub.toml").read_text(encoding="utf-8")

    monkeypatch.chdir(project / "data")  # inside the project: found by its kgpub.toml
    result = kgpub("build")
    assert result.exit_code == 0, result.output
    assert "conforms to the shapes" in result.output
    assert (project / "data" / "ttl" / "kgpub.nq").is_file()
    assert "Tessel river watch" in (project / "data/ttl/void.ttl").read_text(encoding="utf-8")

    result = kgpub("query", "--format", "csv", LABEL_QUERY)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["label", "Ilse Maren"]
    result = kgpub("conflicts", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["conflicts"] == []

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # outside any project: --root, or kgpub's own shapes
    assert kgpub("query", "--format", "csv", LABEL_QUERY).exit_code == 2
    result = kgpub("query", "--root", str(project), "--format", "csv", LABEL_QUERY)
    assert result.output.splitlines() == ["label", "Ilse Maren"]
    result = kgpub("validate", str(project / "data/ttl/kgpub.nq"))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    result = kgpub("build", "--root", str(project))
    assert result.exit_code == 0 and "nothing changed" in result.output

    log = tmp_path / "serve.log"
    server = RunningServer(["--workers", "1"], log, cwd=project).wait_ready()
    try:
        page = httpx.get(f"{server.url}/", timeout=30)
        assert page.status_code == 200
        assert "<title>Tessel river watch: linked data from news articles</title>" in page.text
        data = httpx.get(f"{server.url}/id/person/ilse-maren", follow_redirects=True,
                         headers={"Accept": "text/turtle"}, timeout=30)
        assert data.status_code == 200 and "Ilse Maren" in data.text
    finally:
        assert server.stop() == 0, log.read_text()[-2000:]
        shutil.rmtree(server.tmpdir, ignore_errors=True)


@pytest.mark.skipif(shutil.which("java") is None and not os.environ.get("CI"),
                    reason="Java is not installed (apt-get install openjdk-17-jre-headless)")
def test_check_runs_in_a_new_project(tmp_path: Path) -> None:
    project = tmp_path / "corpus"
    assert kgpub("init", str(project)).exit_code == 0
    assert kgpub("build", "--root", str(project)).exit_code == 0
    result = kgpub("check", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert "consistent" in result.output


def test_init_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("my notes", encoding="utf-8")
    result = kgpub("init", str(target))
    assert result.exit_code == 2
    assert f"error: {target}: not empty; kgpub init only writes into a new or empty" \
        in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]

    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    result = kgpub("init", str(afile))
    assert result.exit_code == 2 and "is not a directory" in result.output
    assert afile.read_text(encoding="utf-8") == "x"


def test_init_into_an_empty_directory_and_a_title_that_needs_escaping(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    title = 'The "Tessel" \\ watch\u0007'
    result = kgpub("init", str(target), "--title", title)
    assert result.exit_code == 0, result.output
    from kgpub.project import read_settings

    assert read_settings(target / "kgpub.toml").title == title
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no staging left


def test_draft_works_in_a_new_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`kgpub draft` reads its lexicons from kgpub's resources, the registry from the project."""
    project = tmp_path / "corpus"
    assert kgpub("init", str(project)).exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = kgpub("draft", "--root", str(project), "--date", "2025-05-06",
                   str(project / "data/articles/norland-daily-river-crossing.txt"))
    assert result.exit_code == 0, result.output
    assert "speaker: ilse-maren" in result.output
