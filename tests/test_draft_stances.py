"""Stances from the cue lexicon: type, holder, targets, modality, attribution, intensifier,
date; the same stance told twice is one stance with the strongest attribution."""

from __future__ import annotations

from draft_util import PEOPLE, draft


def stances(text: str) -> list[tuple]:
    return [(s.type, s.holder, s.targets, s.modality, s.attribution, s.intensifier, s.strength)
            for s in draft(text, *PEOPLE).stances]


LEAD = "Nordic talks go on\n\nNorwegian Foreign Minister Anna Berg spoke on Monday.\n\n"


def test_partner_types_held_by_the_speakers_state() -> None:
    text = LEAD + ('"We intend to deepen our allied relations with Sweden, our main strategic '
                   'partner, and Finland remains our important trade partner," Berg said.')
    assert stances(text) == [
        ("AlliedRelations", "norway", ["sweden"], "Intended", "DirectQuote", None, None),
        ("MainStrategicPartner", "norway", ["sweden"], "Current", "DirectQuote", "main", 1.0),
        ("TradePartner", "norway", ["finland"], "Current", "DirectQuote", "important", 0.75)]


def test_negation_and_a_partial_quote_in_indirect_speech() -> None:
    text = LEAD + 'Berg said Sweden was not a "strategic partner" any more.'
    assert stances(text) == [("StrategicPartner", "norway", ["sweden"], "Negated",
                              "IndirectQuote", None, None)]


def test_acts_are_held_by_who_performs_them() -> None:
    text = LEAD + "Jan Holm criticised Norway and accused it of meddling in the vote."
    found = stances(text)
    assert ("Criticism", "jan-holm", ["norway"], "Current", "ReportedSpeech", None, None) in found
    assert ("AccusationOfInterference", "jan-holm", ["norway"], "Current", "ReportedSpeech",
            None, None) in found


def test_a_journalists_reading_is_characterised_by_the_outlet() -> None:
    text = LEAD + "Berg signaled that she would balance ties with Sweden and Finland."
    d = draft(text, *PEOPLE)
    [s] = d.stances
    assert (s.type, s.holder, s.targets, s.attribution, s.characterized_by) == (
        "BalancedMultiVector", "norway", ["sweden", "finland"], "JournalistCharacterization",
        "wire")


def test_cooperation_needs_an_intention_and_generic_partners_are_nobody() -> None:
    text = LEAD + ('"Our cooperation with Sweden is old," Berg said. "We work with all our '
                   'partners," she added.')
    assert stances(text) == []


def test_one_stance_per_identity_with_the_strongest_attribution() -> None:
    text = LEAD + ('Berg called Sweden Norway\'s "main strategic partner". "Sweden is our main '
                   'strategic partner," Berg said.')
    d = draft(text, *PEOPLE)
    [s] = d.stances
    assert (s.type, s.attribution, len(s.evidence), str(s.stated_on)) == (
        "MainStrategicPartner", "DirectQuote", 2, "2024-05-13")


def test_a_coordinated_subject_and_both() -> None:
    text = LEAD + ('"Sweden and Finland remain our good neighbours, and we will keep balanced '
                   'relations with both," Berg said.')
    assert [(t, h, g) for t, h, g, *_ in stances(text)] == [
        ("GoodNeighbourliness", "norway", ["sweden", "finland"]),
        ("BalancedMultiVector", "norway", ["sweden", "finland"])]


def test_the_object_of_the_act_verb_even_with_an_adjective() -> None:
    text = LEAD + "Jan Holm accused neighbouring Norway of meddling in Sweden's affairs."
    assert [(t, h, g) for t, h, g, *_ in stances(text)] == [
        ("AccusationOfInterference", "jan-holm", ["norway"])]


def _pairs(text: str) -> list[tuple]:
    return [(s.type, s.holder, s.targets) for s in draft(text, *PEOPLE).stances]


CALL = ("Nordic talks go on\n\nNorwegian Foreign Minister Anna Berg spoke by telephone on Monday "
        "with Swedish Prime Minister Jan Holm.\n\n")


