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


def test_a_kind_of_event_is_no_event() -> None:
    """"such talks", "frequent visits" and a plural with no subject name no one event."""
    text = ("Nordic talks go on\n\nAnna Berg said Sweden is usually included in such talks. "
            "Jan Holm wants more frequent visits by customs officers. "
            "Visits by Norwegian ministers to Oslo have become common.")
    assert events(text) == []


def test_a_role_noun_is_no_visit() -> None:
    text = "Nordic talks go on\n\nAnna Berg and her Norwegian host, Jan Holm, spoke on Monday."
    assert events(text) == []


def test_a_denied_or_questioned_event_is_no_event() -> None:
    text = ("Nordic talks go on\n\nThe commission, which has not met since 2021, was praised by "
            "Anna Berg. Asked whether Jan Holm planned a visit to Oslo, she said nothing.")
    assert events(text) == []


def test_meetings_calls_and_signings_are_between_people() -> None:
    """ "its accession talks": no person takes part, so no meeting."""
    text = ("Nordic talks go on\n\nNorway will push for Sweden to open its accession talks "
            "soon, Anna Berg said on Monday.")
    assert events(text) == []


def test_the_two_ministers_are_the_parties_of_the_last_event() -> None:
    text = ("Nordic talks go on\n\nAnna Berg spoke by telephone on Monday with Jan Holm.\n\n"
            "The two ministers will meet again in Oslo on 22 May.")
    assert events(text) == [
        ("PhoneCall", "2024-05-13", "Occurred", None, ["anna-berg", "jan-holm"]),
        ("Meeting", "2024-05-22", "Scheduled", "oslo", ["anna-berg", "jan-holm"])]


def test_a_date_after_the_reporting_verb_is_the_day_of_the_saying() -> None:
    text = ("Nordic talks go on\n\nJan Holm will meet Anna Berg before the end of the year, "
            "Norway's foreign ministry said on Monday.")
    assert events(text) == [("Meeting", None, "Scheduled", None, ["jan-holm", "anna-berg"])]


def test_signings_and_summonses() -> None:
    text = ("Nordic talks go on\n\nAnna Berg and Jan Holm signed four agreements on Monday. "
            "On Tuesday, Norway's foreign ministry summoned Sweden's ambassador in Oslo.")
    assert [(e.type, e.date) for e in draft(text, *PEOPLE).events] == [
        ("AgreementSigning", "2024-05-13"), ("AmbassadorSummons", "2024-05-14")]


def test_a_signing_told_with_a_visit_is_an_event_of_its_own() -> None:
    """The convention of tests/fixtures/draft/README.md: a signing during a visit is its own
    event, on its own day."""
    text = ("Nordic talks go on\n\nNorway and Sweden signed an agreement on Monday, during a "
            "visit to Oslo by Jan Holm.")
    assert sorted((e.type, e.date) for e in draft(text, *PEOPLE).events) == [
        ("AgreementSigning", "2024-05-13"), ("Visit", "2024-05-13")]


def test_acts_of_states() -> None:
    """Sanctions, expulsions, a summons told in the passive, a protest march, a joint exercise and
    a signing by states (no person in the sentence) are events; the day of a lead with none of
    its own is the day the next paragraph tells, and "the same afternoon" that day."""
    text = ("Nordic talks go on\n\nNorway has expelled a Swedish diplomat and imposed sanctions "
            "on five people in Sweden.\n\nAnna Berg announced the measures on Monday. Sweden's "
            "ambassador, Jan Holm, was summoned the same afternoon.\n\nHundreds of Swedish "
            "farmers marched through Oslo on Friday. Norway and Sweden signed a fisheries pact on "
            "Thursday and will hold a joint naval exercise on 20 May.")
    assert [(e.type, e.date) for e in draft(text, *PEOPLE).events] == [
        ("ExpulsionOfDiplomats", "2024-05-13"), ("SanctionsImposition", "2024-05-13"),
        ("AmbassadorSummons", "2024-05-13"), ("Protest", "2024-05-10"),
        ("AgreementSigning", "2024-05-09"), ("JointMilitaryExercise", "2024-05-20")]


def test_a_date_after_since_is_not_the_events_and_a_status_stays_in_its_clause() -> None:
    """ "the first since X took office in January": January dates the taking of office; "chaired
    the summit, said the region would": the "would" is of the saying, not of the summit."""
    text = ("Nordic talks go on\n\nJan Holm, who chaired the one-day summit in Oslo on Monday, "
            "said the region would stand together. The summit was the first since Holm took "
            "office in January.")
    assert events(text) == [("Summit", "2024-05-13", "Occurred", "oslo", ["jan-holm"])]


