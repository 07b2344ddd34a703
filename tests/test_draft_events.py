"""Events from trigger words, dated by the nearest date of their clause, with status, place and
actors; the same event told twice is one event."""

from __future__ import annotations

from draft_util import PEOPLE, draft


def events(text: str) -> list[tuple]:
    return [(e.type, e.date, e.status, e.place, e.actors) for e in draft(text, *PEOPLE).events]


def test_a_date_belongs_to_the_nearest_trigger() -> None:
    text = ("Nordic talks go on\n\nAnna Berg told Nordic News in an interview three days after "
            "her inauguration on May 6 that she was ready.")
    assert events(text) == [
        ("Interview", "2024-05-09", "Occurred", None, ["anna-berg", "nordic-news"]),
        ("Inauguration", "2024-05-06", "Occurred", None, ["anna-berg"])]


def test_future_events_are_scheduled_and_have_their_place() -> None:
    text = "Nordic talks go on\n\nAnna Berg will travel to Oslo on Friday for talks with Jan Holm."
    assert events(text) == [("Visit", "2024-05-17", "Scheduled", "oslo",
                             ["anna-berg", "jan-holm"])]


def test_the_event_told_again_is_the_same_event() -> None:
    text = ("Nordic talks go on\n\nJan Holm visited Oslo on Monday. During the visit, Holm met "
            "Anna Berg. The visit ended well.")
    [visit] = draft(text, *PEOPLE).events
    assert (visit.type, visit.date, sorted(visit.actors)) == (
        "Visit", "2024-05-13", ["anna-berg", "jan-holm"])


def test_words_inside_a_name_are_not_triggers() -> None:
    text = "Nordic talks go on\n\nThe Nordic News Briefing reported that Anna Berg was ill."
    entities = PEOPLE + (("briefing", "MediaOrganization", "Nordic News Briefing"),)
    assert draft(text, *entities).events == []


def test_a_visit_to_several_places_is_one_visit_each() -> None:
    text = ("Nordic talks go on\n\nAnna Berg has since visited Oslo and Stockholm.")
    entities = PEOPLE + (("stockholm", "City", "Stockholm"),)
    assert [(e.type, e.place) for e in draft(text, *entities).events] == [
        ("Visit", "oslo"), ("Visit", "stockholm")]


def test_an_unresolved_date_leaves_the_event_undated_and_an_invitation_is_no_visit() -> None:
    text = ("Nordic talks go on\n\nAnna Berg said yesterday that the two countries would hold a "
            "summit in Oslo next week. She invited Jan Holm to visit Oslo next year.")
    assert events(text) == [("Summit", None, "Scheduled", "oslo", ["anna-berg"])]


def test_elected_is_an_election() -> None:
    text = "Nordic talks go on\n\nJan Holm, who was elected last month, spoke."
    assert events(text) == [("Election", "2024-04", "Occurred", None, ["jan-holm"])]