def test_an_implied_target_is_the_counterpart_in_the_event() -> None:
    """ "We will deepen our cooperation" after a call between two states' people."""
    text = CALL + '"We will deepen our cooperation in energy," Berg told reporters after the call.'
    assert _pairs(text) == [("IntentToCooperate", "norway", ["sweden"])]


def test_the_two_countries_with_no_event_are_the_other_state_named_before() -> None:
    text = ("Nordic talks go on\n\nAnna Berg spoke about Sweden on Monday.\n\n"
            "Norwegian Foreign Minister Anna Berg said the two countries would cooperate closely.")
    assert _pairs(text) == [("IntentToCooperate", "norway", ["sweden"])]


def test_no_counterpart_no_target() -> None:
    text = ('Nordic talks go on\n\n"We will deepen our cooperation in energy," Norwegian Foreign '
            "Minister Anna Berg said.")
    assert _pairs(text) == []


def test_neighbours_intelligence_mediation_and_commitment_cues() -> None:
    text = CALL + ("Berg said Norway wanted the best possible relations with our neighbours and "
                   "would share intelligence with Sweden. Holm said Sweden remained committed to "
                   "the Nordic Council and would support any mediation by the Nordic Council.")
    council = (("nordic-council", "IntergovernmentalOrganization", "Nordic Council"),)
    found = [(s.type, s.holder, s.targets) for s in draft(text, *PEOPLE, *council).stances]
    assert found == [("GoodNeighbourliness", "norway", ["sweden"]),
                     ("IntentToCooperate", "norway", ["sweden"]),
                     ("MultilateralCooperation", "sweden", ["nordic-council"])]


def test_refusing_to_take_sides_and_the_best_of_relations() -> None:
    text = LEAD + ('"We do not take sides between Sweden and Finland," Berg said. She said Norway '
                   'wanted "the best of relations" with Sweden.')
    found = [(s[0], s[1], s[2]) for s in stances(text)]
    assert ("BalancedMultiVector", "norway", ["sweden", "finland"]) in found
    assert ("GoodNeighbourliness", "norway", ["sweden"]) in found


def test_two_states_agreeing_to_act_together_each_intend_to_cooperate() -> None:
    """draft/joint.py: the subject "A and B" (or "the ministers of A and B") of a joint action to
    come; no cue word names the action."""
    for sentence in ("Norway and Sweden will share data from their seabed sensors.",
                     "The foreign ministers of Norway and Sweden agreed on Monday to set up a "
                     "joint coastguard cell."):
        found = {(s.type, s.holder, tuple(s.targets), s.modality)
                 for s in draft(LEAD + sentence, *PEOPLE).stances}
        assert found == {("IntentToCooperate", "norway", ("sweden",), "Intended"),
                         ("IntentToCooperate", "sweden", ("norway",), "Intended")}, sentence


def test_no_joint_intent_when_the_pair_is_no_subject_or_the_verb_is_negated() -> None:
    for sentence in ("Talks between Norway and Sweden will resume in May.",
                     "Norway and Sweden will not share data from their sensors.",
                     '"Norway and Sweden will share data," Berg said.'):
        assert not [s for s in draft(LEAD + sentence, *PEOPLE).stances
                    if s.type == "IntentToCooperate" and s.holder == "sweden"], sentence


def test_the_two_countries_are_the_two_states_named_just_before() -> None:
    text = LEAD + ("Norway and Sweden held talks in Oslo on Monday. The two countries will build "
                   "a ferry terminal together.")
    found = {(s.holder, tuple(s.targets)) for s in draft(text, *PEOPLE).stances
             if s.type == "IntentToCooperate"}
    assert found == {("norway", ("sweden",)), ("sweden", ("norway",))}


def test_a_cue_found_stance_between_the_two_leaves_their_joint_pledge_alone() -> None:
    """The cue names the stance's type better than the shape of the clause does."""
    found = [(s.type, s.holder, s.targets) for s in draft(
        LEAD + "Norway and Sweden will deepen their strategic partnership.", *PEOPLE).stances]
    assert found == [("StrategicPartner", "norway", ["sweden"])]


