"""The cue lexicons are data: their syntax, and that every concept and property they use exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, SKOS, Graph, URIRef

from kgpub.draft.lexicon import compile_cue, find_cues, load_lexicon
from kgpub.namespaces import KGP, KGST

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("cue", "text", "found"), [
    ("criticis*", "She criticised it; criticism grew.", ["criticised", "criticism"]),
    ("partner", "partners and partner-led", []),
    ("strategic ... partner", "a strategic and trade partner", ["strategic and trade partner"]),
    ("balance ... ties", "to balance ties", ["balance ties"]),
    ("'ll", "We'll go; we will", ["'ll"]),
    ("n't", "don\u2019t stop", ["n\u2019t"]),
    ("good-neighbo*", "good-neighbourly ties", ["good-neighbourly"]),
])
def test_cue_syntax(cue: str, text: str, found: list[str]) -> None:
    compiled = compile_cue("X", cue)
    assert [text[m.start:m.end] for m in find_cues([compiled], text)] == found


def test_the_longest_cue_wins_unless_told_otherwise() -> None:
    cues = [compile_cue("A", "strategic partner"), compile_cue("B", "main strategic partner")]
    assert [m.concept for m in find_cues(cues, "our main strategic partner")] == ["B"]
    both = find_cues(cues, "our main strategic partner", compatible=lambda a, b: True)
    assert sorted(m.concept for m in both) == ["A", "B"]


def test_every_cue_is_about_a_concept_that_exists_and_every_property_is_declared() -> None:
    cues = Graph().parse(ROOT / "ontology" / "draft" / "cues.ttl")
    ontology = Graph().parse(ROOT / "ontology" / "kgpub.ttl")
    vocab = Graph().parse(ROOT / "ontology" / "stance-types.ttl")
    events = Graph().parse(ROOT / "ontology" / "event-types.ttl")
    attribution = Graph().parse(ROOT / "ontology" / "attribution-types.ttl")
    known = set(ontology.subjects()) | set(vocab.subjects()) | set(events.subjects()) | \
        set(attribution.subjects())
    for s, p, _ in cues:
        if isinstance(s, URIRef):
            assert s in known, f"{s} is not defined in the ontology or the vocabularies"
        if str(p).startswith(str(KGP)):
            assert (p, RDF.type, OWL.AnnotationProperty) in ontology, f"{p} is not declared"
    lexicon = load_lexicon(ROOT)
    event_types = {str(c).removeprefix(str(KGP)) for c in events.subjects(SKOS.inScheme,
                                                                             KGP.EventTypes)}
    with_cues = {str(s).removeprefix(str(KGP)) for s in cues.subjects(KGP.draftCue, None)}
    assert {c.concept for c in lexicon.events} == event_types & with_cues
    assert {"Visit", "Summit", "Meeting", "Interview", "Election"} <= event_types & with_cues
    members = {str(o).removeprefix(str(KGST)) for o in vocab.objects(KGST.stanceTypes, None)}
    assert set(lexicon.stances) <= members
    assert lexicon.stances["MainStrategicPartner"].broader == {"StrategicPartner", "Partnership"}
    assert lexicon.intensifiers["main"] == 1.0


def test_the_table_of_states_has_names_adjectives_and_capitals() -> None:
    rows = {row.name: row for row in load_lexicon(ROOT).countries}
    assert len(rows) > 190
    assert rows["Kyrgyzstan"].adjectives == ["Kyrgyz", "Kyrgyzstani"]
    assert rows["Russia"].capitals == ["Moscow"] and rows["Russia"].seats == ["Kremlin"]