def test_signed_the_accord_is_the_signing_already_told() -> None:
    text = ("Nordic talks go on\n\nNorway and Sweden signed an agreement on Monday.\n\n"
            "It covers fishing.\n\nIt also covers trade.\n\n"
            "Anna Berg and Jan Holm signed the accord in Oslo.")
    assert [(e.type, e.date) for e in draft(text, *PEOPLE).events if
            e.type == "AgreementSigning"] == [("AgreementSigning", "2024-05-13")]


def test_a_masthead_line_is_not_the_lead() -> None:
    """ "The Wire, Oslo, Tuesday 14 May 2024" before the lead is no paragraph of prose: the
    paragraph after the lead still takes the lead's day."""
    text = ("Nordic talks go on\n\nThe Wire, Oslo, Tuesday 14 May 2024\n\nNorway and Sweden "
            "agreed yesterday to share data from their sensors in the sea.\n\nThe agreement was "
            "signed in Oslo by Anna Berg and Jan Holm.")
    assert [(e.type, e.date) for e in draft(text, *PEOPLE).events] == [
        ("AgreementSigning", "2024-05-13")]


def test_an_event_that_happened_and_one_to_come_are_two() -> None:
    """ "held talks" and "will meet again on 20 May" are two meetings, though the first has no
    day; "agreed to meet" is a meeting to come."""
    text = ("Nordic talks go on\n\nAnna Berg held talks with Jan Holm in Oslo. The two ministers "
            "will meet again on 20 May.")
    assert [(e.type, e.date, e.status) for e in draft(text, *PEOPLE).events] == [
        ("Meeting", None, "Occurred"), ("Meeting", "2024-05-20", "Scheduled")]
    text = "Nordic talks go on\n\nAnna Berg and Jan Holm agreed to meet in Oslo."
    assert [(e.type, e.status) for e in draft(text, *PEOPLE).events] == [("Meeting", "Scheduled")]


def test_talks_take_the_day_of_the_signing_told_with_them() -> None:
    """Talks told in the sentence of a dated signing took place that day; a visit told after
    them, on another day, is not what they were part of; the visit's arrival day is no day for
    the signing told with it."""
    text = ("Nordic talks go on\n\nNorway and Sweden signed an agreement on Monday.\n\nAnna Berg "
            "and Jan Holm signed the accord in Oslo after three hours of talks. Holm arrived in "
            "Oslo on Sunday for a two-day visit.\n\nJan Holm, who arrived in Oslo on Sunday for a "
            "visit, signed a fisheries pact with Anna Berg.")
    assert [(e.type, e.date) for e in draft(text, *PEOPLE).events] == [
        ("AgreementSigning", "2024-05-13"), ("Meeting", "2024-05-13"), ("Visit", "2024-05-12")]


def test_a_date_in_a_relative_clause_or_after_since_is_not_the_events() -> None:
    """ "X, who took office in March, ... in a call on Saturday": March dates the taking of
    office; "on his first trip since taking office in April": April is no month of the trip;
    "X, who travelled to Oslo for it, will speak on Friday": Friday is the speaking's."""
    texts = ["Anna Berg, who took office in March, raised the matter in a telephone call with "
             "Jan Holm on Saturday.",
             "Jan Holm, on his first trip abroad since taking office in April, signed a "
             "fisheries pact with Anna Berg.",
             "Anna Berg, who travelled to Oslo for the talks, will speak to reporters on "
             "Friday."]
    assert [[(e.type, e.date) for e in draft("Nordic talks go on\n\n" + t, *PEOPLE).events]
            for t in texts] == [[("PhoneCall", "2024-05-11")],
                                [("Visit", None), ("AgreementSigning", None)],
                                [("Visit", None)]]


def test_the_dated_setting_of_a_denied_act_and_an_event_told_last_week() -> None:
    """ "did not mention X in a speech on Friday": the speech took place (an undated "in his
    speech" stays the speech of an event told); "told parliament last week" has its time, only
    no day, so it does not take the day of the sentence before."""
    text = ("Nordic talks go on\n\nAnna Berg did not mention Sweden in a speech in Oslo on "
            "Friday. Jan Holm did not mention Norway in his speech.\n\nNorway and Sweden signed "
            "a fisheries pact on Monday. Jan Holm told parliament last week that it was ready.")
    assert [(e.type, e.date) for e in draft(text, *PEOPLE).events] == [
        ("Speech", "2024-05-10"), ("AgreementSigning", "2024-05-13"), ("Speech", None)]


