"""The search index (kgpub.search): made from the built N-Quads, the same bytes twice, finding
names in every spelling the data knows, quote fragments, and never letting query syntax through;
the facet counts of every list equal what SPARQL counts over the same data.

Two datasets: the default one (built once per session by conftest's `built`), and the
fixture world of three articles on one visit (tests/fixtures/many) with one more report of its
stance, written here, that disagrees with the first on the polarity: a conflict to see.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgpub.manifest import sha256_file
from kgpub.query import load_store
from kgpub.search import BadQuery, SearchIndex, build_index, is_current, search_index_path
from kgpub.search.browse import FACET_VALUES, Filters
from kgpub.search.index import make_index
from kgpub.search.kinds import KINDS
from kgpub.search.pictures import NetworkQuery, TimelineQuery
from kgpub.search.query import Interrupted
from kgpub.search.text import fts_query

KGR = "https://w3id.org/kgpub/id/"
KGP = "https://w3id.org/kgpub/ontology#"
PREFIXES = """PREFIX kgp: <https://w3id.org/kgpub/ontology#>
PREFIX schema: <http://schema.org/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX kgg: <https://w3id.org/kgpub/graph/>
"""
# Each facet as the property a SPARQL query would match (see kinds.py and rows.py).
CLASSES = {"actors": None, "articles": "kgp:NewsArticle", "events": "kgp:Event",
           "quotes": "kgp:Quote", "stances": "kgp:Stance", "tenures": "kgp:Tenure"}
PROPERTIES = {
    ("articles", "publisher"): "schema:publisher", ("articles", "language"): "schema:inLanguage",
    ("events", "type"): "kgp:eventType", ("events", "status"): "kgp:status",
    ("events", "latest"): "kgp:latestStatus", ("events", "actor"): "sem:hasActor",
    ("quotes", "speaker"): "schema:spokenByCharacter", ("quotes", "medium"): "kgp:medium",
    ("stances", "holder"): "kgp:stanceHolder", ("stances", "target"): "kgp:stanceTarget",
    ("stances", "type"): "kgp:stanceType", ("stances", "polarity"): "kgp:polarity",
    ("stances", "speaker"): "kgp:statedBy", ("tenures", "person"): "org:member",
    ("tenures", "post"): "kgp:post", ("tenures", "organization"): "org:organization",
}
ACTOR = "GRAPH kgg:entities { ?x a ?v } ?v skos:inScheme kgp:ActorTypes ."


@pytest.fixture(scope="module")
def default(built) -> tuple[SearchIndex, ox.Store]:
    out, _ = built
    return SearchIndex(search_index_path(out)), load_store([out / "kgpub.nq"])


@pytest.fixture(scope="module")
def visit(visit_world: Path) -> tuple[SearchIndex, ox.Store, Path]:
    return (SearchIndex(search_index_path(visit_world)), load_store([visit_world / "kgpub.nq"]),
            visit_world)


def select(store: ox.Store, query: str) -> list[list[str]]:
    return [[t.value if t is not None else "" for t in row]
            for row in store.query(PREFIXES + query)]


# -- the file ---------------------------------------------------------------------------------

def test_the_index_is_the_same_bytes_when_made_again(built, tmp_path: Path) -> None:
    out, _ = built
    make_index(out / "kgpub.nq", tmp_path / "again.sqlite")
    make_index(out / "kgpub.nq", tmp_path / "once-more.sqlite")
    assert (tmp_path / "again.sqlite").read_bytes() == (tmp_path / "once-more.sqlite").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.sqlite", "once-more.sqlite"]
    with sqlite3.connect(tmp_path / "again.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA page_size").fetchone() == (4096,)
        made = list(conn.iterdump())
    # The build makes its index from the pieces kgpub.nq is written from, while it writes them:
    # the same rows as an index of the file.
    with sqlite3.connect(search_index_path(out)) as conn:
        assert list(conn.iterdump()) == made


def test_build_index_writes_only_what_changed(built, tmp_path: Path) -> None:
    out, _ = built
    index = search_index_path(out)
    copy = tmp_path / "search.sqlite"
    shutil.copy(index, copy)
    stamp = copy.stat().st_mtime_ns
    assert build_index(out / "kgpub.nq", copy).changed is False
    assert copy.stat().st_mtime_ns == stamp
    # An index that is not of these N-Quads (a killed build's, another dataset's) is made again.
    copy.write_bytes(b"not an index")
    result = build_index(out / "kgpub.nq", copy)
    assert result.changed and is_current(copy, sha256_file(out / "kgpub.nq"))
    with sqlite3.connect(copy) as made, sqlite3.connect(index) as built_index:
        assert list(made.iterdump()) == list(built_index.iterdump())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["search.sqlite"]  # no leftovers


def test_the_build_keeps_the_index_in_its_cache_not_among_the_dumps(built) -> None:
    out, _ = built
    assert search_index_path(out).parent.name == ".kgpub-cache"
    assert search_index_path(out).is_file()
    assert not [p for p in out.iterdir() if p.suffix == ".sqlite"]


# -- search -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "person"), [
    ("Zheenbekov", "sooronbai-jeenbekov"), ("zheenbekov", "sooronbai-jeenbekov"),
    ("JEENBEKOV", "sooronbai-jeenbekov"), ("Jeenbékov", "sooronbai-jeenbekov"),
    ("Жээнбеков", "sooronbai-jeenbekov"), ("Sooronbay", "sooronbai-jeenbekov"),
    ("Atambaev", "almazbek-atambaev"), ("Atambayev", "almazbek-atambaev"),
    ("Атамбаев", "almazbek-atambaev"), ("атамбаев", "almazbek-atambaev"),
    ("Nazarbayev", "nursultan-nazarbaev"), ("Назарбаев", "nursultan-nazarbaev"),
    ("Zheen", "sooronbai-jeenbekov"), ("Atamb", "almazbek-atambaev"),
])
def test_a_name_in_any_spelling_finds_the_actor_first(default, text: str, person: str) -> None:
    index, _ = default
    result = index.search(text)
    assert result.hits, text
    assert result.hits[0].iri == KGR + "person/" + person
    assert result.hits[0].kind == "actor"
    assert any(hit for t, hit in result.hits[0].snippet), "the matching words are marked"


def test_an_exact_name_comes_before_texts_that_mention_it(default) -> None:
    index, _ = default
    result = index.search("Atambaev", limit=50)
    assert result.hits[0].exact and result.hits[0].score > 100
    assert all(not h.exact for h in result.hits[1:])
    assert [h.kind for h in result.hits].count("evidence") >= 3  # "Atambaev criticized …"
    kinds = [h.kind for h in result.hits]
    assert kinds == sorted(kinds, key=kinds.index)  # grouped by kind


def test_quote_fragments_find_every_quote_that_has_them_and_no_other(default) -> None:
    index, store = default
    # Words: "strategic" as a word, "partner" as the beginning of one (the last word typed).
    expected = {row[0] for row in select(store, r"""SELECT DISTINCT ?q WHERE { ?q a kgp:Quote ;
        schema:text ?t FILTER(REGEX(?t, "\\bstrategic\\b", "i")
        && REGEX(?t, "\\bpartner", "i")) }""")}
    assert len(expected) >= 3
    result = index.search("Strategic partner", kind="quote", limit=100)
    assert {h.iri for h in result.hits} == expected and result.total == len(expected)
    for hit in result.hits:
        marked = {t.lower() for t, on in hit.snippet if on}
        assert "strategic" in marked
        assert all(m.startswith("partner") for m in marked - {"strategic"})
        assert "<mark>" in hit.snippet_html()
    # Between double quotes, the words stand together and the last one is whole.
    phrase = index.search('"strategic partner"', kind="quote", limit=100)
    assert {h.iri for h in phrase.hits} == {row[0] for row in select(store, """SELECT ?q
        WHERE { ?q a kgp:Quote ; schema:text ?t
        FILTER(REGEX(?t, "strategic partner([^a-z]|$)", "i")) }""")}
    assert 0 < phrase.total < result.total


@pytest.mark.parametrize("text", [
    '"', '""', '"strategic', "*", "**", "a*", "NEAR(strategic partner, 2)", "strategic OR",
    "AND", "NOT Russia", "(((Russia", "Russia)))", "label: Russia", "{label}: x", "^Russia",
    "Russia -China", "-", "+", "\x00\x01\x02", "\u202e\u200b", "'; DROP TABLE doc; --",
    "\\", "%", "_", "a" * 500, "the " * 120,
])
def test_query_syntax_is_only_words(default, text: str) -> None:
    index, _ = default
    result = index.search(text)  # no exception: an empty or a plain word search
    assert result.total >= 0
    assert index.search(text, kind="quote").total <= result.total or result.total == 0


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=600))
def test_any_text_is_a_search_or_a_clear_refusal(built, text: str) -> None:
    out, _ = built
    index = SearchIndex(search_index_path(out))
    query = fts_query(text)
    assert query is None or query.count('"') % 2 == 0
    try:
        index.search(text)
    except BadQuery as exc:
        assert len(text) > 500 and "500" in str(exc)
    else:
        assert len(text) <= 500


def test_a_huge_query_is_refused_with_the_limit(default) -> None:
    index, _ = default
    with pytest.raises(BadQuery, match="10,240 characters long; the limit is 500"):
        index.search("x" * 10_240)
    with pytest.raises(BadQuery, match="unknown kind 'stance'"):
        index.search("Russia", kind="stance")


# -- lists and facets against SPARQL ------------------------------------------------------------

def sparql_facet(store: ox.Store, kind: str, name: str, filters: Filters) -> dict[str, int]:
    """The counts a facet shows, computed by SPARQL over the same data."""
    cls = CLASSES[kind]
    where = [f"?x a {cls} ." if cls else ACTOR.replace("?v", "?anytype")]
    for n, (fname, value) in enumerate(filters.facets):
        where.append(f"?x {PROPERTIES.get((kind, fname), 'kgp:reportedIn')} ?f{n} "
                     f"FILTER(STR(?f{n}) = {ox.Literal(value)})")
    if filters.date_from or filters.date_to:  # stances: one date, on or before
        where.append("{ ?x kgp:statedOn ?d } UNION { ?x kgp:statedBefore ?d }")
        if filters.date_from:
            where.append(f'FILTER(STR(?d) >= "{filters.date_from}")')
        if filters.date_to:
            where.append(f'FILTER(STR(?d) <= "{filters.date_to}-99")')
    if (kind, name) == ("actors", "type"):
        where.append(ACTOR)
    else:
        where.append(f"?x {PROPERTIES.get((kind, name), 'kgp:reportedIn')} ?v .")
    rows = select(store, f"SELECT ?v (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {' '.join(where)} }} "
                         "GROUP BY ?v")
    return {v: int(n) for v, n in rows}


def sparql_total(store: ox.Store, kind: str) -> int:
    cls = CLASSES[kind]
    pattern = f"?x a {cls}" if cls else ACTOR
    return int(select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0][0])


def check_facets(index: SearchIndex, store: ox.Store, kind: str, filters: Filters) -> int:
    listing = index.browse(kind, filters)
    checked = 0
    for facet in listing.facets:
        expected = sparql_facet(store, kind, facet.name, filters)
        shown = {v.value: v.count for v in facet.values}
        assert facet.distinct == len(expected), (kind, facet.name)
        assert len(shown) == min(len(expected), FACET_VALUES) or filters.facets
        assert shown == {v: expected[v] for v in shown}, (kind, facet.name, filters)
        checked += len(shown)
    return checked


@pytest.mark.parametrize("dataset", ["default", "visit"])
def test_every_facet_count_equals_sparql_over_the_same_data(request, dataset: str) -> None:
    index, store = request.getfixturevalue(dataset)[:2]
    counts = index.counts()
    checked = 0
    for kind in KINDS:
        assert counts[kind] == sparql_total(store, kind), kind
        checked += check_facets(index, store, kind, Filters())
    assert checked > (100 if dataset == "default" else 20)


@pytest.mark.parametrize("filters", [
    Filters((("target", KGR + "country/russia"),)),
    Filters((("target", KGR + "country/russia"), ("polarity", KGP + "Positive"))),
    Filters((("holder", KGR + "country/kyrgyzstan"),), "2017-11-28", "2017-11-28"),
    Filters((), "2017-11", "2017-11"),
    Filters((("speaker", KGR + "person/sooronbai-jeenbekov"),
             ("source", KGR + "article/tca-20171129-jeenbekov-visit-russia"))),
    Filters((("target", KGR + "country/atlantis"),)),  # an unknown value: nothing
])
def test_filtered_stance_facets_equal_sparql(default, filters: Filters) -> None:
    index, store = default
    listing = index.browse("stances", filters)
    rows = select(store, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a kgp:Stance "
                         + "".join(f". ?x {PROPERTIES.get(('stances', n), 'kgp:reportedIn')} "
                                   f"<{v}> " for n, v in filters.facets) + "}")
    if not (filters.date_from or filters.date_to):
        assert listing.total == int(rows[0][0])
    check_facets(index, store, "stances", filters)
    assert len(list(index.export("stances", filters))) == listing.total


def test_unknown_filters_and_pages_past_the_end(default) -> None:
    index, _ = default
    with pytest.raises(BadQuery, match="unknown filter 'colour' for stances; it is filtered "
                                       "by from, holder, polarity"):
        Filters.from_params("stances", [("colour", "red")])
    with pytest.raises(BadQuery, match="is not a date"):
        Filters.from_params("stances", [("from", "last week")])
    with pytest.raises(BadQuery, match="unknown list"):
        index.browse("people", Filters())
    listing = index.browse("stances", Filters(), page=99)
    assert listing.total == 14 and listing.rows == [] and listing.pages == 1


def test_events_list_what_each_article_says_and_the_latest_status(visit) -> None:
    index, _, _ = visit
    rows = list(index.export("events", Filters((("status", KGP + "Scheduled"),))))
    assert [r.iri for r in rows] == [KGR + "event/2020-03-10-kessler-visit-to-ruritania"]
    data = rows[0].data
    assert data["statuses"] == (
        "scheduled as of 2020-03-04 (Kessler to visit Ruritania next week); "
        "occurred as of 2020-03-11 (Kessler and Brandt open a new chapter); "
        "occurred as of 2020-03-12 (Zenda welcomes the Freedonian president)")
    assert [v["label"] for v in data["latest"]] == ["occurred"]
    assert "status" in data["conflicts"] and "place" in data["conflicts"]


# -- the pictures' data -----------------------------------------------------------------------

def test_a_timeline_has_one_mark_per_source_and_shows_the_conflict(visit) -> None:
    index, store, _ = visit
    timeline = index.timeline(TimelineQuery(holder=KGR + "country/ruritania",
                                            target=KGR + "country/freedonia"))
    assert timeline.total == len(timeline.marks) == 2
    by_source = {m.source.rsplit("/", 1)[1]: m for m in timeline.marks}
    assert set(by_source) == {"rns-visit-announced", "fg-visit-held"}
    assert by_source["rns-visit-announced"].polarity == KGP + "Positive"
    assert by_source["fg-visit-held"].polarity == KGP + "Neutral"
    assert all(m.conflicts == "attribution type, polarity" for m in timeline.marks)
    assert all(m.date == "2020-03-04" and not m.before for m in timeline.marks)
    # what SPARQL says each article states
    stated = {(g.rsplit("/", 1)[1], p) for g, p in select(store, """SELECT ?g ?p WHERE {
        GRAPH ?g { ?s kgp:stanceHolder ?h ; kgp:polarity ?p } }""")}
    assert stated == {(k, m.polarity) for k, m in by_source.items()}
    assert index.timeline(TimelineQuery(actor=KGR + "person/anna-brandt")).total == 2
    assert index.timeline(TimelineQuery(holder=KGR + "country/freedonia")).total == 0


def test_the_network_weighs_pairs_by_their_stances(default) -> None:
    index, store = default
    network = index.network(NetworkQuery())
    expected = {(h, t): int(n) for h, t, n in select(store, """SELECT ?h ?t
        (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kgp:Stance ; kgp:stanceHolder ?h ;
        kgp:stanceTarget ?t } GROUP BY ?h ?t""")}
    assert {(e.holder, e.target): e.weight for e in network.edges} == expected
    assert network.stances == 14
    typed = index.network(NetworkQuery("https://w3id.org/kgpub/stance-type/StrategicPartner"))
    assert {(e.holder.rsplit("/", 1)[1], e.target.rsplit("/", 1)[1], e.weight)
            for e in typed.edges} == {("kyrgyzstan", "russia", 1), ("kyrgyzstan", "china", 1)}
    dated = index.network(NetworkQuery(date_from="2017-11-28", date_to="2017-11-28"))
    that_day = select(store, """SELECT ?s ?t WHERE { ?s a kgp:Stance ; kgp:stanceTarget ?t .
        { ?s kgp:statedOn ?d } UNION { ?s kgp:statedBefore ?d } FILTER(STR(?d) = "2017-11-28")}""")
    assert dated.stances == len({s for s, _ in that_day}) >= 2
    assert sum(e.weight for e in dated.edges) == len(that_day)
    assert index.network(NetworkQuery(date_from="2018")).edges == []


def test_a_query_past_its_deadline_is_interrupted(default) -> None:
    """No index query runs unbounded: SQLite's progress handler ends it (HTTP: 503)."""
    index, _ = default
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT MAX(i) FROM n"
    with pytest.raises(Interrupted, match="did not answer within 0.2 s"), \
            index.connect(0.2) as conn:
        conn.execute(endless).fetchone()
    assert index.search("Russia").total > 0  # the next call has its own connection


