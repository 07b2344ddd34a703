"""The default dataset against the gold standard: identifiers, provenance, graphs, and the traps."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgpub.query import run

A = "https://w3id.org/kgpub/graph/article/rferl-28883735"
B = "https://w3id.org/kgpub/graph/article/tca-20171129-jeenbekov-visit-russia"
PREFIXES = """
PREFIX kgp: <https://w3id.org/kgpub/ontology#>
PREFIX kgr: <https://w3id.org/kgpub/id/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


def select(store: ox.Store, body: str) -> list[dict[str, str | None]]:
    result = run(store, PREFIXES + body)
    names = [v.value for v in result.variables]
    return [{k: (s[k].value if s[k] is not None else None) for k in names} for s in result]


def ask(store: ox.Store, body: str) -> bool:
    return bool(run(store, PREFIXES + body))


VERIFIED_QIDS = {
    "country/kyrgyzstan": "Q813", "country/russia": "Q159", "country/china": "Q148",
    "country/kazakhstan": "Q232", "country/belarus": "Q184", "country/united-states": "Q30",
    "org/european-union": "Q458", "org/csto": "Q318693", "org/sco": "Q485207",
    "org/cis": "Q7779", "org/eaeu": "Q4173083", "org/tass": "Q223799",
    "person/sooronbai-jeenbekov": "Q23810819", "person/vladimir-putin": "Q7747",
    "person/dmitry-medvedev": "Q23530",
}


@pytest.mark.parametrize("path", sorted(VERIFIED_QIDS))
def test_verified_qids_are_same_as(store: ox.Store, path: str) -> None:
    assert ask(store, f"ASK {{ GRAPH <https://w3id.org/kgpub/graph/links> {{ "
                      f"<https://w3id.org/kgpub/id/{path}> owl:sameAs "
                      f"<http://www.wikidata.org/entity/{VERIFIED_QIDS[path]}> }} }}")


def test_posts_match_office_items(store: ox.Store) -> None:
    assert ask(store, "ASK { ?p a org:Post ; skos:exactMatch "
                      "<http://www.wikidata.org/entity/Q853036> }")


def test_unverified_are_not_linked(store: ox.Store) -> None:
    linked = {r["x"] for r in select(store, "SELECT ?x WHERE { ?x owl:sameAs ?wd }")}
    for unverified in ("person/almazbek-atambaev", "person/nursultan-nazarbaev", "org/rferl",
                       "org/tca", "programme/taza-koom", "person/sergey-kwan"):
        assert f"https://w3id.org/kgpub/id/{unverified}" not in linked
    assert not ask(store, "ASK { ?x owl:sameAs <http://www.wikidata.org/entity/Q120484020> }")


def test_labels_are_language_tagged(store: ox.Store) -> None:
    assert not ask(store, "ASK { ?x rdfs:label ?l . FILTER(LANG(?l) = '') }")


def test_every_article_fact_has_provenance_and_evidence(store: ox.Store) -> None:
    missing = select(store, f"""
        SELECT ?fact WHERE {{
          VALUES ?g {{ <{A}> <{B}> }}
          GRAPH ?g {{ ?fact kgp:reportedIn ?article }}
          FILTER NOT EXISTS {{ GRAPH ?g {{ ?fact kgp:evidence ?ann .
                                          ?ann oa:hasTarget/oa:hasSource ?article }} }}
        }}""")
    assert missing == []


def test_article_graphs_hold_no_external_facts(store: ox.Store) -> None:
    for g in (A, B):
        assert not ask(store, f"ASK {{ GRAPH <{g}> {{ ?x dcterms:bibliographicCitation ?c }} }}")
        assert not ask(store, f"ASK {{ GRAPH <{g}> {{ ?x kgp:outcome ?o }} }}")
        assert not ask(store, f"ASK {{ GRAPH <{g}> {{ ?x kgp:designatedOn ?d }} }}")


def test_provenance_vocabularies(store: ox.Store) -> None:
    assert ask(store, "ASK { kgr:article\\/tca-20171129-jeenbekov-visit-russia "
                      "prov:wasDerivedFrom kgr:article\\/rferl-28883735 }")
    assert ask(store, "ASK { ?a a schema:NewsArticle ; prov:hadPrimarySource ?tass }")
    assert ask(store, "ASK { ?q a schema:Quotation ; schema:spokenByCharacter ?p . "
                      "?p a schema:Person }")
    assert ask(store, "ASK { ?m a org:Membership ; org:member ?p ; org:memberDuring ?i }")
    assert ask(store, "ASK { kgr:person\\/sooronbai-jeenbekov org:holds ?post . "
                      "?post a org:Post ; org:postIn kgr:country\\/kyrgyzstan }")
    assert ask(store, "ASK { ?e a schema:Event ; schema:location ?place ; "
                      "schema:startDate '2017-11-30'^^<http://www.w3.org/2001/XMLSchema#date> . "
                      "?place schema:name 'Minsk'@en }")
    assert ask(store, "ASK { kgr:country\\/kyrgyzstan a schema:Country , prov:Agent , foaf:Agent }")


