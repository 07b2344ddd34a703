"""Dates resolved against the publication date, each with its rule; the unresolvable left as
text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from draft_util import PEOPLE, draft

from kgpub.draft.dates import find_dates
from kgpub.draft.lexicon import load_lexicon
from kgpub.draft.quotes import find_quotations
from kgpub.draft.text import build_document, split_sentences

ROOT = Path(__file__).resolve().parents[1]


def dates(text: str, published: str | None = "2024-05-14"):  # a Tuesday
    doc = build_document(text)
    quotes, _ = find_quotations(doc)
    doc.sentences = split_sentences(doc, [q.outer for q in quotes])
    future = [c for c in load_lexicon(ROOT).status if c.concept == "Scheduled"]
    reference = dt.date.fromisoformat(published) if published else None
    return [(d.text, d.value) for d in find_dates(doc, reference, future)]


@pytest.mark.parametrize(("text", "expected"), [
    ("It opened on March 4, 2020.", [("March 4, 2020", "2020-03-04")]),
    ("It opened on 4 March 2020.", [("4 March 2020", "2020-03-04")]),
    ("Talks began on May 2.", [("May 2", "2024-05-02")]),
    ("He was elected in September.", [("September", "2023-09")]),
    ("They will meet in June.", [("June", "2024-06")]),
    ("He said so today and yesterday.", [("today", "2024-05-14"), ("yesterday", "2024-05-13")]),
    ("He spoke on Friday.", [("on Friday", "2024-05-10")]),
    ("He will speak on Friday.", [("on Friday", "2024-05-17")]),
    ("She said on Tuesday that talks would start.", [("on Tuesday", "2024-05-14")]),
    ("It happened last month; it ends next year.", [("last month", "2024-04"),
                                                    ("next year", "2025")]),
    ("The summit is next week.", [("next week", None)]),
    ("Three days ago he left.", [("Three days ago", "2024-05-11")]),
    ("He gave an interview three days after his inauguration on May 6.", [
        ("three days after his inauguration on May 6", "2024-05-09"), ("May 6", "2024-05-06")]),
    ("The talks come a month after he hosted a state visit.", [
        ("a month after he hosted a state visit", "2024-04")]),
    ("It was recorded two days before publication.", [
        ("two days before publication", "2024-05-12")]),
    ("He worked there from 1996-1997 and in 2001.", [("1996-1997", "1996"), ("2001", "2001")]),
])
def test_resolved_against_the_publication_date(text: str, expected: list) -> None:
    assert dates(text) == expected


def test_a_partial_date_takes_the_nearest_year_across_new_year() -> None:
    assert dates("It ended on December 30.", "2024-01-03") == [("December 30", "2023-12-30")]
    assert dates("It starts on January 2.", "2023-12-30") == [("January 2", "2024-01-02")]


def test_without_a_publication_date_only_full_dates_resolve() -> None:
    assert dates("On May 2, 2024 and on May 3 and today.", None) == [
        ("May 2, 2024", "2024-05-02"), ("May 3", None), ("today", None)]


def test_an_impossible_date_is_not_a_date() -> None:
    assert dates("It was on February 30, 2024.") == [("February 30, 2024", None)]


def test_earlier_and_later_count_from_the_sentences_own_date() -> None:
    assert dates("She conceded on Monday in the vote held a day earlier.") == [
        ("on Monday", "2024-05-13"), ("a day earlier", "2024-05-12")]


def test_the_same_afternoon_is_the_day_told_before() -> None:
    text = "Nordic talks\n\nHe spoke on Monday. The envoy was summoned the same afternoon."
    assert dates(text) == [("on Monday", "2024-05-13"), ("the same afternoon", "2024-05-13")]


def test_a_month_in_a_future_clause_is_the_one_to_come() -> None:
    """Published in December: "will host in June" is next June, nearer or not; "was elected in
    June" stays this June."""
    assert dates("The summit that Norway will host in June.", "2025-12-11") == [
        ("June", "2026-06")]
    assert dates("She was elected in June.", "2025-12-11") == [("June", "2025-06")]


def test_later_in_the_day_is_the_day_told_that_has_come() -> None:
    """ "later in the day" is the last day told before it, not a day to come told in between
    ("a tour that takes her to Lima on Friday")."""
    found = dates("They met on Monday. She is on a tour that takes her to Lima on Friday. "
                  "Later in the day, he gave an interview.")
    assert found == [("on Monday", "2024-05-13"), ("on Friday", "2024-05-17"),
                     ("Later in the day", "2024-05-13")]


def test_weeks_ago_is_no_day() -> None:
    made = draft("Nordic talks go on\n\nJan Holm met Anna Berg in Oslo two weeks ago.", *PEOPLE)
    assert [(e.type, e.date) for e in made.events] == [("Meeting", None)]


def test_two_days_the_first_of_them() -> None:
    assert dates("He was in Oslo on 19 and 20 April.") == [("19 and 20 April", "2024-04-19")]
    assert dates("He was in Oslo on Oct. 3-4.") == [("Oct. 3-4", "2023-10-03")]


def test_days_counted_from_the_day_told_in_the_sentence_before() -> None:
    """ "Two days earlier", "the next day" open a sentence: from the last day told before."""
    text = ("He received us on Thursday. Two days earlier the navy had seized a boat. Oslo "
            "protested the next day.")
    assert dates(text) == [("on Thursday", "2024-05-09"), ("Two days earlier", "2024-05-07"),
                           ("the next day", "2024-05-08")]


def test_a_month_by_the_tense_of_its_clause_or_sentence() -> None:
    """ "filed in March" (published in November) is past; "will back X, the candidate, in the
    election in December" (published in May) is to come; preparations for a meeting in March,
    discussed, are for one to come."""
    assert dates("Oslo filed a complaint with the court in March.", "2023-11-09") == [
        ("March", "2023-03")]
    assert dates("Oslo will back Anna Berg, its candidate, in the election in December.") == [
        ("December", "2024-12")]
    assert dates("They discussed preparations for the meeting in March.", "2024-01-20") == [
        ("March", "2024-03")]