def test_an_accusation_is_a_criticism_of_the_one_accused() -> None:
    """ "accused Sweden of ..." criticises Sweden, not a state named in the charge; "Oslo,
    which he accused of ..." the state before "which"; with a charge of its own type ("of
    meddling"), that type alone."""
    def kinds(text: str) -> list[tuple]:
        return sorted((s.type, s.holder, s.targets) for s in draft(LEAD + text, *PEOPLE).stances)
    assert kinds("Jan Holm accused Sweden of abandoning Finland.") == [
        ("Criticism", "jan-holm", ["sweden"])]
    assert kinds("Jan Holm saved his harshest words for Norway, which he accused of hiding "
                 "its plans.") == [("Criticism", "jan-holm", ["norway"])]
    assert kinds("Jan Holm accused Sweden of meddling in the vote.") == [
        ("AccusationOfInterference", "jan-holm", ["sweden"])]


def test_concern_voiced_by_both_is_a_criticism_held_by_each() -> None:
    """ "The two ministers expressed concern about a plan by Finland": each minister criticises
    Finland; "Both governments voiced concern over ...": each state."""
    text = ("Nordic talks go on\n\nNorwegian Foreign Minister Anna Berg met Swedish Prime Minister "
            "Jan Holm in Oslo on Monday.\n\nThe two ministers expressed concern about a plan by "
            "Finland to raise its fees. Both governments voiced concern over Finland's decision.")
    found = sorted((s.type, s.holder, s.targets) for s in draft(text, *PEOPLE).stances)
    assert found == [("Criticism", "anna-berg", ["finland"]),
                     ("Criticism", "jan-holm", ["finland"]),
                     ("Criticism", "norway", ["finland"]),
                     ("Criticism", "sweden", ["finland"])]


def test_a_capitalised_cue_inside_a_sentence_is_a_name() -> None:
    """ "The Alliance is not the property of any government": the bloc's name, no alliance."""
    assert stances(LEAD + '"The Alliance is not the property of Sweden," Berg said.') == []


def test_a_neighbour_a_brother_country_and_a_friend() -> None:
    """ "Sweden is our neighbour", "a brother country": good neighbourliness; "our oldest
    friend": partnership; "not only our neighbour, it is our partner": the partner alone."""
    def kinds(quote: str) -> list[tuple]:
        return [(s.type, s.holder, s.targets)
                for s in draft(LEAD + f'"{quote}," Berg said.', *PEOPLE).stances]
    assert kinds("Sweden is our neighbour and it will always be") == [
        ("GoodNeighbourliness", "norway", ["sweden"])]
    assert kinds("Sweden is a brother country") == [("GoodNeighbourliness", "norway", ["sweden"])]
    assert kinds("Sweden is our oldest friend") == [("Partnership", "norway", ["sweden"])]
    assert kinds("Sweden is not only our neighbour, it is our partner") == [
        ("Partnership", "norway", ["sweden"])]


def test_who_invites_and_who_is_invited() -> None:
    """ "the minister added that Norway would invite X": Norway invites; "handed X an invitation
    from Y": Y invites X; "an invitation from Y to Z": Z is invited; "invited Sweden's Prime
    Minister, Jan Holm": the person, not his state; "would invite Swedish officials": Sweden."""
    def found(text: str) -> list[tuple]:
        return [(s.type, s.holder, s.targets) for s in draft(LEAD + text, *PEOPLE).stances
                if s.type == "Invitation"]
    assert found("The minister added that Norway would invite Jan Holm to Oslo.") == [
        ("Invitation", "norway", ["jan-holm"])]
    assert found("Holm handed Berg an invitation from Prime Minister Jan Holm to visit "
                 "Stockholm.") == [("Invitation", "jan-holm", ["anna-berg"])]
    assert found("An aide handed the minister an invitation from Anna Berg to Jan Holm, who is "
                 "asked to visit Oslo.") == [("Invitation", "anna-berg", ["jan-holm"])]
    assert found("Anna Berg has invited Sweden's Prime Minister, Jan Holm, to Oslo.") == [
        ("Invitation", "anna-berg", ["jan-holm"])]
    assert found("Berg said Norway would invite Swedish officials to a conference.") == [
        ("Invitation", "norway", ["sweden"])]


