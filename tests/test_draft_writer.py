"""The YAML the draft writes: any text survives the trip through kgpub's own YAML reader, items
carry their reasons, and what is not sure enough or waits for a new actor is commented out."""

from __future__ import annotations

from pathlib import Path

import yaml
from draft_util import PEOPLE, draft
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kgpub.draft.writer import quoted, render_facts, scalar
from kgpub.model import ArticleFile
from kgpub.sources import read_yaml


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("line\u2028separator, paragraph\u2029separator, next\x85line, \ufeffbom")
@example('quote " backslash \\ tab \t newline \n nul \x00 \ud7ff \ue000 \U0001f600')
def test_any_text_reads_back_exactly(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("q") / "t.yaml"
    path.write_text(f"value: {quoted(text)}\nplain: {scalar(text)}\n", encoding="utf-8")
    data, _ = read_yaml(path)
    assert data == {"value": text, "plain": text}


def test_keys_and_dates_are_plain_and_numbers_stay_strings() -> None:
    assert [scalar(v) for v in ("kyrgyzstan", "2017-11-24", "1999", "yes", "a b")] == [
        "kyrgyzstan", "2017-11-24", '"1999"', '"yes"', '"a b"']


def test_pending_and_unsure_items_are_commented_out_and_the_file_loads(tmp_path: Path) -> None:
    text = ('Nordic talks go on\n\n"We object," spokesman Per Lund told reporters on Monday. '
            '"We agree," Anna Berg said.')
    d = draft(text, *PEOPLE)
    d.quotes[1].confidence = 0.3
    content = render_facts(d, "article.txt")
    assert "#   speaker: per-lund" in content
    flat = " ".join(line.strip().lstrip("# ") for line in content.splitlines())
    assert "Needs per-lund in the registry" in flat
    assert "Below the threshold: check before accepting." in flat
    assert "  quotes: []" in content
    path = tmp_path / "draft.yaml"
    path.write_text(content, encoding="utf-8")
    model = ArticleFile.model_validate(read_yaml(path)[0])
    assert model.facts.quotes == []
    assert yaml.safe_load(content)["article"]["publisher"] == "wire"
