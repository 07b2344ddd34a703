"""A draft, unedited, is loaded by `kgpub build` whenever its registry references exist: every
fixture article and both seed articles are drafted into a project and built (SHACL included)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kgpub.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "draft"
PROJECTS = sorted(p for s in ("dev", "heldout", "blind", "fresh", "fresh2", "fresh3", "fresh4",
                              "fresh5", "fresh6", "fresh7")
                  for p in (FIXTURES / s).iterdir() if p.is_dir())


def _project(tmp_path: Path, data: Path) -> Path:
    """A project with the fixture's registry and article, its facts directory left empty."""
    root = tmp_path / "project"
    shutil.copytree(data / "articles", root / "data" / "articles")
    (root / "data" / "facts").mkdir()
    shutil.copy(data / "actors.yaml", root / "data" / "actors.yaml")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "shapes", root / "shapes")
    return root


def _draft_into(root: Path, article: Path, *extra: str) -> None:
    out = root / "data" / "facts" / f"{article.stem}.yaml"
    result = CliRunner().invoke(main, ["draft", str(article), "--registry",
                                       str(root / "data" / "actors.yaml"), "--out", str(out),
                                       *extra])
    assert result.exit_code == 0, result.output


def _build(root: Path) -> str:
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out",
                                       str(root / "dumps")])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("fixture", PROJECTS, ids=lambda p: p.name)
def test_every_fixture_draft_builds(tmp_path: Path, fixture: Path) -> None:
    gold = next((fixture / "data" / "facts").glob("*.yaml"))
    meta = yaml.safe_load(gold.read_text(encoding="utf-8"))["article"]
    root = _project(tmp_path, fixture / "data")
    article = root / "data" / "articles" / f"{fixture.name}.txt"
    _draft_into(root, article, "--date", str(meta["date_published"]), "--publisher",
                meta["publisher"])
    output = _build(root)
    assert f"graph/article/{fixture.name}" in output


def test_seed_drafts_build_together(tmp_path: Path) -> None:
    """Both seeds drafted into one project: their event ids must not clash, shared facts
    must agree."""
    root = _project(tmp_path, ROOT / "data")
    articles = root / "data" / "articles"
    _draft_into(root, articles / "000_c46eb88096cda5ab.txt", "--date", "2017-11-29",
                "--publisher", "rferl")
    _draft_into(root, articles / "001_5e7dbe6340189ee7.txt", "--date", "2017-11-29")
    output = _build(root)
    assert "graph/article/000-c46eb88096cda5ab" in output
    assert "graph/article/001-5e7dbe6340189ee7" in output


def test_new_actors_accepted_then_drafted_again_build(tmp_path: Path) -> None:
    """The curator's round: unknown people are proposed, never referenced; once the proposals
    are in the registry, the next draft uses them and still builds."""
    fixture = FIXTURES / "dev" / "d4-kenya-somalia" / "data"
    root = _project(tmp_path, fixture)
    registry = root / "data" / "actors.yaml"
    known = yaml.safe_load(registry.read_text(encoding="utf-8"))
    known["entities"] = [e for e in known["entities"] if e["key"] not in (
        "hodan-warsame", "government-spokeswoman-of-somalia")]
    registry.write_text(yaml.safe_dump(known, allow_unicode=True), encoding="utf-8")
    article = root / "data" / "articles" / "d4-kenya-somalia.txt"
    proposals = tmp_path / "new-actors.yaml"
    _draft_into(root, article, "--date", "2024-08-12", "--new-actors", str(proposals))
    first = (root / "data" / "facts" / "d4-kenya-somalia.yaml").read_text(encoding="utf-8")
    assert "hodan-warsame" not in yaml.safe_dump(yaml.safe_load(first))
    _build(root)
    proposed = yaml.safe_load(proposals.read_text(encoding="utf-8"))["entities"]
    known["entities"] += proposed
    registry.write_text(yaml.safe_dump(known, allow_unicode=True), encoding="utf-8")
    _draft_into(root, article, "--date", "2024-08-12")
    second = yaml.safe_load(
        (root / "data" / "facts" / "d4-kenya-somalia.yaml").read_text(encoding="utf-8"))
    assert "hodan-warsame" in {q["speaker"] for q in second["facts"]["quotes"]}
    assert ("hodan-warsame", "government-spokeswoman-of-somalia") in {
        (t["person"], t.get("post")) for t in second["facts"]["tenures"]}
    _build(root)


def test_draft_agrees_with_curated_facts_already_in_the_project(tmp_path: Path) -> None:
    """Drafting the TCA article next to the curated RFE/RL file: the facts both articles state
    (quotes, stances, the tenure, the events) take the curated description, so the build's
    check that shared facts are described identically passes."""
    root = _project(tmp_path, ROOT / "data")
    shutil.copy(ROOT / "data" / "facts" / "rferl-28883735.yaml", root / "data" / "facts")
    _draft_into(root, root / "data" / "articles" / "001_5e7dbe6340189ee7.txt", "--date",
                "2017-11-29")
    drafted = (root / "data" / "facts" / "001_5e7dbe6340189ee7.yaml").read_text(encoding="utf-8")
    assert drafted.count("described as in rferl-28883735.yaml") >= 5
    assert "- id: 2017-11-24-inauguration-of-jeenbekov" in drafted  # the curated event id
    _build(root)