def test_a_state_toward_an_organisation() -> None:
    """ "would not ask for consultations within NATO", "will press the Nordic Council to ...":
    multilateral cooperation, with the clause's modality; "would join the patrols" names no
    organisation, and "invited him to attend the summit of" is not the inviter's."""
    entities = PEOPLE + (("nato", "IntergovernmentalOrganization", "NATO"),
                         ("nordic-council", "IntergovernmentalOrganization", "Nordic Council"))

    def found(text: str) -> list[tuple]:
        return [(s.type, s.holder, s.targets, s.modality)
                for s in draft(LEAD + text, *entities).stances]
    assert found("Berg said Norway would not ask for consultations within NATO.") == [
        ("MultilateralCooperation", "norway", ["nato"], "Negated")]
    assert found("Berg said Norway will press the Nordic Council to adopt the plan.") == [
        ("MultilateralCooperation", "norway", ["nordic-council"], "Intended")]
    assert found("Berg said Norway would join the patrols.") == []
    assert found("Berg invited Holm to attend the summit of NATO.") == [
        ("Invitation", "anna-berg", ["jan-holm"], "Current")]


def test_a_state_acting_with_another_intends_to_cooperate() -> None:
    """ "Norway would ask Sweden and Finland to help", "Norway will not sign a pact with
    Sweden": an intent (refused: negated) toward the others; a cue in the action ("balanced
    relations") tells its own type; a question ("whether Norway would ...") is no one's."""
    def found(text: str) -> list[tuple]:
        return [(s.type, s.holder, s.targets, s.modality)
                for s in draft(LEAD + text, *PEOPLE).stances]
    assert found("Berg said Norway would ask Sweden and Finland to help pay for it.") == [
        ("IntentToCooperate", "norway", ["sweden", "finland"], "Intended")]
    assert found("Berg said Norway will not sign a security pact with Sweden.") == [
        ("IntentToCooperate", "norway", ["sweden"], "Negated")]
    assert found("Berg said Norway would keep balanced relations with Sweden and Finland.") == [
        ("BalancedMultiVector", "norway", ["sweden", "finland"], "Intended")]
    assert found("Asked whether Norway would back Sweden in its dispute with Finland, Berg "
                 "said nothing.") == []


def test_the_sides_of_the_last_event_and_a_refusal_in_quotation_marks() -> None:
    """ "The sides agreed to ..." with more states named around: the two of the signing told
    before; "Norway and Sweden have also agreed to ...": both; "Norway would “not return to
    business as usual” with Finland": refused."""
    text = ("Nordic talks go on\n\nNorwegian Foreign Minister Anna Berg and Swedish Prime "
            "Minister Jan Holm signed a pact in Oslo on Monday.\n\nBerg spoke of Finland, "
            "Denmark and Russia.\n\nThe sides agreed to hold consultations every year.")
    entities = PEOPLE + (("denmark", "Country", "Denmark"), ("russia", "Country", "Russia"))
    assert sorted((s.holder, s.targets[0]) for s in draft(text, *entities).stances
                  if s.type == "IntentToCooperate") == [("norway", "sweden"), ("sweden", "norway")]
    assert [(s.holder, s.targets, s.modality) for s in draft(
        LEAD + "Norway and Sweden have also agreed to hold a joint exercise.", *PEOPLE).stances
    ] == [("norway", ["sweden"], "Intended"), ("sweden", ["norway"], "Intended")]
    assert [(s.holder, s.targets, s.modality) for s in draft(
        LEAD + "Berg said Norway would \u201cnot return to business as usual\u201d with Finland.",
        *PEOPLE).stances] == [("norway", ["finland"], "Negated")]


