"""Open vocabularies: types are data in ontology/*.ttl, added without a code change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from kgpub.cli import main
from kgpub.query import load_store

MANY = FIXTURES / "many" / "data"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The three-article fixture world, with a copy of the ontology that tests may edit."""
    shutil.copytree(MANY, tmp_path / "data")
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(ROOT / "shapes", tmp_path / "shapes")
    return tmp_path


def dumps(project: Path) -> list[Path]:
    """The dump files of the project (its build cache, beside them, is not one)."""
    out = project / "data/ttl"
    return [p for p in out.iterdir() if p.is_file()] if out.exists() else []


def build(project: Path):
    return CliRunner().invoke(main, ["build", "--root", str(project)])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ask(project: Path, query: str) -> bool:
    store = load_store([project / "data/ttl/kgpub.nq"])
    return bool(store.query("PREFIX kgp: <https://w3id.org/kgpub/ontology#>\n" + query))


NEW_EVENT_TYPE = """
kgp:StateBanquet a owl:Class , skos:Concept ;
    rdfs:subClassOf kgp:Event ;
    skos:inScheme kgp:EventTypes ;
    rdfs:label "state banquet"@en ; skos:prefLabel "state banquet"@en ;
    rdfs:comment "A formal dinner given by a head of state for a visiting one."@en ;
    skos:definition "A formal dinner given by a head of state for a visiting one."@en ;
    rdfs:isDefinedBy <https://w3id.org/kgpub/ontology> .
"""


def test_a_new_event_type_is_one_block_in_a_vocabulary_file(project: Path) -> None:
    facts = project / "data/facts/fg-visit-held.yaml"
    edit(facts, "      type: Award\n", "      type: StateBanquet\n")
    refused = build(project)
    assert refused.exit_code == 1
    assert "unknown event type 'StateBanquet'" in refused.output
    with (project / "ontology/event-types.ttl").open("a", encoding="utf-8") as fh:
        fh.write(NEW_EVENT_TYPE)
    result = build(project)
    assert result.exit_code == 0, result.output
    assert ask(project, "ASK { ?e a kgp:StateBanquet , kgp:Event ; kgp:eventType "
                        "kgp:StateBanquet }")


def test_a_new_actor_type_inherits_its_iri_segment(project: Path) -> None:
    with (project / "ontology/actor-types.ttl").open("a", encoding="utf-8") as fh:
        fh.write('kgp:ThinkTank a owl:Class , skos:Concept ; rdfs:subClassOf kgp:Organization ;\n'
                 '    skos:inScheme kgp:ActorTypes ; skos:prefLabel "think tank"@en .\n')
    if "@prefix owl:" not in (project / "ontology/actor-types.ttl").read_text():
        pytest.fail("actor-types.ttl must declare owl: for this example to work")
    registry = project / "data/actors.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") +
                        "  - key: zenda-institute\n    type: ThinkTank\n"
                        "    label: Zenda Institute\n", encoding="utf-8")
    facts = project / "data/facts/rns-visit-announced.yaml"
    edit(facts, "    - holder: ruritania\n", "    - holder: zenda-institute\n")
    result = build(project)
    assert result.exit_code == 0, result.output
    assert ask(project, "ASK { <https://w3id.org/kgpub/id/org/zenda-institute> a "
                        "kgp:ThinkTank , kgp:Organization , kgp:Agent . ?s kgp:stanceHolder "
                        "<https://w3id.org/kgpub/id/org/zenda-institute> }")


def test_a_new_attribution_type(project: Path) -> None:
    with (project / "ontology/attribution-types.ttl").open("a", encoding="utf-8") as fh:
        fh.write('kgp:LeakedDocument a owl:NamedIndividual , kgp:AttributionType , skos:Concept ;\n'
                 '    skos:inScheme kgp:AttributionTypes ; skos:prefLabel "leaked document"@en '
                 ';\n    rdfs:label "leaked document"@en .\n')
    edit(project / "data/facts/rns-visit-announced.yaml", "attribution: DirectQuote",
         "attribution: LeakedDocument")
    result = build(project)
    assert result.exit_code == 0, result.output
    assert ask(project, "ASK { ?s kgp:attributionType kgp:LeakedDocument }")


def test_an_unknown_type_lists_the_known_ones_with_a_guess(project: Path) -> None:
    edit(project / "data/facts/fg-visit-held.yaml", "      type: Award\n", "      type: Awrad\n")
    edit(project / "data/actors.yaml", "    type: City\n", "    type: Cty\n")
    edit(project / "data/facts/rns-visit-announced.yaml", "attribution: DirectQuote",
         "attribution: DirectQuota")
    result = build(project)
    assert result.exit_code == 1
    out = result.output
    assert re.search(r"data/facts/fg-visit-held.yaml:\d+: facts.events\[1\].type: unknown event "
                     r"type 'Awrad': did you mean Award\? known event types are .*Summit.*Visit",
                     out), out
    assert re.search(r"data/actors.yaml:\d+: entities\[2\].type: unknown actor type 'Cty': did "
                     r"you mean City", out), out
    assert "unknown place" not in out  # the unknown type is said once, not at every use
    assert "unknown attribution type 'DirectQuota': did you mean DirectQuote" in out
    assert "add a new one to ontology/" in out
    assert not dumps(project)  # nothing written


def test_a_concept_without_a_label_is_refused_with_file_and_line(project: Path) -> None:
    vocab = project / "ontology/event-types.ttl"
    with vocab.open("a", encoding="utf-8") as fh:
        fh.write("\nkgp:Parade a owl:Class , skos:Concept ; rdfs:subClassOf kgp:Event ;\n"
                 "    skos:inScheme kgp:EventTypes .\n")
    line = len(vocab.read_text(encoding="utf-8").splitlines()) - 1
    result = build(project)
    assert result.exit_code == 1
    assert (f"ontology/event-types.ttl:{line}: Parade: event type Parade "
            f"(https://w3id.org/kgpub/ontology#Parade) has no skos:prefLabel") in result.output
    assert not dumps(project)


def test_an_event_type_outside_the_event_hierarchy_is_refused(project: Path) -> None:
    with (project / "ontology/event-types.ttl").open("a", encoding="utf-8") as fh:
        fh.write('\nkgp:Banquet a owl:Class , skos:Concept ; skos:inScheme kgp:EventTypes ;\n'
                 '    skos:prefLabel "banquet"@en .\n')
    result = build(project)
    assert result.exit_code == 1
    assert "event type Banquet is not an event: declare it `a owl:Class` with rdfs:subClassOf " \
           "kgp:Event" in result.output


def test_one_thing_with_two_keys_is_refused(project: Path) -> None:
    registry = project / "data/actors.yaml"
    edit(registry, "  - key: freedonia\n    type: Country\n    label: Freedonia\n",
         "  - key: freedonia\n    type: Country\n    label: Freedonia\n    wikidata: Q999999\n"
         "  - key: republic-of-freedonia\n    type: Country\n    label: Republic of Freedonia\n"
         "    wikidata: Q999999\n")
    result = build(project)
    assert result.exit_code == 1
    assert re.search(r"data/actors.yaml:\d+: entities\[2\].wikidata: 'republic-of-freedonia' and "
                     r"'freedonia' are both Wikidata Q999999: one thing with two keys",
                     result.output), result.output
