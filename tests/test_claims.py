"""Many sources, one world: three hand-written articles report one state visit differently.

tests/fixtures/many: an announcement (scheduled for March 10, in Zenda), a report of the visit
(held March 10, in Strelsau, with an award), and a recap derived from that report (March 11, in
Zenda). The build accepts all three; what they disagree on is data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT
from rdflib import Graph, Literal, URIRef

from kgpub.claims import Properties, SourceIndex, derive
from kgpub.cli import main
from kgpub.namespaces import KGP
from kgpub.query import load_store

VISIT = "https://w3id.org/kgpub/id/event/2020-03-10-kessler-visit-to-ruritania"
AWARD = "https://w3id.org/kgpub/id/event/2020-03-10-order-of-the-silver-eagle-for-kessler"
ARTICLES = {"rns": "https://w3id.org/kgpub/id/article/rns-visit-announced",
            "fg": "https://w3id.org/kgpub/id/article/fg-visit-held",
            "zt": "https://w3id.org/kgpub/id/article/zt-visit-recap"}
PREFIXES = """PREFIX kgp: <https://w3id.org/kgpub/ontology#>
PREFIX schema: <http://schema.org/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
"""


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory):
    """The fixture project, built through the CLI; its root and the build's output."""
    root = tmp_path_factory.mktemp("many")
    shutil.copytree(FIXTURES / "many" / "data", root / "data")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "shapes", root / "shapes")
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root, result.output


@pytest.fixture(scope="module")
def store(many) -> ox.Store:
    root, _ = many
    return load_store([root / "data/ttl/kgpub.nq"])


def rows(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    result = store.query(PREFIXES + query)  # load_store made the default graph the union
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]


def test_the_build_accepts_different_descriptions_and_counts_the_conflicts(many) -> None:
    _, output = many
    assert "conforms to the shapes" in output
    assert ("warning: 3 conflicts between sources (2 disagreements, 1 change over time): "
            "`kgpub conflicts` lists them") in output


def test_each_article_graph_keeps_what_it_says(store: ox.Store) -> None:
    got = rows(store, f"""SELECT ?g ?status ?date ?place WHERE {{ GRAPH ?g {{
        <{VISIT}> kgp:status ?status ; schema:startDate ?date ; sem:hasPlace ?place }} }}""")
    graphs = "https://w3id.org/kgpub/graph/article/"
    kgp, place = "https://w3id.org/kgpub/ontology#", "https://w3id.org/kgpub/id/place/"
    assert {(r["g"], r["status"], r["date"], r["place"]) for r in got} == {
        (graphs + "rns-visit-announced", kgp + "Scheduled", "2020-03-10", place + "zenda"),
        (graphs + "fg-visit-held", kgp + "Occurred", "2020-03-10", place + "strelsau"),
        (graphs + "zt-visit-recap", kgp + "Occurred", "2020-03-11", place + "zenda"),
    }


def test_did_the_visit_happen_in_one_simple_query(store: ox.Store) -> None:
    (row,) = rows(store, f"SELECT ?status ?asOf WHERE {{ <{VISIT}> kgp:latestStatus ?status ; "
                         "kgp:latestStatusAsOf ?asOf }")
    assert (row["status"], row["asOf"]) == (str(KGP.Occurred), "2020-03-12")


def test_corroboration_counts_and_independence(store: ox.Store) -> None:
    got = {r["fact"]: (int(r["n"]), int(r["i"])) for r in rows(store, """
        SELECT ?fact ?n ?i WHERE { ?fact kgp:reportCount ?n ; kgp:independentReportCount ?i }""")}
    assert got[VISIT] == (3, 2)  # the recap derives from the Gazette: one voice, not two
    assert got[AWARD] == (2, 1)
    tenure = "https://w3id.org/kgpub/id/tenure/anna-brandt-foreign-minister-of-ruritania"
    assert got[tenure] == (2, 2)


def test_the_documented_corroboration_query_agrees(store: ox.Store) -> None:
    query = (ROOT / "queries" / "corroboration.rq").read_text(encoding="utf-8")
    result = store.query(query)
    got = {s["fact"].value: (int(s["articles"].value), int(s["independent"].value))
           for s in result}
    assert got[VISIT] == (3, 2) and got[AWARD] == (2, 1)


