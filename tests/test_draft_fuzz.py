"""Whatever the text, a draft either refuses it with a DraftError or writes a file that loads
and whose every span is in the text (hypothesis, over texts built from news-like pieces)."""

from __future__ import annotations

from pathlib import Path

from draft_util import PEOPLE, ROOT, registry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgpub.draft import run
from kgpub.draft.text import DraftError

PIECES = ["Anna Berg", "Jan Holm", "Norway", "Norwegian", "Oslo", "Sweden's", "the minister",
          "she", "he", "said", "told Nordic News", "added", "according to", "visited",
          "will meet", "talks", "summit", "on Monday", "yesterday", "May 6", "in June",
          "three days after", "strategic partner", "ally", "criticised", "not", "will",
          "made no mention of", "President", "Foreign Minister", "'", "\u2019s", ",", ".", ":",
          "\n\n", "\n", " -- ", "(Wire)", "OSLO", "2024", "1996-1997", "who took office in",
          "his Swedish counterpart,", '"We will deepen ties with Sweden,"',
          "\u201cour main strategic partner\u201d", "\u00abclosest ally\u00bb", "'yes'",
          "\u201cFirst part.\n\n\u201cSecond part.\u201d", '"', "\u201c"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60))
def test_a_draft_loads_or_is_refused(tmp_path: Path, pieces: list[str]) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Norway and Sweden talk again\n\n" + " ".join(pieces), encoding="utf-8")
    reg = tmp_path / "actors.yaml"
    reg.write_text(registry(*PEOPLE).model_dump_json(), encoding="utf-8")  # JSON is YAML
    out = tmp_path / "out" / "draft.yaml"
    out.parent.mkdir(exist_ok=True)
    try:
        run(article, date="2024-05-14", publisher="wire", registry=reg, out=out, root=ROOT)
    except DraftError as exc:
        assert str(exc) and "internal error" not in str(exc)
