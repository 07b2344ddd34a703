"""`kgpub build` through the CLI: success, and each kind of bad input refused, old dumps kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgpub.cli import main

A = "data/facts/rferl-28883735.yaml"
B = "data/facts/tca-20171129-jeenbekov-visit-russia.yaml"


def run_build(project: Path, out: Path):
    return CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(out)])


@pytest.fixture
def published(real_project: Path, tmp_path: Path) -> Path:
    """A dumps directory holding a previous build, to check that failures leave it alone."""
    out = tmp_path / "published"
    result = run_build(real_project, out)
    assert result.exit_code == 0, result.output
    return out


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def edit(project: Path, rel: str, pattern: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    changed, n = re.subn(pattern, new, text, count=1, flags=re.MULTILINE)
    assert n == 1, f"{pattern!r} not found in {rel}"
    path.write_text(changed, encoding="utf-8")


def test_build_succeeds_and_reports_graphs(real_project: Path, tmp_path: Path) -> None:
    result = run_build(real_project, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "conforms to the shapes" in result.output
    assert "https://w3id.org/kgpub/graph/article/rferl-28883735" in result.output
    assert (tmp_path / "out" / "kgpub.trig").stat().st_size > 10_000


BAD_INPUTS = {
    "malformed YAML": (A, r"^facts:\n", "facts:\n  quotes: [unclosed\n", r"malformed YAML"),
    "unknown actor": (A, r"holder: kyrgyzstan", "holder: kyrgyzstann",
                      r"unknown holder 'kyrgyzstann'.*did you mean 'kyrgyzstan'"),
    "bad date": (B, r"uttered_on: 2017-11-28", "uttered_on: 2017-11-31",
                 r"uttered_on: .*day"),
    "quote not in article": (A, r"main strategic partner", "main strategic ally",
                             r"not found verbatim in data/articles/000_c46eb88096cda5ab.txt"),
    "unknown stance type": (A, r"type: MainStrategicPartner", "type: BestFriend",
                            r"unknown stance type 'BestFriend'"),
    "duplicate ids": (B, r"^  events:\n", "  events:\n    - id: dup-event\n      label: X\n"
                      "      actors: [russia]\n      status: Occurred\n      evidence: [Minsk]\n"
                      "    - id: dup-event\n      label: Y\n      actors: [russia]\n"
                      "      status: Occurred\n      evidence: [Belarus]\n",
                      r"duplicate id 'dup-event'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_dumps_untouched(
    case: str, real_project: Path, published: Path
) -> None:
    rel, pattern, new, expected = BAD_INPUTS[case]
    before = snapshot(published)
    edit(real_project, rel, pattern, new)
    result = run_build(real_project, published)
    assert result.exit_code == 1, result.output
    assert re.search(expected, result.output), result.output
    assert re.search(rf"{re.escape(rel)}:\d+:", result.output), "error must name file and line"
    assert "Traceback" not in result.output
    assert snapshot(published) == before


def test_missing_article_text(real_project: Path, published: Path) -> None:
    before = snapshot(published)
    (real_project / "data/articles/001_5e7dbe6340189ee7.txt").unlink()
    result = run_build(real_project, published)
    assert result.exit_code == 1
    assert f"{B}" in result.output and "not found" in result.output
    assert snapshot(published) == before


def test_shape_violation_blocks_the_dumps(real_project: Path, published: Path) -> None:
    """A graph that loads but breaks a shape (strength out of range) writes nothing."""
    before = snapshot(published)
    shapes = real_project / "shapes"
    extra = shapes / "zz-extra.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kgp: <https://w3id.org/kgpub/ontology#> .\n"
        "<urn:test:no-stances> a sh:NodeShape ; sh:targetClass kgp:Stance ;\n"
        "  sh:property [ sh:path kgp:stanceHolder ; sh:maxCount 0 ;\n"
        "                sh:message \"test: stances are forbidden here\" ] .\n",
        encoding="utf-8")
    result = run_build(real_project, published)
    assert result.exit_code == 1
    assert "SHACL validation failed; no dumps were written" in result.output
    assert "test: stances are forbidden here" in result.output
    assert snapshot(published) == before
