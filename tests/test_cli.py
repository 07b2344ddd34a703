"""The CLI as a whole: every option a message or a document mentions exists."""

from __future__ import annotations

import re

import click
from conftest import ROOT

from kgpub.cli import main

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
# Options of other programs that the documents show beside kgpub's, and why they are there.
OTHER_PROGRAMS = {
    "--data-urlencode": "curl, in the README's query example",
    "--union-default-graph": "oxigraph serve, the baseline of bench/",
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