def test_more_ways_of_telling_meetings_visits_calls_and_acts_of_states() -> None:
    """Trigger words of the lexicon beyond the plain nouns: a reception, a session, a conference,
    flying in, signed documents, an attaché expelled, an ambassador recalled, a truce, a border
    closed and reopened, fighting and air strikes, a call told with "spoken by phone"."""
    texts = {
        "Jan Holm was received by Anna Berg on Monday.": "Meeting",
        "Anna Berg received her Swedish counterpart, Jan Holm, on Monday.": "Meeting",
        "The next session of the commission, with Anna Berg and Jan Holm, will be held in Oslo "
        "on 20 May.": "Meeting",
        "Anna Berg invited Jan Holm to a climate conference in Oslo on 20 May.": "Meeting",
        "Jan Holm flew in on Monday.": "Visit",
        "Anna Berg and Jan Holm signed eleven documents, among them a pact, on Monday.":
            "AgreementSigning",
        "Norway expelled a Swedish military attaché on Monday.": "ExpulsionOfDiplomats",
        "Norway recalled its ambassador from Sweden on Monday.": "AmbassadorRecall",
        "Norway and Sweden agreed on Monday to an immediate ceasefire.": "Ceasefire",
        "Norway closed all of its border checkpoints with Sweden on Monday.": "BorderClosure",
        "Norway and Sweden reopened the border crossing on Monday.": "DeEscalation",
        "Fighting broke out between Norway and Sweden on Monday.": "ArmedClash",
        "Anna Berg said she had spoken by phone with Jan Holm on Monday.": "PhoneCall",
    }
    for text, kind in texts.items():
        found = [e.type for e in draft("Nordic talks go on\n\n" + text, *PEOPLE).events]
        assert found == [kind], (text, found)


def test_who_stands_for_the_parties_of_a_meeting() -> None:
    """ "the two countries' foreign ministers", "the foreign ministers of the two countries", "a
    joint commission", "Norway and Sweden ... the next meeting": meetings with no person named,
    held by the states named or the parties of the event told before."""
    texts = {
        "Norway and Sweden agreed on Monday to share data, the ministry said after the two "
        "countries' foreign ministers met in Oslo.": ["norway", "sweden"],
        "Norway and Sweden signed a pact on Monday after talks in Oslo between the foreign "
        "ministers of the two countries.": ["norway", "sweden"],
        "Norway and Sweden also agreed to hold the next meeting of their cabinets in Oslo in "
        "June.": ["norway", "sweden"],
    }
    for text, parties in texts.items():
        meetings = [e for e in draft("Nordic talks go on\n\n" + text, *PEOPLE).events
                    if e.type == "Meeting"]
        assert [sorted(e.actors) for e in meetings] == [parties], text
    text = ("Nordic talks go on\n\nAnna Berg and Jan Holm signed a pact on Monday.\n\nA joint "
            "commission will meet in Oslo in June to review it.")
    assert [(e.type, e.date, e.actors) for e in draft(text, *PEOPLE).events][1:] == [
        ("Meeting", "2024-06", ["anna-berg", "jan-holm"])]


def test_hosting_talks_is_no_visit_and_asking_for_talks_is_no_meeting() -> None:
    """ "offered to host talks" and "the summit that Norway will host" tell one event each, no
    visit; "host his counterparts" is a meeting; "urged Sweden to join talks" and "called for
    the bloc to hold its first summit" ask for an event that is not (yet) one."""
    def kinds(text: str) -> list[str]:
        return [e.type for e in draft("Nordic talks go on\n\n" + text, *PEOPLE).events]
    assert kinds("Anna Berg has offered to host talks with Jan Holm in Oslo.") == ["Meeting"]
    assert kinds("Anna Berg invited Jan Holm to the summit that Norway will host in "
                 "June.") == ["Summit"]
    assert kinds("Anna Berg is due to host her Nordic counterparts in Oslo in "
                 "September, Jan Holm said.") == ["Meeting"]
    assert kinds("Anna Berg urged Jan Holm to join talks on the river.") == []
    assert kinds("Norway called on Monday for Jan Holm to hold his first summit in "
                 "years.") == []


