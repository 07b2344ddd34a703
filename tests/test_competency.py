"""The ten competency questions of the design notes, run on the built dataset, with answers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgpub.query import run

QUERIES = Path(__file__).resolve().parents[1] / "queries"


def rows(store: ox.Store, n: int) -> list[dict[str, str]]:
    result = run(store, (QUERIES / f"cq{n:02d}.rq").read_text(encoding="utf-8"))
    names = [v.value for v in result.variables]
    return [{k: (sol[k].value if sol[k] is not None else None) for k in names} for sol in result]


def test_every_query_file_exists() -> None:
    assert sorted(p.name for p in QUERIES.glob("cq*.rq")) == [f"cq{i:02d}.rq" for i in range(1, 11)]


def test_cq01_strategic_partners(store: ox.Store) -> None:
    got = {(r["countryLabel"], r["stanceType"], r["intensifier"], r["date"], r["mediumLabel"])
           for r in rows(store, 1)}
    assert got == {
        ("Russia", "main strategic partner", "main", "2017-11-27", "TASS"),
        ("China", "strategic partner", "important", "2017-11-27", "TASS"),
    }
    for r in rows(store, 1):
        assert r["quote"].startswith("We intend to deepen our allied relations with Russia")
        assert set(r["reportedBy"].split(", ")) == {"RFE/RL", "The Times of Central Asia"}


def test_cq02_posts_on_2017_11_28(store: ox.Store) -> None:
    result = rows(store, 2)
    got = {(r["personLabel"], r["postLabel"], r["basis"], r["source"]) for r in result}
    assert got == {
        ("Sooronbai Jeenbekov", "President of Kyrgyzstan", "interval", "article"),
        ("Aizada Subakojoeva", "Head of the Foreign Policy Department of the Kyrgyz "
         "Presidential Administration", "attested", "article"),
        ("Vladimir Putin", "President of Russia", "attested", "article"),
        ("Dmitry Medvedev", "Prime Minister of Russia", "attested", "article"),
        ("Sooronbai Jeenbekov", "President of Kyrgyzstan", "interval", "context"),
        ("Dmitry Medvedev", "Prime Minister of Russia", "interval", "context"),
        ("Nursultan Nazarbaev", "President of Kazakhstan", "interval", "context"),
    }  # Atambaev left office on 2017-11-24: not among them


def test_cq03_fourteen_corroborated_none_independent(store: ox.Store) -> None:
    result = rows(store, 3)
    kinds = [r["kind"].rsplit("#", 1)[-1] for r in result]
    assert len(result) == 14
    assert (kinds.count("Event"), kinds.count("Quote"), kinds.count("Stance")) == (2, 5, 7)
    assert all(r["articles"] == "2" for r in result)
    assert all(r["independent"] == "false" for r in result)


def test_cq04_twelve_quote_rows(store: ox.Store) -> None:
    result = rows(store, 4)
    assert len(result) == 12
    by_article: dict[str, list[tuple[int, int]]] = {}
    for r in result:
        by_article.setdefault(r["article"].rsplit("/", 1)[-1], []).append(
            (int(r["start"]), int(r["end"])))
    a = sorted(by_article["rferl-28883735"])
    b = sorted(by_article["tca-20171129-jeenbekov-visit-russia"])
    assert a == [(341, 363), (483, 625), (741, 916), (1077, 1087), (1151, 1247), (1643, 1720)]
    assert b == [(481, 640), (871, 893), (1030, 1172), (1319, 1329), (1393, 1489), (1558, 1635)]
    subakojoeva = [r for r in result if r["speakerLabel"] == "Aizada Subakojoeva"]
    assert len(subakojoeva) == 1 and subakojoeva[0]["mediumLabel"] is None
    assert subakojoeva[0]["date"] == "2017-11-28"
    exacts = {r["exact"] for r in result}
    assert any("each other\u2019s" in e for e in exacts)
    assert any("each other's" in e for e in exacts)


def test_cq05_negative(store: ox.Store) -> None:
    result = rows(store, 5)
    got = {(r["kind"], r["fromLabel"], r["toLabel"], r["typeLabel"], r["cameo"], r["plover"])
           for r in result}
    assert got == {
        ("stance", "Almazbek Atambaev", "Nursultan Nazarbaev", "criticism", "111", "ACCUSE"),
        ("stance", "Almazbek Atambaev", "Nursultan Nazarbaev", "accusation of interference",
         "112", "ACCUSE"),
        ("assessment", "Kazakhstan", "Kyrgyzstan", "tense", None, None),
    }
    assert {r["source"] for r in result} == {"RFE/RL"}
    assert len({r["fact"] for r in result}) == 3


def test_cq06_igos(store: ox.Store) -> None:
    result = rows(store, 6)
    assert {r["qid"] for r in result} == {"Q318693", "Q7779", "Q4173083", "Q485207"}
    for r in result:
        assert set(r["dominatedBy"].split(", ")) == {"Russia", "Kazakhstan", "China"}


def test_cq07_addressed_and_not_mentioned(store: ox.Store) -> None:
    result = rows(store, 7)
    addressed = {r["label"] for r in result if r["relation"] == "addressed"}
    assert addressed == {
        "Russia", "China", "European Union", "Collective Security Treaty Organization",
        "Commonwealth of Independent States", "Eurasian Economic Union",
        "Shanghai Cooperation Organization", "other former Soviet republics in Central Asia"}
    assert {r["label"] for r in result if r["relation"] == "not mentioned"} == {"United States"}
    eu = [r for r in result if r["label"] == "European Union"]
    assert eu[0]["asWorded"] == "our European partners"


def test_cq08_jeenbekov_week(store: ox.Store) -> None:
    result = rows(store, 8)
    assert [(r["date"], r["status"]) for r in result] == [
        ("2017-11-24", "occurred"), ("2017-11-27", "occurred"),
        ("2017-11-29", "scheduled"), ("2017-11-30", "scheduled")]
    assert result[2]["placeLabel"] == "Russia"
    # what each article reported, and when, beside the latest status
    assert result[2]["reportedAs"] == "scheduled (The Times of Central Asia, 2017-11-29)"
    assert sorted(result[0]["reportedAs"].split("; ")) == [
        "occurred (RFE/RL, 2017-11-29)", "occurred (The Times of Central Asia, 2017-11-29)"]
    assert (result[3]["placeLabel"], result[3]["inCountry"]) == ("Minsk", "Belarus")
    assert result[3]["outcome"] == "occurred"


def test_cq09_who_spoke_about_russia(store: ox.Store) -> None:
    result = rows(store, 9)
    got = {(r["speakerLabel"], r["postLabel"], r["date"], r["typeLabel"], r["attribution"])
           for r in result}
    head = ("Head of the Foreign Policy Department of the Kyrgyz Presidential Administration")
    assert got == {
        ("Sooronbai Jeenbekov", "President of Kyrgyzstan", "2017-11-27", "allied relations",
         "DirectQuote"),
        ("Sooronbai Jeenbekov", "President of Kyrgyzstan", "2017-11-27",
         "balanced multi-vector policy", "JournalistCharacterization"),
        ("Sooronbai Jeenbekov", "President of Kyrgyzstan", "2017-11-27",
         "main strategic partner", "DirectQuote"),
        ("Aizada Subakojoeva", head, "2017-11-28", "allied relations", "DirectQuote"),
        ("Aizada Subakojoeva", head, "2017-11-28", "strategic partner", "DirectQuote"),
    }
    channels = {r["speakerLabel"]: r["channel"] for r in result}
    assert channels == {"Sooronbai Jeenbekov": "TASS interview with Sooronbai Jeenbekov",
                        "Aizada Subakojoeva": "Briefing by Aizada Subakojoeva on Jeenbekov's "
                                              "visits"}


def test_cq10_taken_and_left_out(store: ox.Store) -> None:
    result = rows(store, 10)
    taken = {r["fact"] for r in result if r["inTCA"] == "true"}
    assert taken == {r["fact"] for r in rows(store, 3)}  # exactly the corroborated 14
    left = {(r["kind"].rsplit("#", 1)[-1], r["label"]) for r in result if r["inTCA"] == "false"}
    assert left == {
        ("Event", "Kyrgyz presidential election of 15 October 2017"),
        ("Event", "Nursultan Nazarbaev's meeting with Jeenbekov's chief rival for the presidency"),
        ("Omission", "no mention of United States"),
        ("Quote", "We surely [will] continue developing our cooperation with our European "
                  "partners, especially in such issues as supporting parliamentary and developing "
                  "the Open Society program"),
        ("RelationAssessment", "Kyrgyzstan\u2013Kazakhstan relations: tense"),
        ("Stance", "accusation of interference"),
        ("Stance", "criticism"),
        ("Stance", "electoral endorsement"),
        ("Stance", "intent to cooperate"),
    }