def test_charges_refusals_and_words_split_by_quotation_marks() -> None:
    """ "accused Sweden of ‘shameless interference’ in": a cue split by a quotation mark;
    "stopped short of accusing Sweden of interfering": the charge's type, negated; "declined
    to criticise Sweden": a negated criticism by the one who declines; "condemned Swedish air
    strikes": Sweden's; "Norway was “deeply concerned” about Sweden's plan": Norway's."""
    def found(text: str) -> list[tuple]:
        return sorted((s.type, s.holder, s.targets, s.modality)
                      for s in draft(LEAD + text, *PEOPLE).stances)
    assert found("Jan Holm accused Sweden of \u2018shameless interference\u2019 in the vote.") == [
        ("AccusationOfInterference", "jan-holm", ["sweden"], "Current")]
    assert found("Jan Holm stopped short of accusing Sweden of interfering in the vote.") == [
        ("AccusationOfInterference", "jan-holm", ["sweden"], "Negated")]
    assert found("Asked about it, Jan Holm declined to criticise Sweden.") == [
        ("Criticism", "jan-holm", ["sweden"], "Negated")]
    assert found("Jan Holm condemned Swedish air strikes in the north.") == [
        ("Criticism", "jan-holm", ["sweden"], "Current")]
    assert found("Berg said Norway was \u201cdeeply concerned\u201d about Sweden's plan.") == [
        ("Criticism", "norway", ["sweden"], "Current")]


def test_family_a_quarrel_denied_illusions_and_them() -> None:
    """ "Sweden and Finland are family to us": partnership with both; "no quarrel with Sweden":
    good neighbourliness; "no illusions about Sweden's intentions": criticism; "with Sweden and
    Finland, calling them our closest partners": both."""
    def found(text: str) -> list[tuple]:
        return sorted((s.type, s.holder, s.targets)
                      for s in draft(LEAD + text, *PEOPLE).stances)
    assert found('"Sweden and Finland are family to us," Berg said.') == [
        ("Partnership", "norway", ["sweden", "finland"])]
    assert found("Berg said Norway had no quarrel with Sweden.") == [
        ("GoodNeighbourliness", "norway", ["sweden"])]
    assert found("Berg said Norway had no illusions about Sweden's intentions.") == [
        ("Criticism", "norway", ["sweden"])]
    assert found("Berg said she valued the help of Sweden and Finland, calling them \u2018our "
                 "closest partners\u2019.") == [("Partnership", "norway", ["sweden", "finland"])]


def test_an_agreement_told_after_a_first_act_and_both_governments_accused() -> None:
    """ "Norway and Sweden reopened the crossing on Wednesday, ..., and agreed to set up joint
    patrols": a joint intent; "accused both governments of ...": each of the two states;
    "Norway was “ready to continue the dialogue with Sweden": an intent in quotation marks."""
    text = ("Nordic talks go on\n\nNorway and Sweden reopened the border crossing on Wednesday, "
            "nine days after it was shut, and agreed to set up joint patrols.\n\nFinland's "
            "president, Jan Holm, accused both governments of abandoning the north.")
    found = sorted((s.type, s.holder, s.targets) for s in draft(text, *PEOPLE).stances)
    assert found == [("Criticism", "jan-holm", ["norway", "sweden"]),
                     ("IntentToCooperate", "norway", ["sweden"]),
                     ("IntentToCooperate", "sweden", ["norway"])]
    assert [(s.holder, s.targets) for s in draft(
        LEAD + "Berg said Norway was \u201cready to continue the dialogue with Sweden\u201d.",
        *PEOPLE).stances] == [("norway", ["sweden"])]