def test_trap_no_author_for_rferl(store: ox.Store) -> None:
    assert not ask(store, "ASK { kgr:article\\/rferl-28883735 schema:author ?x }")
    assert ask(store, "ASK { kgr:article\\/tca-20171129-jeenbekov-visit-russia schema:author "
                      "kgr:person\\/sergey-kwan }")


def test_trap_rferl_date_is_a_range(store: ox.Store) -> None:
    assert not ask(store, "ASK { kgr:article\\/rferl-28883735 schema:datePublished ?d }")
    rows = select(store, "SELECT ?e ?l WHERE { kgr:article\\/rferl-28883735 "
                         "kgp:datePublishedEarliest ?e ; kgp:datePublishedLatest ?l }")
    assert rows == [{"e": "2017-11-27", "l": "2017-11-29"}]


def test_trap_designation_only_in_page_chrome(store: ox.Store) -> None:
    graphs = {r["g"] for r in select(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { "
                                            "?d a kgp:Designation } }")}
    assert graphs and all("/pagechrome/" in g or g.endswith("/context") for g in graphs)


def test_trap_open_society_is_taza_koom(store: ox.Store) -> None:
    assert not ask(store, "ASK { ?x rdfs:label ?l . "
                          "FILTER(CONTAINS(LCASE(STR(?l)), 'open society foundations')) }")
    assert not ask(store, "ASK { kgr:programme\\/taza-koom owl:sameAs ?x }")
    assert ask(store, "ASK { ?s kgp:topic kgr:programme\\/taza-koom }")


def test_trap_editorial_will_is_verbatim(store: ox.Store) -> None:
    assert ask(store, "ASK { ?s oa:exact ?e . FILTER(CONTAINS(?e, 'We surely [will] continue')) }")


def test_trap_duplicated_caption_counted_once(store: ox.Store) -> None:
    rows = select(store, f"""SELECT ?ann WHERE {{ GRAPH <{A}> {{
        ?ann oa:hasTarget/oa:hasSelector/oa:exact
             "Sooronbai Jeenbekov was inaugurated as president on November 24." }} }}""")
    assert rows, "the caption is evidence"
    starts = {r["s"] for r in select(store, f"""SELECT DISTINCT ?s WHERE {{ GRAPH <{A}> {{
        ?t oa:hasSelector ?q , ?p . ?q oa:exact
             "Sooronbai Jeenbekov was inaugurated as president on November 24." .
        ?p oa:start ?s }} }}""")}
    assert starts == {"128"}  # every fact cites the first copy; the second adds nothing
    events = select(
        store, f"SELECT DISTINCT ?e WHERE {{ GRAPH <{A}> {{ ?e a kgp:Inauguration }} }}"
    )
    assert len(events) == 1


def test_trap_speaker_is_not_the_outlet(store: ox.Store) -> None:
    assert not ask(store, "ASK { ?q schema:spokenByCharacter kgr:org\\/rferl }")
    assert not ask(store, "ASK { ?s kgp:statedBy kgr:org\\/rferl }")


def test_trap_balance_is_a_journalist_characterisation(store: ox.Store) -> None:
    rows = select(store, "SELECT ?a ?by WHERE { ?s kgp:stanceType "
                         "<https://w3id.org/kgpub/stance-type/BalancedMultiVector> ; "
                         "kgp:attributionType ?a ; kgp:characterizedBy ?by }")
    assert rows and all(r["a"].endswith("JournalistCharacterization") for r in rows)


def test_trap_dominance_stays_collective(store: ox.Store) -> None:
    """China is never said to dominate (or belong to) the CIS, CSTO or EAEU on its own."""
    assert not ask(store, "ASK { ?igo a kgp:IntergovernmentalOrganization ; kgp:dominatedBy ?x }")
    assert ask(store, "ASK { ?c a kgp:Characterization ; kgp:about kgr:org\\/cis, kgr:org\\/sco ; "
                      "kgp:dominatedBy kgr:country\\/china }")
    assert not ask(store, "ASK { kgr:country\\/china org:memberOf ?o . "
                          "VALUES ?o { kgr:org\\/cis kgr:org\\/csto kgr:org\\/eaeu } }")


def test_trap_us_omission_is_not_a_stance(store: ox.Store) -> None:
    assert not ask(store, "ASK { ?s a kgp:Stance ; kgp:stanceTarget kgr:country\\/united-states }")
    assert ask(store, "ASK { ?o a kgp:Omission ; kgp:notMentioned kgr:country\\/united-states }")


def test_trap_babanov_only_in_context(store: ox.Store) -> None:
    graphs = {r["g"] for r in select(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { "
                                            "?s ?p kgr:person\\/omurbek-babanov } }")}
    assert graphs == {"https://w3id.org/kgpub/graph/context"}


def test_scheduled_events_are_not_occurred_in_articles(store: ox.Store) -> None:
    rows = select(store, f"""SELECT ?s WHERE {{ GRAPH <{B}> {{
        ?e a kgp:Summit ; kgp:status ?s }} }}""")
    assert [r["s"].rsplit("#", 1)[-1] for r in rows] == ["Scheduled"]
