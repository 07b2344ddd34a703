"""`kgpub draft` through the CLI: the draft on stdout or in --out, --new-actors, --evaluate, and
every kind of bad input refused with a clear message, a non-zero exit and no file touched."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kgpub.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "fixtures" / "draft" / "dev"
D4 = DEV / "d4-kenya-somalia" / "data"
ARTICLE = D4 / "articles" / "d4-kenya-somalia.txt"
REGISTRY = D4 / "actors.yaml"
SEED_A = ROOT / "data" / "articles" / "000_c46eb88096cda5ab.txt"


def draft(*args: str):
    return CliRunner().invoke(main, ["draft", *args], catch_exceptions=False)


def test_draft_to_stdout_is_a_facts_file_with_reasons() -> None:
    result = draft(str(ARTICLE), "--registry", str(REGISTRY), "--date", "2024-08-12")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Drafted by `kgpub draft`")
    data = yaml.safe_load(result.output)
    assert data["article"]["publisher"] == "east-africa-bulletin"  # from the dateline
    assert str(data["article"]["date_published"]) == "2024-08-12"
    speakers = {q["speaker"] for q in data["facts"]["quotes"]}
    assert speakers == {"wanjiru-kamau", "hodan-warsame"}
    assert "# confidence 0." in result.output
    flat = " ".join(line.lstrip("# ") for line in result.output.splitlines())
    assert '"the president": the last person with that title' in flat


def test_draft_out_and_new_actors(tmp_path: Path) -> None:
    registry = tmp_path / "actors.yaml"
    known = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    known["entities"] = [e for e in known["entities"] if e["key"] not in (
        "hodan-warsame", "government-spokeswoman-of-somalia")]
    registry.write_text(yaml.safe_dump(known), encoding="utf-8")
    out, new = tmp_path / "facts" / "d4.yaml", tmp_path / "new.yaml"
    out.parent.mkdir()
    result = draft(str(ARTICLE), "--registry", str(registry), "--date", "2024-08-12",
                   "--out", str(out), "--new-actors", str(new), "--id", "kenya-somalia",
                   "--url", "https://example.org/kenya")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    facts = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert facts["article"]["id"] == "kenya-somalia"
    assert facts["article"]["url"] == "https://example.org/kenya"
    assert facts["article"]["text"] == os.path.relpath(ARTICLE, out.parent)
    # The unknown spokeswoman is proposed, never referenced by the facts.
    proposed = yaml.safe_load(new.read_text(encoding="utf-8"))["entities"]
    assert {(e["key"], e["type"]) for e in proposed} >= {("hodan-warsame", "Person")}
    assert "hodan-warsame" not in yaml.safe_dump(facts)
    assert "#   speaker: hodan-warsame" in out.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]  # no temporary file left


def test_evaluate_prints_scores_per_kind() -> None:
    curated = D4 / "facts" / "d4-kenya-somalia.yaml"
    result = draft(str(ARTICLE), "--registry", str(REGISTRY), "--evaluate", str(curated))
    assert result.exit_code == 0, result.output
    for kind in ("actors", "quotes", "speakers", "tenures", "dates", "events", "stances"):
        assert f"| {kind} |" in result.output
    assert "| quotes | 1.00 | 1.00 | 1.00 | 5 | 0 | 0 |" in result.output


def _bad(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("content", "code", "message"), [
    (b"", 2, "the file is empty"),
    (b"  \n\n \n", 2, "the file is empty"),
    (b"Headline here\x00\x01\x02 binary", 2, "a NUL byte at byte offset 13"),
    ("A caf\u00e9 opens\n\nThe owner said it was good.".encode("latin-1"), 2,
     r"byte 0xE9 at byte offset 5 \(line 1"),
    ("Minister speaks\n\nThe minister said \u201cwe will win and never stop.\n\nShe left."
     .encode(), 1, r"unbalanced quotation marks: the \u201c at line 3, column 19"),
    (b"Report\n\n\"We stand firm,\" the minister said. He left\" early.", 1,
     r"the \" at line 3, column 44 .* closes a quotation that was never opened"),
    (b"1 2 3\n\n4 5 6\n\nXS\nSM\nMD", 1, "no recognisable sentences"),
])
def test_bad_articles_are_refused(tmp_path: Path, content: bytes, code: int,
                                  message: str) -> None:
    out = tmp_path / "draft.yaml"
    result = draft(str(_bad(tmp_path, content)), "--registry", str(REGISTRY), "--date",
                   "2024-08-12", "--publisher", "east-africa-bulletin", "--out", str(out))
    assert result.exit_code == code, result.output
    assert re.search(message, result.output), result.output
    assert result.output.startswith("error: ")
    assert not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--publisher", "east-africa-buletin"], "did you mean 'east-africa-bulletin'"),
    (["--publisher", "kenya"], "'kenya' is not a MediaOrganization"),
    (["--date", "2024-02-30"], "--date '2024-02-30' is not a date"),
    (["--id", "Bad Id"], "--id 'Bad Id' is not a key"),
    (["--url", "ftp://x"], "--url 'ftp://x' is not an http"),
])
def test_bad_options_are_refused(args: list[str], message: str) -> None:
    result = draft(str(ARTICLE), "--registry", str(REGISTRY), "--date", "2024-08-12", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_no_date_and_no_publisher_say_what_to_give() -> None:
    result = draft(str(SEED_A))  # no dateline, no date anywhere in the text
    assert result.exit_code == 2
    assert "give --date YYYY-MM-DD" in result.output
    result = draft(str(SEED_A), "--date", "2017-11-29")
    assert result.exit_code == 2
    assert "give --publisher KEY" in result.output


def test_a_file_kgpub_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("my own curation\n", encoding="utf-8")
    result = draft(str(ARTICLE), "--registry", str(REGISTRY), "--date", "2024-08-12",
                   "--out", str(out))
    assert result.exit_code == 1
    assert "was not written by kgpub draft" in result.output
    assert out.read_text(encoding="utf-8") == "my own curation\n"


def test_a_previous_draft_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "d4.yaml"
    for _ in range(2):
        result = draft(str(ARTICLE), "--registry", str(REGISTRY), "--date", "2024-08-12",
                       "--out", str(out))
        assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("# Drafted by `kgpub draft`") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d4.yaml"]
