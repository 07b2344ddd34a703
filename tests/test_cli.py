"""The CLI as a whole: every option a message or a document mentions exists; every error is
one line and a non-zero exit."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import ROOT

from kgpub.cli import main

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
# Options of other programs that the documents show beside kgpub's, and why they are there.
OTHER_PROGRAMS = {
    "--data-urlencode": "curl, in the README's query example",
    "--union-default-graph": "oxigraph serve, the baseline of bench/",
    "--location": "oxigraph serve, in the README's publish example",
    "--bind": "oxigraph serve, in the README's publish example",
    "--zygote": "the query worker's own argument (src/kgpub/web/worker.py, pool.py)",
}


def kgpub_options() -> set[str]:
    found = {"--help", "--version"}
    for command in main.commands.values():
        for param in command.params:
            if isinstance(param, click.Option):
                found.update(o for o in param.opts + param.secondary_opts if o.startswith("--"))
    return found


def bench_options() -> set[str]:
    found: set[str] = set()
    for script in (ROOT / "bench").glob("*.py"):
        found.update(re.findall(r"add_argument\(\s*\"(--[a-z0-9-]+)\"", script.read_text()))
    return found


def test_every_option_mentioned_in_messages_and_documents_exists() -> None:
    known = kgpub_options() | bench_options() | set(OTHER_PROGRAMS)
    texts = [ROOT / "README.md", ROOT / "SECURITY.md", ROOT / "bench" / "README.md",
             *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "src").rglob("*.py"))]
    unknown = []
    for path in texts:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            unknown += [f"{path.relative_to(ROOT)}:{number}: {option}"
                        for option in OPTION.findall(line) if option not in known]
    assert not unknown, "options that no command has:\n" + "\n".join(unknown)


# -- every error is one line and a non-zero exit ------------------------------------------------

def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    lines = result.output.strip().splitlines()
    assert lines and lines[-1].startswith("error: "), result.output
    return lines[-1]


def test_a_directory_that_cannot_be_made_is_one_line(mini_project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n")
    result = CliRunner().invoke(main, ["build", "--root", str(mini_project),
                                       "--out", str(blocker / "dumps")])
    assert str(blocker / "dumps") in one_line_error(result, 2)
    data = tmp_path / "mine.nt"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    result = CliRunner().invoke(main, ["serve", "--data", str(data), "--port", "0",
                                       "--store", str(blocker / "store")])
    assert str(blocker / "store") in one_line_error(result, 2)


@pytest.mark.skipif(shutil.which("java") is None, reason="kgpub check needs Java")
def test_an_output_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n")
    data = tmp_path / "mine.nt"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    target = blocker / "inferred.ttl"
    result = CliRunner().invoke(main, ["check", str(data), "--materialize", str(target)])
    line = one_line_error(result, 2)
    assert str(target) in line and ".tmp" not in line, line


def test_an_unexpected_failure_is_one_line_too(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    import kgpub.query

    def broken(files):
        raise RuntimeError("something kgpub did not expect")

    monkeypatch.setattr(kgpub.query, "load_store", broken)
    monkeypatch.delenv("KGPUB_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["query", "ASK {}"])
    line = one_line_error(result, 1)
    assert "something kgpub did not expect" in line and "KGPUB_DEBUG=1" in line, line
    monkeypatch.setenv("KGPUB_DEBUG", "1")
    result = CliRunner().invoke(main, ["query", "ASK {}"])
    assert isinstance(result.exception, RuntimeError)  # the traceback, for whoever debugs it


def test_help_and_usage_errors_stay_clicks() -> None:
    for name in main.commands:
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, (name, result.output)
    result = CliRunner().invoke(main, ["query"])
    assert result.exit_code == 2 and "Missing argument" in result.output
