"""Actor linking over the registry and the table of states: labels, spellings, surnames after
the full name, possessives, adjectives, capitals standing for states, seats of government,
acronyms, and ambiguous names left unlinked with their candidates."""

from __future__ import annotations

from pathlib import Path

from draft_util import registry

from kgpub.draft.gazetteer import Gazetteer
from kgpub.draft.lexicon import load_lexicon
from kgpub.draft.text import Span, build_document

ROOT = Path(__file__).resolve().parents[1]


def link(text: str, *entities: tuple, dateline: Span | None = None):
    gazetteer = Gazetteer(registry(*entities), load_lexicon(ROOT))
    return [(m.surface, m.key, m.how, m.role) for m in gazetteer.link(build_document(text),
                                                                      dateline)]


STATES = (("russia", "Country", "Russia", {"alt_labels": ["Russian Federation"]}),
          ("kyrgyzstan", "Country", "Kyrgyzstan"), ("moscow", "City", "Moscow"))


def test_labels_spellings_possessives_adjectives() -> None:
    found = link("The Russian Federation and Kyrgyzstan's leader met Kyrgyz officials and the "
                 "Russian side.", *STATES)
    assert found == [("Russian Federation", "russia", "alt", ""),
                     ("Kyrgyzstan", "kyrgyzstan", "label", ""),
                     ("Kyrgyz", "kyrgyzstan", "demonym", "state"),
                     ("Russian", "russia", "demonym", "state")]


def test_an_adjective_in_a_title_is_marked_as_such() -> None:
    assert link("Russian President Ivan Belov spoke.", *STATES)[0] == (
        "Russian", "russia", "demonym", "title")


def test_a_capital_stands_for_its_state_unless_it_is_a_place() -> None:
    found = link("Moscow and Bishkek will deepen ties, he said in Moscow. Talks in Bishkek.",
                 *STATES)
    assert found == [("Moscow", "russia", "capital", "state"),
                     ("Bishkek", "kyrgyzstan", "capital", "state"),
                     ("Moscow", "moscow", "label", "place")]  # "in Bishkek": no city entity


def test_the_dateline_city_is_the_city() -> None:
    text = "MOSCOW (Wire) - Moscow said no."
    assert link(text, *STATES, dateline=Span(0, 13))[:2] == [
        ("MOSCOW", "moscow", "label", "place"), ("Moscow", "russia", "capital", "state")]


def test_a_seat_of_government_stands_for_its_state() -> None:
    assert link("The Kremlin said it would reply.", *STATES) == [
        ("Kremlin", "russia", "seat", "state")]


def test_surnames_link_with_confidence_by_whether_the_full_name_occurs() -> None:
    people = (("ivan-belov", "Person", "Ivan Belov"),)
    gazetteer = Gazetteer(registry(*people), load_lexicon(ROOT))
    named = gazetteer.link(build_document("Ivan Belov arrived. Belov spoke."))
    alone = gazetteer.link(build_document("Belov spoke."))
    assert [(m.key, m.how, m.confidence) for m in named] == [
        ("ivan-belov", "label", 0.95), ("ivan-belov", "surname", 0.9)]
    assert [(m.key, m.confidence) for m in alone] == [("ivan-belov", 0.6)]



def test_a_two_part_surname_links_by_its_first_part_and_by_both() -> None:
    """Spanish and Portuguese names: "Marcelo Arze Zubieta" is Arze, or Arze Zubieta."""
    people = (("marcelo-arze-zubieta", "Person", "Marcelo Arze Zubieta"),)
    found = link("Marcelo Arze Zubieta arrived. Arze spoke, then Arze Zubieta left.", *people)
    assert [(surface, key, how) for surface, key, how, _ in found] == [
        ("Marcelo Arze Zubieta", "marcelo-arze-zubieta", "label"),
        ("Arze", "marcelo-arze-zubieta", "surname"),
        ("Arze Zubieta", "marcelo-arze-zubieta", "surname")]

def test_a_shared_surname_is_ambiguous_unless_one_was_named_in_full() -> None:
    people = (("ivan-belov", "Person", "Ivan Belov"), ("olga-belov", "Person", "Olga Belov"))
    gazetteer = Gazetteer(registry(*people), load_lexicon(ROOT))
    [mention] = gazetteer.link(build_document("Belov spoke."))
    assert (mention.key, mention.candidates) == (None, ("ivan-belov", "olga-belov"))
    both = gazetteer.link(build_document("Olga Belov arrived. Belov spoke."))
    assert both[-1].key == "olga-belov"


def test_an_acronym_defined_in_brackets_names_the_organisation_afterwards() -> None:
    org = (("eaeu", "IntergovernmentalOrganization", "Eurasian Economic Union"),)
    found = link("The Eurasian Economic Union (EEU) met. The EEU agreed.", *org)
    assert [(s, k) for s, k, _, _ in found] == [
        ("Eurasian Economic Union", "eaeu"), ("EEU", "eaeu"), ("EEU", "eaeu")]


def test_names_inside_longer_names_are_mentions_that_stand_for_nothing() -> None:
    found = link("The Bank of Kyrgyzstan said.", ("bank", "Organization", "Bank of Kyrgyzstan"),
                 *STATES)
    assert found == [("Bank of Kyrgyzstan", "bank", "label", ""),
                     ("Kyrgyzstan", "kyrgyzstan", "label", "nested")]


def test_states_the_registry_lacks_are_reported() -> None:
    gazetteer = Gazetteer(registry(*STATES), load_lexicon(ROOT))
    doc = build_document("Russia and Mongolia signed.")
    assert gazetteer.unknown_states(doc.text, gazetteer.link(doc)) == [
        ("Mongolia", Span(11, 19))]


def test_a_body_of_a_state_is_also_named_with_the_state_first() -> None:
    body = ("mfa", "GovernmentBody", "Foreign Ministry of Russia")
    found = link("Russia's foreign ministry and the Russian Foreign Ministry said no.", body,
                 *STATES)
    assert [(s, k) for s, k, _, role in found if role != "nested"] == [
        ("Russia's foreign ministry", "mfa"), ("Russian Foreign Ministry", "mfa")]


def test_a_name_inside_is_found_past_the_outer_names_own_variants() -> None:
    group = ("group", "CountryGroup", "other republics in Central Asia",
             {"alt_labels": ["republics in Central Asia"]})
    found = link("Ties with other republics in Central Asia grew.", group,
                 ("central-asia", "Region", "Central Asia"))
    assert [(s, k, role) for s, k, _, role in found] == [
        ("other republics in Central Asia", "group", ""),
        ("Central Asia", "central-asia", "nested")]
