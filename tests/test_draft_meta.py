"""The article's metadata as the text shows it: datelines in capitals or in title case."""

from __future__ import annotations

from draft_util import PEOPLE, draft

from kgpub.draft.meta import dateline, headline
from kgpub.draft.text import build_document


def found(text: str) -> str | None:
    doc = build_document(text)
    hit = dateline(doc, headline(doc))
    return hit[0] if hit else None


def test_title_case_datelines_in_a_masthead_line_or_opening_the_prose() -> None:
    assert found("Nordic talks go on\n\nBy Per Lund\nThe Wire, Oslo, Friday 10 May 2024\n\n"
                 "Norway and Sweden met.") == "Oslo, Friday 10 May 2024"
    assert found("Nordic talks go on\n\nThe Wire, Oslo \u2014 Friday, May 10, 2024\n\n"
                 "Norway and Sweden met.") == "Oslo \u2014 Friday, May 10, 2024"
    assert found("Nordic talks go on\n\nOslo \u2013 Norway and Sweden met on Friday.") == "Oslo"
    assert found("Nordic talks go on\n\nOslo, 10 May 2024 \u2013 Norway and Sweden met.") == \
        "Oslo, 10 May 2024"
    assert found("Nordic talks go on\n\nNorway and Sweden met on Friday.") is None


def test_a_title_case_dateline_counts_only_when_it_names_a_known_place() -> None:
    d = draft("Nordic talks go on\n\nOslo \u2013 Norway and Sweden met on Friday.", *PEOPLE)
    assert (d.info.dateline, d.info.location_created) == ("Oslo", "oslo")
    d = draft("Nordic talks go on\n\nBergen \u2013 Norway and Sweden met on Friday.", *PEOPLE)
    assert (d.info.dateline, d.info.location_created) == (None, None)
