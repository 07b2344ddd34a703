"""Tenures from titles and appositions, matched to the registry's posts; posts it lacks proposed."""

from __future__ import annotations

from draft_util import PEOPLE, draft


def tenures(text: str, *extra: tuple) -> list[tuple]:
    d = draft(text, *PEOPLE, *extra)
    return [(t.person, t.post, t.organization, t.role, t.begins, t.ends,
             str(t.attested_on) if t.attested_on else None) for t in d.tenures]


def test_title_before_the_name_with_the_state_adjective() -> None:
    assert tenures("Nordic talks go on\n\nNorwegian Foreign Minister Anna Berg spoke on Monday.") \
        == [("anna-berg", "foreign-minister-of-norway", None, None, None, None, "2024-05-13")]


def test_possessive_apposition_and_apposition_after() -> None:
    text = ("Nordic talks go on\n\nSweden's prime minister, Jan Holm, met Anna Berg, the "
            "foreign minister of Norway, in Oslo.")
    assert [t[:2] for t in tenures(text)] == [
        ("jan-holm", "prime-minister-of-sweden"), ("anna-berg", "foreign-minister-of-norway")]


def test_a_title_without_a_state_takes_the_state_of_its_coordinated_title() -> None:
    extra = (("eva-dahl", "Person", "Eva Dahl"),
             ("prime-minister-of-norway", "Post", "Prime Minister of Norway",
              {"post_in": "norway"}))
    text = ("Nordic talks go on\n\nHe met Norwegian Foreign Minister Anna Berg and Prime "
            "Minister Eva Dahl.")
    assert ("eva-dahl", "prime-minister-of-norway") in [t[:2] for t in tenures(text, *extra)]


def test_the_outgoing_holder_ends_when_the_new_one_is_inaugurated() -> None:
    extra = (("eva-dahl", "Person", "Eva Dahl"),
             ("prime-minister-of-norway", "Post", "Prime Minister of Norway",
              {"post_in": "norway"}))
    text = ("Nordic talks go on\n\nNorway's new prime minister, Eva Dahl, was sworn in on May 6. "
            "Outgoing Prime Minister Anna Berg attended.")
    found = tenures(text, *extra)
    assert ("eva-dahl", "prime-minister-of-norway", None, None, "2024-05-06", None, None) in found
    assert ("anna-berg", "prime-minister-of-norway", None, "Outgoing Prime Minister", None,
            "2024-05-06", None) in found


def test_careers_in_organisations() -> None:
    extra = (("daily", "MediaOrganization", "The Daily"),)
    text = ("Nordic talks go on\n\nAnna Berg has worked for The Daily as an editor since "
            "March 2001.")
    assert tenures(text, *extra) == [("anna-berg", None, "daily", "editor", "2001-03", None,
                                      None)]


def test_a_post_the_registry_lacks_is_proposed() -> None:
    d = draft("Nordic talks go on\n\nSwedish Defence Minister Jan Holm spoke on Monday.",
              *PEOPLE)
    [tenure] = d.tenures
    assert (tenure.post, tenure.pending, tenure.active) == (
        "defence-minister-of-sweden", ["defence-minister-of-sweden"], False)
    proposal = d.new_actors["defence-minister-of-sweden"]
    assert (proposal.type, proposal.label, proposal.post_in) == (
        "Post", "Defence Minister of Sweden", "sweden")


PRESIDENTS = (("eva-dahl", "Person", "Eva Dahl"),
              ("president-of-norway", "Post", "President of Norway", {"post_in": "norway"}),
              ("president-of-sweden", "Post", "President of Sweden", {"post_in": "sweden"}))


def test_a_bare_title_takes_the_state_of_the_dateline_first() -> None:
    text = ("Nordic talks go on\n\nOSLO (Wire) - President Eva Dahl will meet President Jan Holm "
            "on Friday.")
    found = [t[:2] for t in tenures(text, *PRESIDENTS)]
    assert found == [("eva-dahl", "president-of-norway"), ("jan-holm", "president-of-sweden")]


FOREIGN_MINISTERS = (("eva-dahl", "Person", "Eva Dahl"),
                     ("foreign-minister-of-sweden", "Post", "Foreign Minister of Sweden",
                      {"post_in": "sweden"}))


def test_a_demonym_title_before_an_apposition() -> None:
    text = ("Nordic talks go on\n\nThe Norwegian foreign minister, Anna Berg, said on Monday "
            "that talks would go on.")
    assert [t[:2] for t in tenures(text, *FOREIGN_MINISTERS)] == [
        ("anna-berg", "foreign-minister-of-norway")]


def test_its_title_takes_the_state_named_last() -> None:
    text = ("Nordic talks go on\n\nNorway did not sign the pact. Its foreign minister, Anna Berg, "
            "said more time was needed.")
    assert [t[:2] for t in tenures(text, *FOREIGN_MINISTERS)] == [
        ("anna-berg", "foreign-minister-of-norway")]


def test_a_bare_role_noun_before_an_apposition() -> None:
    text = "Nordic talks go on\n\nThe foreign minister, Anna Berg, said talks would go on."
    assert [t[:2] for t in tenures(text)] == [("anna-berg", "foreign-minister-of-norway")]