def test_two_states_acting_toward_an_organisation_hold_it_each() -> None:
    """ "Norway and Sweden will also press the Nordic Council to ...", "The two ministers also
    said they wanted to revive the Nordic Council": each state; "Sweden and Finland are family
    to us" keeps them as targets."""
    entities = PEOPLE + (("nordic-council", "IntergovernmentalOrganization", "Nordic Council"),)
    lead = ("Nordic talks go on\n\nNorwegian Foreign Minister Anna Berg met Swedish Prime "
            "Minister Jan Holm in Oslo on Monday.\n\n")
    for text in ("Norway and Sweden will also press the Nordic Council to adopt the plan.",
                 "The two ministers also said they wanted to revive the Nordic Council."):
        assert sorted((s.holder, s.targets) for s in draft(lead + text, *entities).stances
                      if s.type == "MultilateralCooperation") == [
            ("norway", ["nordic-council"]), ("sweden", ["nordic-council"])], text


def test_the_ordinary_words_of_criticism_and_of_intent() -> None:
    for said in ("Jan Holm took issue with Sweden over the quotas.",
                 "Jan Holm lashed out at Sweden on Tuesday.",
                 "Jan Holm, who decried Sweden's new tariffs, spoke later."):
        assert [s[:3] for s in stances(LEAD + said)] == [("Criticism", "jan-holm", ["sweden"])]
    for said in ('"We will join forces with Sweden," Berg said.',
                 '"Norway wants closer ties with Sweden," Berg said.'):
        assert [s[:4] for s in stances(LEAD + said)] == [
            ("IntentToCooperate", "norway", ["sweden"], "Intended")]


def test_an_acts_object_stays_in_its_clause() -> None:
    text = LEAD + "Jan Holm voiced concerns about the canal, but said Finland would not object."
    assert stances(text) == []


def test_a_charge_tells_the_act_of_the_one_charged() -> None:
    text = LEAD + "Berg said Sweden was interfering in the election."
    assert [s[:3] for s in stances(text)] == [("AccusationOfInterference", "anna-berg",
                                               ["sweden"])]


def test_a_states_stance_with_no_target_is_toward_the_other_state_of_the_lead() -> None:
    lead = "Norway and Sweden mend fences\n\nNorway and Sweden ended a quarrel on Monday.\n\n"
    text = lead + ('Norwegian Foreign Minister Anna Berg said Norway wanted "good-neighbourly '
                   'relations".')
    assert [s[:3] for s in stances(text)] == [("GoodNeighbourliness", "norway", ["sweden"])]
    text = lead + 'Norwegian Foreign Minister Anna Berg said it was "not for the alliance".'
    assert stances(text) == []


def test_support_for_a_bid_is_held_by_the_one_thanked_for_it() -> None:
    text = LEAD + ("Jan Holm thanked Norway for its support of Sweden's candidacy for a seat on "
                   "the council.")
    assert [s[:3] for s in stances(text)] == [("ElectoralEndorsement", "norway", ["sweden"])]


def test_a_post_in_a_ministry_speaks_for_the_state_the_ministrys_name_has() -> None:
    extra = (("norway-foreign-ministry", "GovernmentBody", "Foreign Ministry of Norway"),
             ("spokesman-of-norway-foreign-ministry", "Post",
              "Spokesman of the Foreign Ministry of Norway",
              {"post_in": "norway-foreign-ministry"}),
             ("per-dahl", "Person", "Per Dahl"))
    text = LEAD + '"Sweden is our strategic partner," spokesman Per Dahl said.'
    found = [(s.type, s.holder, s.targets) for s in draft(text, *PEOPLE, *extra).stances]
    assert found == [("StrategicPartner", "norway", ["sweden"])]


def test_who_acts_in_a_passive_a_participle_and_a_government_told_by_its_seat() -> None:
    denmark = (("denmark", "Country", "Denmark"),)

    def found(said: str) -> list[tuple]:
        made = draft(LEAD + said, *PEOPLE, *denmark)
        return [(s.type, s.holder, s.targets) for s in made.stances]

    assert found("Berg did not mention Sweden, whose plans were criticised by Denmark last "
                 "week.") == [("Criticism", "denmark", ["sweden"])]
    assert found("Denmark, which recalled its ambassador in January after accusing Norway of "
                 "stirring unrest, stayed away.") == [
        ("AccusationOfInterference", "denmark", ["norway"])]
    assert found("Jan Holm accused the government in Oslo of selling out the fishermen.") == [
        ("Criticism", "jan-holm", ["norway"])]