def test_conflicts_json_lists_each_value_with_its_articles_and_evidence(many) -> None:
    root, _ = many
    result = CliRunner().invoke(main, ["conflicts", "--root", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["count"], data["disagreements"], data["changes_over_time"]) == (3, 2, 1)
    by_property = {c["property"]: c for c in data["conflicts"]}
    assert set(by_property) == {"kgp:status", "schema:startDate", "sem:hasPlace"}
    assert all(c["thing"] == VISIT for c in data["conflicts"])
    status = by_property["kgp:status"]
    assert status["kind"] == "change over time"
    assert [(v["value"].rsplit("#", 1)[-1], [s["date"] for s in v["sources"]])
            for v in status["values"]] == [("Scheduled", ["2020-03-04"]),
                                           ("Occurred", ["2020-03-11", "2020-03-12"])]
    place = by_property["sem:hasPlace"]
    assert place["kind"] == "disagreement"
    strelsau = next(v for v in place["values"] if v["label"] == "Strelsau")
    (source,) = strelsau["sources"]
    assert source["source"] == ARTICLES["fg"]
    assert source["label"] == "Kessler and Brandt open a new chapter"
    assert source["evidence"] == ["held talks in Strelsau on March 10 during the first state visit"]
    dates = by_property["schema:startDate"]
    assert {v["value"]: len(v["sources"]) for v in dates["values"]} == {"2020-03-10": 2,
                                                                        "2020-03-11": 1}


def test_conflicts_text_and_property_filter(many) -> None:
    root, _ = many
    text = CliRunner().invoke(main, ["conflicts", "--root", str(root), "--property",
                                     "kgp:status"])
    assert text.exit_code == 0, text.output
    assert "kgp:status: change over time" in text.output
    assert "as of 2020-03-04: Kessler to visit Ruritania next week" in text.output
    assert "\u201cvisited Zenda on March 11\u201d" in text.output
    assert text.output.rstrip().endswith("1 conflict (0 disagreements, 1 change over time)")
    refused = CliRunner().invoke(main, ["conflicts", "--root", str(root), "--property",
                                        "sem:hasActor"])
    assert refused.exit_code == 2
    assert "sem:hasActor admits several values" in refused.output
    assert "kgp:status" in refused.output  # says which properties can conflict


def test_the_same_sentence_on_two_days_is_two_utterances(store: ox.Store) -> None:
    got = rows(store, """SELECT DISTINCT ?q ?day ?g WHERE { GRAPH ?g {
        ?q a kgp:Quote ; schema:text "Our two nations are bound by friendship"@en ;
           kgp:utteredOn ?day } }""")
    assert sorted((r["day"], r["g"].rsplit("/", 1)[-1]) for r in got) == [
        ("2020-03-03", "rns-visit-announced"), ("2020-03-10", "fg-visit-held")]
    assert len({r["q"] for r in got}) == 2


def test_one_tenure_attested_by_two_articles(store: ox.Store) -> None:
    got = rows(store, """SELECT ?t ?on ?g WHERE { GRAPH ?g {
        ?t org:member <https://w3id.org/kgpub/id/person/anna-brandt> ; kgp:attestedOn ?on } }""")
    assert len({r["t"] for r in got}) == 1
    assert sorted(r["on"] for r in got) == ["2020-03-04", "2020-03-10"]


def test_an_award_is_an_event_type_from_the_vocabulary(store: ox.Store) -> None:
    got = rows(store, f"""SELECT ?visit WHERE {{ <{AWARD}> a kgp:Award , kgp:Event .
        ?visit sem:hasSubEvent <{AWARD}> }}""")
    assert {r["visit"] for r in got} == {VISIT}


def test_a_located_dateline_takes_an_occurrence(store: ox.Store, many) -> None:
    root, _ = many
    text = (root / "data/articles/zt-visit-recap.txt").read_text(encoding="utf-8")
    second = text.index("ZENDA", text.index("ZENDA") + 1)
    got = rows(store, f"""SELECT ?start WHERE {{ <{ARTICLES['zt']}> schema:dateline "ZENDA" ;
        kgp:evidence ?a . ?a oa:hasTarget/oa:hasSelector/oa:exact "ZENDA" ;
        oa:hasTarget/oa:hasSelector/oa:start ?start }}""")
    assert [int(r["start"]) for r in got] == [second]


def test_the_default_dataset_has_no_conflicts(built) -> None:
    out, result = built
    assert result.claims is not None and result.claims.conflicts == []
    listing = CliRunner().invoke(main, ["conflicts", "--data", str(out / "kgpub.nq")])
    assert listing.exit_code == 0 and listing.output.startswith("no conflicts")


# ----------------------------------------------------------------------------- derive, unit


def _index(source: str, as_of: str | None, value: URIRef) -> SourceIndex:
    thing = "https://example.org/e"
    return SourceIndex(source, dt.date.fromisoformat(as_of) if as_of else None,
                       {(thing, str(KGP.status), f"<{value}>")})


PROPS = Properties(frozenset({KGP.status}), frozenset({KGP.status}), {KGP.status: KGP.latestStatus},
                   {KGP.status: KGP.latestStatusAsOf})


@pytest.mark.parametrize("dates, kind", [
    (("2020-01-01", "2020-01-02"), KGP.ChangeOverTime),
    (("2020-01-02", "2020-01-02"), KGP.Disagreement),  # the same day, two statuses
    (("2020-01-01", None), KGP.Disagreement),  # no date to order by
])
def test_change_over_time_needs_one_value_per_date(dates, kind) -> None:
    derived = derive([_index("https://example.org/a", dates[0], KGP.Scheduled),
                      _index("https://example.org/b", dates[1], KGP.Occurred)], PROPS)
    (conflict,) = derived.conflicts
    assert conflict.kind == kind


def test_no_latest_value_when_the_latest_sources_disagree() -> None:
    derived = derive([_index("https://example.org/a", "2020-01-02", KGP.Scheduled),
                      _index("https://example.org/b", "2020-01-02", KGP.Cancelled),
                      _index("https://example.org/c", "2020-01-01", KGP.Occurred)], PROPS)
    assert (None, KGP.latestStatus, None) not in derived.graph
    single = derive([_index("https://example.org/a", "2020-01-02", KGP.Scheduled)], PROPS)
    assert (URIRef("https://example.org/e"), KGP.latestStatusAsOf,
            Literal("2020-01-02", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))) \
        in single.graph
    assert isinstance(single.graph, Graph) and single.conflicts == []