def test_a_possessive_title_with_its_portfolio() -> None:
    extra = (("minister-of-trade-of-sweden", "Post", "Minister of Trade of Sweden",
              {"post_in": "sweden"}),
             ("minister-of-energy-of-sweden", "Post", "Minister of Energy of Sweden",
              {"post_in": "sweden"}))
    text = "Nordic talks go on\n\nSweden's Minister of Trade, Jan Holm, signed the deal."
    assert [t[:2] for t in tenures(text, *extra)] == [("jan-holm", "minister-of-trade-of-sweden")]


def test_secretary_titles_and_hyphenated_titles() -> None:
    extra = (("defence-secretary-of-sweden", "Post", "Defence Secretary of Sweden",
              {"post_in": "sweden"}),
             ("vice-president-of-norway", "Post", "Vice President of Norway",
              {"post_in": "norway"}))
    text = ("Nordic talks go on\n\nDefence Secretary Jan Holm met Vice-President Anna Berg on "
            "Monday.")
    assert sorted(t[:2] for t in tenures(text, *extra)) == [
        ("anna-berg", "vice-president-of-norway"), ("jan-holm", "defence-secretary-of-sweden")]


def test_a_bare_title_takes_the_one_state_its_sentence_names_not_the_counterparts() -> None:
    text = ("Nordic talks go on\n\nPresident Eva Dahl has invited her Swedish counterpart, "
            "Jan Holm, to Oslo.")
    assert ("eva-dahl", "president-of-norway") in [t[:2] for t in tenures(text, *PRESIDENTS)]


def test_a_bare_title_does_not_take_a_post_another_person_holds() -> None:
    text = ("Nordic talks go on\n\nNorwegian Foreign Minister Anna Berg met Foreign Minister "
            "Eva Dahl on Monday.")
    assert [t[:2] for t in tenures(text, *FOREIGN_MINISTERS)] == [
        ("anna-berg", "foreign-minister-of-norway"), ("eva-dahl", "foreign-minister-of-sweden")]



def test_a_bare_title_coordinated_with_its_counterpart_is_not_of_the_counterparts_state() -> None:
    """ "Foreign Minister Anna Berg and Sweden's minister of foreign affairs, Jan Holm": two
    holders of one office named together are counterparts; Berg's post is not Sweden's."""
    extra = (("foreign-minister-of-sweden", "Post", "Foreign Minister of Sweden",
              {"post_in": "sweden"}),)
    text = ("Nordic talks go on\n\nThe pact was signed by Foreign Minister Anna Berg and "
            "Sweden's minister of foreign affairs, Jan Holm.")
    assert sorted(t[:2] for t in tenures(text, *extra)) == [
        ("anna-berg", "foreign-minister-of-norway"), ("jan-holm", "foreign-minister-of-sweden")]


def test_the_leader_of_an_organisation_holds_a_role_in_it_not_a_post() -> None:
    """ "The leader of the nationalist Front, X" and "X, the head of the Fishers' Union": a role
    in the organisation, the curators' reading (no post proposed)."""
    extra = (("front", "Organization", "Nordic Front"),
             ("union", "Organization", "Fishers Union"))
    text = ("Nordic talks go on\n\nThe leader of the nationalist Nordic Front, Jan Holm, "
            'objected. "We lose," said Anna Berg, the head of the Fishers Union.')
    assert [t[:4] for t in tenures(text, *extra)] == [
        ("jan-holm", None, "front", "leader"), ("anna-berg", None, "union", "head")]


def test_a_tenure_held_since_a_date_begins_then() -> None:
    for clause in ("who has held the post since", "who has led Norwegian diplomacy since",
                   "who has been foreign minister since"):
        text = (f"Nordic talks go on\n\nNorwegian Foreign Minister Anna Berg met Jan Holm. Berg, "
                f"{clause} March 2022, spoke first.")
        assert [t[:5] for t in tenures(text)] == [
            ("anna-berg", "foreign-minister-of-norway", None, None, "2022-03")], clause


def test_a_states_role_noun_names_the_bare_title_after_it() -> None:
    """ "Sweden's foreign minister has backed ... Foreign Minister Jan Holm": Sweden's, not the
    dateline's; a role noun in a person's own apposition ("Eva Dahl, Norway's minister of
    trade") names her, and "Norway's head of state, General X" is no role noun "Norway's head"."""
    extra = (("eva-dahl", "Person", "Eva Dahl"),
             ("foreign-minister-of-sweden", "Post", "Foreign Minister of Sweden",
              {"post_in": "sweden"}))
    text = ("Nordic talks go on\n\nOSLO (Wire) - Sweden's foreign minister has backed the plan.\n\n"
            "Foreign Minister Jan Holm spoke on Monday. Eva Dahl, Norway's minister of trade, "
            "agreed. Norway's head of state, General Per Lund, received Holm.")
    assert [t[:2] for t in tenures(text, *extra)] == [("jan-holm", "foreign-minister-of-sweden")]