def test_a_bare_title_is_of_the_one_state_the_headline_names() -> None:
    sweden = (("foreign-minister-of-sweden", "Post", "Foreign Minister of Sweden",
               {"post_in": "sweden"}), ("per-dahl", "Person", "Per Dahl"))
    text = ("Norway's top diplomat speaks\n\nForeign Minister Anna Berg spoke to us on Monday.\n\n"
            '"Sweden remains an important partner for us in trade, and Finland is our strategic '
            'partner," Berg said.\n\nBerg met Foreign Minister Per Dahl in Oslo on Monday.')
    made = draft(text, *PEOPLE, *sweden)
    assert [(t.person, t.post) for t in made.tenures] == [
        ("anna-berg", "foreign-minister-of-norway"), ("per-dahl", "foreign-minister-of-sweden")]
    assert [(s.type, s.holder, s.targets) for s in made.stances] == [
        ("TradePartner", "norway", ["sweden"]), ("StrategicPartner", "norway", ["finland"])]


def test_a_title_after_the_name_and_one_who_speaks_for_no_state() -> None:
    extra = (("foreign-minister-of-sweden", "Post", "Foreign Minister of Sweden",
              {"post_in": "sweden"}), ("per-dahl", "Person", "Per Dahl"),
             ("eva-lund", "Person", "Eva Lund"))
    text = LEAD + ('"Finland is our closest ally," said Per Dahl, Sweden\'s foreign minister, on '
                   'Monday. The opposition candidate Eva Lund said that as president she would '
                   '"deepen" cooperation with Finland.')
    made = draft(text, *PEOPLE, *extra)
    assert [(t.person, t.post) for t in made.tenures if t.person == "per-dahl"] == [
        ("per-dahl", "foreign-minister-of-sweden")]
    assert [(s.type, s.holder, s.targets) for s in made.stances] == [
        ("AlliedRelations", "sweden", ["finland"]), ("IntentToCooperate", "eva-lund", ["finland"])]


def test_our_allies_named_with_no_one_are_no_one() -> None:
    text = LEAD + '"We have shown our evidence to our allies," Berg said of Sweden.'
    assert stances(text) == []


def test_an_intent_to_talk_denied_or_not() -> None:
    assert [s[:4] for s in stances(LEAD + "Berg said Norway would keep talking to Sweden.")] == [
        ("IntentToCooperate", "norway", ["sweden"], "Intended")]
    assert [s[:4] for s in stances(LEAD + '"Norway will not sit down with Sweden," Berg said.')] \
        == [("IntentToCooperate", "norway", ["sweden"], "Negated")]


def test_opposing_and_rejecting_are_criticism() -> None:
    for said in ("Jan Holm opposed Sweden's plan for a canal.",
                 "Jan Holm warned against Sweden's plan for a canal."):
        assert [s[:3] for s in stances(LEAD + said)] == [("Criticism", "jan-holm", ["sweden"])]


def test_a_participle_after_a_comma_and_a_second_verb_are_the_subjects_acts() -> None:
    text = LEAD + "Jan Holm took issue with Sweden, accusing Stockholm of meddling in the election."
    assert ("AccusationOfInterference", "jan-holm", ["sweden"]) in [s[:3] for s in stances(text)]
    text = LEAD + ("Jan Holm praised Norway's patience and voiced support for Sweden's bid for a "
                   "seat on the council.")
    assert [s[:3] for s in stances(text)] == [("ElectoralEndorsement", "jan-holm", ["sweden"])]