# -- the kept staging: a build stages only the pieces that changed -----------------------------

def _kept_pieces(out: Path) -> dict[str, tuple[int, str]]:
    from kgpub.search.kept import KEPT_NAME

    with sqlite3.connect(search_index_path(out).with_name(KEPT_NAME)) as conn:
        return {key: (pid, sha) for pid, key, sha in
                conn.execute("SELECT id, key, sha256 FROM piece")}


def _built_many(tmp_path: Path) -> Path:
    """tests/fixtures/many, copied and built: a project of three articles."""
    from conftest import FIXTURES, copy_project

    from kgpub.pipeline import build

    project = copy_project(tmp_path / "many", FIXTURES / "many" / "data")
    build(project)
    return project


def _lengthen_the_visit(project: Path) -> tuple[Path, str]:
    """Edit one label of one article; the facts file and its text before the edit."""
    facts = project / "data/facts/fg-visit-held.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("label: Otto Kessler's state visit to Ruritania",
                                  "label: Otto Kessler's long state visit to Ruritania", 1),
                     encoding="utf-8")
    return facts, text


def test_an_edit_restages_only_its_pieces_and_gives_the_index_of_the_new_dumps(
        tmp_path: Path) -> None:
    """After one article is edited the build stages that article again (and the shared parts
    that changed with it), not the others; the index is row for row the one made afresh from
    the new kgpub.nq, and a kept file left half-made by a killed build is made anew."""
    from kgpub.pipeline import build
    from kgpub.search.kept import KEPT_NAME, is_complete

    project = _built_many(tmp_path)
    out = project / "data" / "ttl"
    before = _kept_pieces(out)
    assert len([k for k in before if k.startswith("articles/")]) == 3
    facts, text = _lengthen_the_visit(project)
    build(project)
    after = _kept_pieces(out)
    assert set(after) == set(before)
    restaged = {k for k in after if after[k] != before[k]}
    assert "articles/fg-visit-held" in restaged
    assert not {k for k in restaged if k.startswith("articles/")} - {"articles/fg-visit-held"}

    def rows(index: Path) -> list[str]:
        with sqlite3.connect(index) as conn:
            return list(conn.iterdump())

    # The index was updated, not made anew: the same rows, ids aside (test_search_update.py).
    from search_compare import differences, tables

    make_index(out / "kgpub.nq", tmp_path / "afresh.sqlite")
    assert differences(tables(search_index_path(out)), tables(tmp_path / "afresh.sqlite")) == []
    assert "long state visit" in " ".join(rows(search_index_path(out)))

    kept = search_index_path(out).with_name(KEPT_NAME)
    with sqlite3.connect(kept) as conn:  # as a build killed while staging leaves it
        conn.execute("UPDATE kept_meta SET value = '0' WHERE key = 'complete'")
        conn.execute("DELETE FROM q WHERE rowid % 2 = 0")
    facts.write_text(text, encoding="utf-8")
    build(project)
    assert is_complete(kept)  # made anew: the rows deleted above would be missing otherwise
    make_index(out / "kgpub.nq", tmp_path / "afresh-2.sqlite")
    assert rows(search_index_path(out)) == rows(tmp_path / "afresh-2.sqlite")


def test_a_kept_file_torn_by_a_killed_build_is_made_anew(tmp_path: Path) -> None:
    """The kept staging is written with its journal off: a build killed while writing it can
    leave a file SQLite calls malformed; the next build makes it anew instead of failing."""
    from kgpub.pipeline import build
    from kgpub.search.kept import KEPT_NAME, is_complete

    project = _built_many(tmp_path)
    out = project / "data" / "ttl"
    kept = search_index_path(out).with_name(KEPT_NAME)
    data = bytearray(kept.read_bytes())
    data[:100] = b"\xff" * 100  # the header torn
    kept.write_bytes(bytes(data))
    _lengthen_the_visit(project)
    build(project)
    assert is_complete(kept)
    make_index(out / "kgpub.nq", tmp_path / "afresh.sqlite")
    from search_compare import differences, tables

    assert differences(tables(search_index_path(out)), tables(tmp_path / "afresh.sqlite")) == []