def test_a_bare_title_leaves_out_its_counterparts_state_and_posts_named_later() -> None:
    """ "President Eva Dahl and her Swedish counterpart, Jan Holm": not Sweden's; "Finland's
    President Per Lund" later: not Finland's either; Norway's is left."""
    extra = PRESIDENTS + (("president-of-finland", "Post", "President of Finland",
                           {"post_in": "finland"}),)
    text = ("Nordic talks go on\n\nPresident Eva Dahl and her Swedish counterpart, Jan Holm, met "
            "on Monday.\n\nFinland's President Per Lund phoned them.")
    assert ("eva-dahl", "president-of-norway") in [t[:2] for t in tenures(text, *extra)]


def test_an_abbreviated_title_is_a_post_and_a_senate_member_is_a_senator() -> None:
    """ "Norwegian Sen. Anna Berg": a senator; the registry's post is labelled by its body."""
    extra = (("senator-of-norway", "Post", "Member of the Senate of Norway",
              {"post_in": "norway"}),)
    found = tenures("Nordic talks go on\n\nNorwegian Sen. Anna Berg spoke on Monday.", *extra)
    assert [t[:2] for t in found] == [("anna-berg", "senator-of-norway")]


def test_a_form_of_address_between_title_and_name_and_two_posts_at_once() -> None:
    """ "Norway's Foreign Minister, Dr. X"; "Norway's Prime Minister and Minister of Foreign
    Affairs, Sheikh Y" holds both posts."""
    extra = (("eva-dahl", "Person", "Eva Dahl"),
             ("prime-minister-of-norway", "Post", "Prime Minister of Norway",
              {"post_in": "norway"}),
             ("mfa-of-norway", "Post", "Minister of Foreign Affairs of Norway",
              {"post_in": "norway"}))
    found = tenures("Nordic talks go on\n\nNorway's Minister of Foreign Affairs, Dr. Anna Berg, "
                    "spoke.", *extra)
    assert [t[:2] for t in found] == [("anna-berg", "mfa-of-norway")]
    found = tenures("Nordic talks go on\n\nIt came from Norway's Prime Minister and Minister of "
                    "Foreign Affairs, Sheikh Eva Dahl.", *extra)
    assert sorted(t[:2] for t in found) == [("eva-dahl", "mfa-of-norway"),
                                            ("eva-dahl", "prime-minister-of-norway")]


MINISTRIES = (("eva-dahl", "Person", "Eva Dahl"), ("per-lund", "Person", "Per Lund"),
              ("mfa-of-sweden", "Post", "Minister of Foreign Affairs of Sweden",
               {"post_in": "sweden"}),
              ("mod-of-sweden", "Post", "Minister of National Defense of Sweden",
               {"post_in": "sweden"}),
              ("mfa-of-norway", "Post", "Minister for Foreign Affairs of Norway",
               {"post_in": "norway"}),
              ("mod-of-norway", "Post", "Minister for Defence of Norway",
               {"post_in": "norway"}))


def test_a_portfolio_picks_among_posts_labelled_by_their_ministry() -> None:
    found = tenures("Nordic talks go on\n\nSwedish Defence Minister Per Lund spoke.", *MINISTRIES)
    assert [t[:2] for t in found] == [("per-lund", "mod-of-sweden")]


def test_their_swedish_counterparts_and_the_other_state_of_a_bilateral_lead() -> None:
    """ "X and Y met their Swedish counterparts, A and B": A and B are Swedish, X and Y of the
    other state the lead names; a state ending the sentence before is not the title's."""
    text = ("Nordic talks go on\n\nNorway and Sweden signed a pact on Tuesday at the sixth "
            "meeting of their ministers in Oslo. Foreign Minister Anna Berg and Defence Minister "
            "Jan Holm met their Swedish counterparts, Foreign Minister Eva Dahl and Defence "
            "Minister Per Lund, for four hours.")
    assert sorted(t[:2] for t in tenures(text, *MINISTRIES)) == [
        ("anna-berg", "foreign-minister-of-norway"), ("eva-dahl", "mfa-of-sweden"),
        ("jan-holm", "mod-of-norway"), ("per-lund", "mod-of-sweden")]


def test_ambassador_after_an_apposition_comma_is_a_form_of_address() -> None:
    extra = (("mfa-of-norway", "Post", "Minister of Foreign Affairs of Norway",
              {"post_in": "norway"}),)
    found = tenures("Nordic talks go on\n\nIt was signed by Norway's Minister of Foreign Affairs, "
                    "Ambassador Anna Berg, on Monday.", *extra)
    assert [t[:2] for t in found] == [("anna-berg", "mfa-of-norway")]


def test_has_been_the_states_post_for_some_months() -> None:
    """ "X has been Norway's foreign minister for eleven months" (published 2024-05-14)."""
    found = tenures("Nordic talks go on\n\nAnna Berg has been Norway's foreign minister for "
                    "eleven months, and it shows.")
    assert [(t[0], t[1], t[4]) for t in found] == [
        ("anna-berg", "foreign-minister-of-norway", "2023-06")]