def test_the_lead_day_holds_until_the_article_tells_another_time() -> None:
    """A briefing two paragraphs below a lead dated Monday, with no other time told between,
    is of that Monday."""
    text = ("Nordic talks go on\n\nNorway and Sweden agreed on Monday to share their data.\n\n"
            "They will also build a bridge together in the north.\n\n\"We share one sea,\" Anna "
            "Berg said at a joint briefing with Jan Holm.")
    assert [(e.type, e.date) for e in draft(text, *PEOPLE).events] == [
        ("Briefing", "2024-05-13")]


def test_talks_of_several_days_begin_before_the_day_they_end() -> None:
    """ "signed on Tuesday, at the end of two days of talks": the talks began on Monday."""
    text = ("Nordic talks go on\n\nNorway and Sweden on Tuesday signed an agreement, at the end "
            "of two days of talks in Oslo between the foreign ministers of the two countries.")
    assert [(e.type, e.date) for e in draft(text, *PEOPLE).events] == [
        ("AgreementSigning", "2024-05-14"), ("Meeting", "2024-05-13")]


def test_unnamed_officials_resumed_talks_and_the_next_session() -> None:
    """A call between "Norway's foreign minister" and "his Swedish counterpart" is between the
    two states; "efforts to revive talks" hold none; "the next session ... will be held" is not
    the session told before; "after the meeting, X condemned the strikes on Saturday" leaves the
    meeting its own day; "The fighting broke out on Thursday" is the fighting of the states told
    before."""
    def found(text: str) -> list[tuple]:
        return [(e.type, e.date, sorted(e.actors))
                for e in draft("Nordic talks go on\n\n" + text, *PEOPLE).events]
    assert found("Norway's foreign minister held a telephone call with his Swedish counterpart "
                 "on Monday.") == [("PhoneCall", "2024-05-13", ["norway", "sweden"])]
    assert found("Norway backs Sweden's efforts to revive talks with Finland.") == []
    assert [e[:2] for e in found("Anna Berg and Jan Holm met in Oslo on Monday. The two "
                                 "ministers said the next meeting would be held in Oslo.")] == [
        ("Meeting", "2024-05-13"), ("Meeting", None)]
    assert [e[:2] for e in found("Anna Berg met Jan Holm in Oslo on Monday. After the meeting, "
                                 "Holm condemned Swedish air strikes in the north on Saturday."
                                 )] == [("Meeting", "2024-05-13"), ("ArmedClash", "2024-05-11")]
    assert [e[:2] for e in found("Norway and Sweden agreed to a truce on Monday.\n\nThe fighting "
                                 "broke out on Thursday.")] == [
        ("Ceasefire", "2024-05-13"), ("ArmedClash", "2024-05-09")]


def test_a_video_call_is_a_phone_call() -> None:
    text = "Nordic talks go on\n\nAnna Berg and Jan Holm spoke in a video call on May 2."
    assert [e[:2] for e in events(text)] == [("PhoneCall", "2024-05-02")]


def test_consultations_to_hold_are_a_meeting() -> None:
    text = ("Nordic talks go on\n\nAnna Berg and Jan Holm agreed to hold consultations in Oslo "
            "in June.")
    assert [e[:3] for e in events(text)] == [("Meeting", "2024-06", "Scheduled")]


def test_an_offset_from_an_event_told_before_counts_from_that_events_day() -> None:
    """ "Two days before the summit": not two days after the publication (the summit is the one
    told before, not one to come), and the call is two days before the summit's day."""
    text = ("Nordic talks go on\n\nAnna Berg and Jan Holm signed an agreement yesterday.\n\n"
            "It was signed in Oslo by Berg and Holm at the end of a summit.\n\n"
            "Two days before the summit, Berg had spoken by telephone with Holm.")
    assert sorted(e[:3] for e in events(text)) == [
        ("AgreementSigning", "2024-05-13", "Occurred"), ("PhoneCall", "2024-05-11", "Occurred"),
        ("Summit", "2024-05-13", "Occurred")]


def test_winning_a_term_is_an_election() -> None:
    text = "Nordic talks go on\n\nAnna Berg, who won a second term in March, met Jan Holm."
    assert ("Election", "2024-03") in [e[:2] for e in events(text)]


