"""The converter on a small hand-written project: IRIs, evidence offsets, provenance, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from kgpub.convert import normalise_quote, short_hash
from kgpub.errors import SourceError
from kgpub.namespaces import KGG, KGP, KGR, OA, SCHEMA
from kgpub.pipeline import build_dataset

ARTICLE = KGR["article/rns-dispatch"]
STANCE = KGR["stance/ruritania-freedonia-strategic-partner-2020-03-03"]


def facts_file(project: Path) -> Path:
    return project / "data/facts/dispatch.yaml"


def edit(project: Path, old: str, new: str) -> None:
    path = facts_file(project)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(project: Path) -> list[str]:
    with pytest.raises(SourceError) as exc:
        build_dataset(project)
    return [str(p) for p in exc.value.problems]


def test_stance_and_quote_iris_are_computed(mini_project: Path) -> None:
    ds, _ = build_dataset(mini_project)
    g = ds.graph(KGG["article/rns-dispatch"])
    assert (STANCE, RDF.type, KGP.Stance) in g
    text = "We will deepen our ties with Freedonia, our closest friend,"
    quote = KGR[f"quote/{short_hash('anna-brandt', normalise_quote(text), '2020-03-03')}"]
    assert (STANCE, KGP.expressedIn, quote) in g
    assert (quote, SCHEMA.text,
            Literal("We will deepen our ties with Freedonia, our closest friend", lang="en")) in g
    assert (STANCE, KGP.reportedIn, ARTICLE) in g


def test_evidence_has_both_selectors_with_code_point_offsets(mini_project: Path) -> None:
    ds, _ = build_dataset(mini_project)
    g = ds.graph(KGG["article/rns-dispatch"])
    text = (mini_project / "data/articles/dispatch.txt").read_text(encoding="utf-8")
    (ann,) = g.objects(STANCE, KGP.evidence)
    assert (ann, OA.hasBody, STANCE) in g
    target = g.value(ann, OA.hasTarget)
    assert g.value(target, OA.hasSource) == ARTICLE
    selectors = {g.value(s, RDF.type): s for s in g.objects(target, OA.hasSelector)}
    exact = str(g.value(selectors[OA.TextQuoteSelector], OA.exact))
    start = g.value(selectors[OA.TextPositionSelector], OA.start)
    end = g.value(selectors[OA.TextPositionSelector], OA.end)
    assert start.datatype == XSD.integer  # what RDF stores give back (see canonical_literals)
    assert exact == "our closest friend" == text[int(start):int(end)]
    # "—" before it is one code point (three UTF-8 bytes): offsets are code points.
    assert int(start) == text.index("our closest friend")
    prefix = str(g.value(selectors[OA.TextQuoteSelector], OA.prefix))
    assert text[int(start) - len(prefix):int(start)] == prefix


def test_superclasses_are_materialised(mini_project: Path) -> None:
    ds, _ = build_dataset(mini_project)
    e = ds.graph(KGG.entities)
    person = KGR["person/anna-brandt"]
    assert (person, RDF.type, KGP.Person) in e
    assert (person, RDF.type, SCHEMA.Person) in e
    tenure = KGR["tenure/anna-brandt-foreign-minister-of-ruritania"]
    g = ds.graph(KGG["article/rns-dispatch"])
    assert (tenure, RDF.type, URIRef("http://www.w3.org/ns/org#Membership")) in g


def test_quote_not_in_article(mini_project: Path) -> None:
    edit(mini_project, "our ties with Freedonia", "our ties with Fredonia")
    (message,) = messages(mini_project)
    assert "data/facts/dispatch.yaml:12: facts.quotes[0].text" in message
    assert "is not found verbatim in data/articles/dispatch.txt" in message


def test_typographic_quote_hint(mini_project: Path) -> None:
    edit(mini_project, '["(RNS)"]', '["Ruritania\u2019s foreign minister"]')
    (message,) = messages(mini_project)
    assert "publisher_evidence" in message and "not found verbatim" in message
    assert "once quotation marks and apostrophes are normalised" in message


def test_ambiguous_evidence_asks_for_occurrence(mini_project: Path) -> None:
    edit(mini_project, '{text: "our closest friend", occurrence: 1}', '"our closest friend"')
    (message,) = messages(mini_project)
    assert "occurs 2 times" in message and "occurrence: N" in message


def test_unknown_actor_suggests_a_key(mini_project: Path) -> None:
    edit(mini_project, "targets: [freedonia]", "targets: [fredonia]")
    (message,) = messages(mini_project)
    assert "facts.stances[0].targets[0]" in message
    assert "unknown target 'fredonia'" in message and "did you mean 'freedonia'" in message


def test_unknown_stance_type(mini_project: Path) -> None:
    edit(mini_project, "type: StrategicPartner", "type: StrategicPartnr")
    (message,) = messages(mini_project)
    assert "unknown stance type 'StrategicPartnr'" in message
    assert "did you mean StrategicPartner" in message


def test_wrong_kind_of_reference(mini_project: Path) -> None:
    edit(mini_project, "speaker: anna-brandt\n      medium", "speaker: ruritania\n      medium")
    (message,) = messages(mini_project)
    assert "'ruritania' is a Country, but speaker must be a Person (or a subtype)" in message


def test_duplicate_fact_in_one_file(mini_project: Path) -> None:
    path = facts_file(mini_project)
    text = path.read_text(encoding="utf-8")
    block = text[text.index("    - person: anna-brandt"):text.index("  stances:")]
    path.write_text(text.replace(block, block + block), encoding="utf-8")
    (message,) = messages(mini_project)
    assert "duplicate fact" in message and "tenure/anna-brandt" in message