def test_a_role_noun_does_not_name_a_person_introduced_before_it() -> None:
    extra = (("president-of-finland", "Post", "President of Finland", {"post_in": "finland"}),)
    text = LEAD + ("Jan Holm will travel to Helsinki on Thursday for talks with Finland's "
                   "president. Berg told reporters it was fine.")
    assert [t.post for t in draft(text, *PEOPLE, *extra).tenures
            if t.person == "anna-berg"] == ["foreign-minister-of-norway"]


def test_a_protest_told_with_a_summons_is_the_states_toward_the_envoys() -> None:
    russia = (("russia", "Country", "Russia"),)
    text = LEAD + ("On Tuesday, Norway's foreign ministry summoned the Russian ambassador to "
                   "protest against what it called the harassment of fishermen.")
    assert [(s.type, s.holder, s.targets) for s in draft(text, *PEOPLE, *russia).stances] == [
        ("Criticism", "norway", ["russia"])]


def test_a_capital_which_is_accused_stands_for_its_state() -> None:
    text = LEAD + "Jan Holm saved his harshest words for Oslo, which he accused of stalling."
    assert [s[:3] for s in stances(text)] == [("Criticism", "jan-holm", ["norway"])]


def test_working_through_or_strengthening_a_bloc_and_a_shared_destiny() -> None:
    council = (("nordic-council", "IntergovernmentalOrganization", "Nordic Council"),)
    text = LEAD + "Berg said Norway would work through the Nordic Council on fisheries."
    found = [(s.type, s.holder, s.targets) for s in draft(text, *PEOPLE, *council).stances]
    assert found == [("MultilateralCooperation", "norway", ["nordic-council"])]
    text = LEAD + '"Norway and Sweden share one destiny," Berg said.'
    found = [(s.type, s.holder, s.targets) for s in draft(text, *PEOPLE).stances]
    assert found == [("GoodNeighbourliness", "norway", ["sweden"])]


def test_the_two_sides_agreeing_that_after_a_first_act_of_theirs() -> None:
    text = LEAD + ("Norway and Sweden held talks in Oslo on Monday. The two sides stressed the "
                   "value of trade, and agreed that Sweden would host a joint drill in May.")
    found = {(s.holder, tuple(s.targets)) for s in draft(text, *PEOPLE).stances
             if s.type == "IntentToCooperate"}
    assert found == {("norway", ("sweden",)), ("sweden", ("norway",))}


def test_a_joint_statement_is_each_states_with_no_one_speaking() -> None:
    """ "The joint statement describes ... as ‘a strategic partnership’. It strongly condemns
    Finland's ...": each of the two states of the meeting holds it, on the meeting's day."""
    text = ("Nordic talks go on\n\nNorway and Sweden held talks in Oslo on Monday.\n\n"
            "The joint statement describes the relationship as \u2018a strategic "
            "partnership\u2019. It strongly condemns Finland's missile launch last month.")
    found = {(s.type, s.holder, tuple(s.targets), s.speaker, str(s.stated_on))
             for s in draft(text, *PEOPLE).stances}
    assert found == {("StrategicPartner", "norway", ("sweden",), None, "2024-05-13"),
                     ("StrategicPartner", "sweden", ("norway",), None, "2024-05-13"),
                     ("Criticism", "norway", ("finland",), None, "2024-05-13"),
                     ("Criticism", "sweden", ("finland",), None, "2024-05-13")}


def test_the_two_ministers_condemn_attacks_claimed_by_a_group() -> None:
    """ "condemned the attacks on shipping claimed by the X group": X is criticised, by each."""
    group = (("pirates", "Organization", "Pirate Front", {"alt_labels": ["Pirate group"]}),)
    text = ("Nordic talks go on\n\nNorwegian Foreign Minister Anna Berg met Swedish Foreign "
            "Minister Jan Holm in Oslo on Monday.\n\nThe statement said the two ministers "
            "condemned the attacks on shipping in the Baltic claimed by the Pirate group.")
    found = {(s.type, s.holder, tuple(s.targets)) for s in draft(text, *PEOPLE, *group).stances}
    assert found == {("Criticism", "anna-berg", ("pirates",)),
                     ("Criticism", "jan-holm", ("pirates",))}