def test_material_acts_of_states_with_a_day_of_their_own() -> None:
    lead = "Nordic talks go on\n\n"
    assert events(lead + "Norway detained two Swedish fishermen on Monday.") == [
        ("Coercion", "2024-05-13", "Occurred", None, ["norway", "sweden"])]
    said = "Berg said Norway would station 3,000 troops on the border by the end of May."
    assert events(lead + said) == [("Mobilization", "2024-05", "Scheduled", None, ["norway"])]
    patrols = ("The first joint patrols of Norway and Sweden are to leave Oslo, on the coast, on "
               "1 July, Berg said.")
    assert [e[:3] for e in events(lead + patrols)] == [
        ("MaterialCooperation", "2024-07-01", "Scheduled")]


def test_material_acts_told_in_passing_are_no_events() -> None:
    lead = "Nordic talks go on\n\nJan Holm met Anna Berg in Oslo on Monday. "
    for passing in ("Holm praised Norway's role in delivering humanitarian aid.",
                    "They agreed on a protocol creating joint patrols.",
                    "Berg spoke days after a Swedish vessel fired water cannon at a boat."):
        assert [e[0] for e in events(lead + passing)] == ["Meeting"]


def test_a_visit_told_by_its_last_day_takes_its_first() -> None:
    text = "Nordic talks go on\n\nJan Holm ended a three-day visit to Norway on Friday."
    assert [e[:2] for e in events(text)] == [("Visit", "2024-05-08")]
    text = ("Nordic talks go on\n\nJan Holm signed an agreement in Oslo on Wednesday at the end "
            "of a two-day visit to Norway.")
    assert [e[:2] for e in events(text)] == [("AgreementSigning", "2024-05-08"),
                                             ("Visit", "2024-05-07")]


def test_more_words_for_meetings_calls_signings_visits_and_borders() -> None:
    lead = "Nordic talks go on\n\n"
    cases = {"Jan Holm sat down with Anna Berg in Oslo on Monday.":
             ("Meeting", ["jan-holm", "anna-berg"]),
             "Jan Holm spoke with Anna Berg by video link on Monday.":
             ("PhoneCall", ["jan-holm", "anna-berg"]),
             "Jan Holm and Anna Berg signed a joint declaration on Monday.":
             ("AgreementSigning", ["jan-holm", "anna-berg"]),
             "Jan Holm landed in Oslo on Monday.": ("Visit", ["jan-holm"]),
             "Norway sealed its border with Sweden on Monday.":
             ("BorderClosure", ["norway", "sweden"])}
    for told, (kind, actors) in cases.items():
        assert [(e[0], e[1], e[4]) for e in events(lead + told)] == [(kind, "2024-05-13", actors)]


def test_an_event_told_again_with_its_day_takes_the_day() -> None:
    text = ("Nordic talks go on\n\nNorway and Sweden initialled a treaty last month, Berg said on "
            "Monday.\n\nThe treaty was initialled on 14 April in Oslo.")
    assert [(e[0], e[1], e[4]) for e in events(text)] == [
        ("AgreementSigning", "2024-04-14", ["norway", "sweden"])]


def test_a_day_told_as_an_aside_leaves_the_lead_day_standing() -> None:
    text = ("Nordic talks go on\n\nNorway and Sweden agreed on Monday to share their data.\n\n"
            "Jan Holm arrived in Oslo on Sunday. They will meet again on June 3.\n\n\"We share one "
            "sea,\" Anna Berg said at a joint briefing with Jan Holm.")
    assert ("Briefing", "2024-05-13") in [(e.type, e.date) for e in draft(text, *PEOPLE).events]


def test_a_title_case_dateline_day_is_not_the_day_the_lead_tells() -> None:
    """ "Oslo/Stockholm, 14 May 2024 (NTB) - ... on Monday opened ... and signed": Monday."""
    text = ("Nordic talks go on\n\nOslo/Stockholm, 14 May 2024 (NTB) \u2013 Anna Berg and Jan Holm "
            "on Monday opened a new border crossing for lorries and heavy goods traffic and "
            "signed an agreement on a second bridge.")
    assert [(e.type, e.date) for e in draft(text, *PEOPLE).events] == [
        ("AgreementSigning", "2024-05-13")]


def test_an_act_named_as_the_subject_of_talks_is_no_event_of_that_act() -> None:
    for sentence in ("Norway was ready to host talks on a ceasefire at any level.",
                     "Anna Berg praised the ceasefire talks in Oslo."):
        assert "Ceasefire" not in [e.type for e in draft("Nordic talks go on\n\n" + sentence,
                                                         *PEOPLE).events], sentence