# ----------------------------------------------------------------------------- the page


def test_the_resource_page_shows_both_sides_and_the_counts(store: ox.Store) -> None:
    from test_site import parse

    from kgpub.site import Site, SiteConfig, bindings_from_pyoxigraph

    async def select(query: str):
        return bindings_from_pyoxigraph(store.query(query))

    html = asyncio.run(Site(select, SiteConfig(), None).resource_page(VISIT))
    (section,) = [n for n in parse(html).find_all("section") if n.has_class("claims")]
    text = " ".join(section.text().split())
    assert "Reported by 3 articles, 2 of them independent" in text
    assert "Latest reported status: occurred (as of 2020-03-12)" in text
    blocks = section.with_class("conflict")
    headings = sorted(" ".join(b.find_all("h3")[0].text().split()) for b in blocks)
    assert [h.split(":")[0] for h in headings] == ["Changed over time", "Sources disagree",
                                                   "Sources disagree"]
    (place,) = [b for b in blocks if "sem:hasPlace" in b.text()]
    rows = {r.with_class("value")[0].text().strip(): [m.text() for m in r.find_all("mark")]
            for r in place.find_all("tr")[1:]}
    assert rows == {
        "Zenda": ["The talks will be held in Zenda",
                  "will pay a state visit to Ruritania on March 10",
                  "visited Zenda on March 11"],
        "Strelsau": ["held talks in Strelsau on March 10 during the first state visit"]}
