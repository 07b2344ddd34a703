"""The HTML pages of kgpub.site, driven by a real `select` over the built dataset in Oxigraph.

No server: Site only needs a coroutine answering SELECT queries with SPARQL JSON bindings, so
the pages are rendered here from an in-process pyoxigraph store loaded from data/ttl/kgpub.nq
(default graph = union of the named graphs, as the server configures it) and parsed with the
standard library's html.parser.
"""

from __future__ import annotations

import asyncio
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

from kgpub.search import SearchIndex, search_index_path
from kgpub.site import Site, SiteConfig, bindings_from_pyoxigraph
from kgpub.vocabulary import ontology_document

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "ttl" / "kgpub.nq"
ONTOLOGY = ROOT / "ontology" / "kgpub.ttl"
VOCABULARIES = [p for p in sorted((ROOT / "ontology").glob("*.ttl")) if p.name != "kgpub.ttl"]
QUERIES = ROOT / "queries"
STATIC = ROOT / "src" / "kgpub" / "static"
BASE = "https://w3id.org/kgpub/"
KGP = "https://w3id.org/kgpub/ontology#"
KG = BASE + "id/country/kyrgyzstan"
PREFIXES = """PREFIX kgp: <https://w3id.org/kgpub/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
"""
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}


# -- a small DOM over html.parser ----------------------------------------------------------------

class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def by_id(self, ident: str) -> Node:
        found = [n for n in self.iter() if n.attrs.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()

    def with_class(self, name: str) -> list[Node]:
        return [n for n in self.iter() if n.has_class(name)]


class TreeBuilder(HTMLParser):
    """Builds Nodes and records structural errors (unclosed or stray end tags)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.errors: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID_ELEMENTS:
            self.current = node

    def handle_startendtag(self, tag, attrs) -> None:
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self.current.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.current.tag}>")
            node = self.current
            while node.parent is not None and node.tag != tag:
                node = node.parent
            if node.parent is None:
                return
            self.current = node
        self.current = self.current.parent or self.root

    def handle_data(self, data) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.doctype.lower() == "doctype html", builder.doctype
    assert not builder.errors, builder.errors[:5]
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder.root


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# -- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    s.load(path=str(DATA), format=ox.RdfFormat.N_QUADS)
    return s


def rows(store: ox.Store, query: str) -> list[dict[str, dict[str, str]]]:
    return bindings_from_pyoxigraph(store.query(PREFIXES + query, use_default_graph_as_union=True))


def make_site(store: ox.Store, index: SearchIndex | None = None,
              **config) -> tuple[Site, list[str]]:
    sent: list[str] = []

    async def select(query: str):
        sent.append(query)
        return bindings_from_pyoxigraph(store.query(query, use_default_graph_as_union=True))

    return Site(select, SiteConfig(**config), QUERIES, index), sent


@pytest.fixture(scope="module")
def site(store) -> Site:
    return make_site(store)[0]


@pytest.fixture(scope="module")
def indexed(store, built) -> Site:
    """The site with the search index the build made of the default dataset."""
    out, _ = built
    return make_site(store, index=SearchIndex(search_index_path(out)))[0]


def run(coro):
    return asyncio.run(coro)


def label(store: ox.Store, iri: str) -> str:
    found = rows(store, f"SELECT ?l WHERE {{ <{iri}> skos:prefLabel|rdfs:label ?l "
                        "FILTER(LANG(?l) = 'en') } LIMIT 1")
    return found[0]["l"]["value"]


# -- the contract --------------------------------------------------------------------------------

def test_href_maps_the_base_iri_onto_local_paths(site) -> None:
    assert site.href(KG) == "/id/country/kyrgyzstan"
    assert site.href(KGP + "Stance") == "/ontology#Stance"
    assert site.href(BASE + "graph/article/x") == "/graph/article/x"
    assert site.href("http://www.wikidata.org/entity/Q813") == "http://www.wikidata.org/entity/Q813"
    other, _ = make_site(ox.Store(), base_iri="http://example.org/kg/")
    assert other.href("http://example.org/kg/id/a") == "/id/a"
    assert other.href(KG) == KG


def test_bindings_from_pyoxigraph_follow_sparql_json(store) -> None:
    article = BASE + "id/article/rferl-28883735"
    found = rows(store, f"SELECT ?l ?d ?c WHERE {{ <{KG}> rdfs:label ?l . "
                        f"FILTER(LANG(?l) = 'ru') <{article}> "
                        "kgp:datePublishedEarliest ?d ; kgp:sourceFile ?c }")
    assert found == [{"l": {"type": "literal", "value": "Киргизия", "xml:lang": "ru"},
                      "d": {"type": "literal", "value": "2017-11-27",
                            "datatype": "http://www.w3.org/2001/XMLSchema#date"},
                      "c": {"type": "literal", "value": "data/articles/000_c46eb88096cda5ab.txt"}}]


def test_unknown_or_unsafe_iri_gives_none(site) -> None:
    assert run(site.resource_page(BASE + "id/country/atlantis")) is None
    assert run(site.resource_page(BASE + "id/country/atlantis", 3)) is None
    assert run(site.resource_page(BASE + "id/x> ?p ?o } #")) is None
    assert run(site.resource_page("")) is None


# -- resource pages ------------------------------------------------------------------------------

def test_kyrgyzstan_page(site, store) -> None:
    doc = parse(run(site.resource_page(KG)))
    assert squash(doc.find_all("h1")[0].text()) == "Kyrgyzstan"
    assert "Kyrgyzstan" in doc.find_all("title")[0].text()
    types = doc.with_class("types")[0]
    type_links = {a.attrs["href"]: squash(a.text()) for a in types.find_all("a")}
    assert type_links["/ontology#Country"] == "country"
    assert "http://schema.org/Country" in type_links
    # incoming links from every stance it holds, each shown by a label, not an IRI
    stances = {r["s"]["value"] for r in rows(store, f"SELECT DISTINCT ?s WHERE {{ ?s "
                                                    f"kgp:stanceHolder <{KG}> }}")}
    assert len(stances) >= 10
    incoming = doc.with_class("incoming")[0]
    links = {a.attrs["href"]: squash(a.text()) for a in incoming.find_all("a")}
    for stance in stances:
        assert links[site.href(stance)].startswith("Kyrgyzstan → "), links[site.href(stance)]
    assert "/ontology#stanceHolder" in links
    # owl:sameAs to Wikidata as an external link
    same = doc.with_class("same-as")[0]
    assert [a.attrs["href"] for a in same.find_all("a") if "wikidata" in a.attrs["href"]] == \
        ["http://www.wikidata.org/entity/Q813"]
    # literals keep their language tags
    outgoing = squash(doc.with_class("outgoing")[0].text())
    assert "Киргизия @ru" in outgoing and "Кыргызстан @ky" in outgoing
    # the graphs its triples come from, linked locally
    graphs = {a.attrs["href"] for a in doc.with_class("graphs")[0].find_all("a")}
    assert {"/graph/entities", "/graph/links", "/graph/context",
            "/graph/article/rferl-28883735"} <= graphs
    # its reported statements (memberships) carry evidence from both articles
    reported = doc.with_class("reported-statements")[0]
    assert "Shanghai Cooperation Organization" in reported.text()
    assert len(reported.find_all("mark")) >= 8
    assert doc.find_all("a", href="/data/id/country/kyrgyzstan?format=ttl")


def test_pagination_of_links(store) -> None:
    small, _ = make_site(store, page_size=10)
    expected = {(r["s"]["value"], r["p"]["value"])
                for r in rows(store, f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{KG}> }}")}
    assert len(expected) > 30
    seen: list[set[str]] = []
    page = 1
    while True:
        doc = parse(run(small.resource_page(KG, page)))
        table = doc.with_class("incoming")
        hrefs = set()
        if table:
            body_rows = table[0].find_all("tbody")[0].find_all("tr")
            assert len(body_rows) <= 10
            hrefs = {r.find_all("a")[0].attrs["href"] for r in body_rows}
        seen.append(hrefs)
        nexts = doc.find_all("a", rel="next")
        if not nexts:
            break
        assert nexts[0].attrs["href"] == f"?page={page + 1}"
        page += 1
    assert page == -(-len(expected) // 10)
    assert seen[0] != seen[1]
    assert set().union(*seen) == {small.href(s) for s, _ in expected}
    assert parse(run(small.resource_page(KG, 2))).find_all("a", rel="prev")[0].attrs["href"] \
        == "?page=1"


def both_articles_stance(store) -> str:
    found = rows(store, """SELECT ?s WHERE { ?s a kgp:Stance ; kgp:reportedIn ?a ;
        kgp:statedBy ?by ; kgp:expressedIn/kgp:medium ?m } GROUP BY ?s
        HAVING (COUNT(DISTINCT ?a) = 2) ORDER BY ?s LIMIT 1""")
    return found[0]["s"]["value"]


def test_stance_page_leads_with_its_sentence(site, store) -> None:
    stance = both_articles_stance(store)
    facts = rows(store, f"""SELECT ?h ?t ?by ?m ?date WHERE {{ <{stance}> kgp:stanceHolder ?h ;
        kgp:stanceTarget ?t ; kgp:statedBy ?by ; kgp:statedOn ?date ;
        kgp:expressedIn/kgp:medium ?m }} LIMIT 1""")[0]
    doc = parse(run(site.resource_page(stance)))
    sentence = doc.with_class("sentence")[0]
    text = squash(sentence.text())
    holder, target = label(store, facts["h"]["value"]), label(store, facts["t"]["value"])
    assert f"{holder} → " in text and target in text
    assert f"said by {label(store, facts['by']['value'])} to {label(store, facts['m']['value'])} " \
           f"on {facts['date']['value']}" in text
    assert text.endswith("reported by RFE/RL and The Times of Central Asia.")
    hrefs = {a.attrs["href"] for a in sentence.find_all("a")}
    assert {site.href(facts["h"]["value"]), site.href(facts["t"]["value"]), "/id/org/rferl",
            "/id/org/tca"} <= hrefs
    # provenance: both articles, their graphs, and each evidence quote with prefix and suffix
    provenance = doc.with_class("provenance")[0]
    evidence = rows(store, f"""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT DISTINCT ?g ?exact ?prefix ?suffix WHERE {{ GRAPH ?g {{ <{stance}> kgp:evidence ?a }}
        ?a oa:hasTarget/oa:hasSelector ?q . ?q oa:exact ?exact ; oa:prefix ?prefix ;
        oa:suffix ?suffix }}""")
    assert len({e["g"]["value"] for e in evidence}) == 2
    marks = [squash(m.text()) for m in provenance.find_all("mark")]
    prov_text = provenance.text()
    for e in evidence:
        assert squash(e["exact"]["value"]) in marks
        assert e["prefix"]["value"] in prov_text and e["suffix"]["value"] in prov_text
        assert provenance.find_all("a", href=site.href(e["g"]["value"]))
    assert len(provenance.find_all("article")) == 2


@pytest.mark.parametrize("case", [
    ("kyrgyzstan-russia-main-strategic-partner-2017-11-27",
     "Kyrgyzstan → Russia: main strategic partner, said by Sooronbai Jeenbekov to TASS on "
     "2017-11-27, reported by RFE/RL and The Times of Central Asia."),
    ("kyrgyzstan-european-union-intent-to-cooperate-2017-11-27",
     "Kyrgyzstan → European Union (“our European partners”): intent to cooperate, said by "
     "Sooronbai Jeenbekov to TASS on 2017-11-27, reported by RFE/RL."),
    ("russia-sooronbai-jeenbekov-invitation-before-2017-11-28",
     "Russia → Sooronbai Jeenbekov: invitation, before 2017-11-28, reported by The Times of "
     "Central Asia."),
    ("almazbek-atambaev-sooronbai-jeenbekov-electoral-endorsement-before-2017-11-29",
     "Almazbek Atambaev → Sooronbai Jeenbekov: electoral endorsement, according to RFE/RL, "
     "before 2017-11-29, reported by RFE/RL."),
    ("kyrgyzstan-russia-allied-relations-2017-11-28",
     "Kyrgyzstan → Russia: allied relations (intended), said by Aizada Subakojoeva on "
     "2017-11-28, reported by The Times of Central Asia."),
    ("kyrgyzstan-china-strategic-partner-2017-11-27",
     "Kyrgyzstan → China: important strategic partner, said by Sooronbai Jeenbekov to TASS on "
     "2017-11-27, reported by RFE/RL and The Times of Central Asia."),
])
def test_stance_sentences_read_naturally(site, case) -> None:
    local, expected = case
    doc = parse(run(site.resource_page(BASE + "id/stance/" + local)))
    sentence = squash(doc.with_class("sentence")[0].text())
    assert sentence.split(" ", 1)[1] == expected


def test_every_stance_has_a_sentence_built_from_its_data(site, store) -> None:
    stances = [r["s"]["value"] for r in rows(store, "SELECT DISTINCT ?s WHERE { ?s a kgp:Stance }")]
    assert len(stances) == 14
    for stance in stances:
        doc = parse(run(site.resource_page(stance)))
        text = squash(doc.with_class("sentence")[0].text())
        facts = rows(store, f"""SELECT ?p ?o WHERE {{ <{stance}> ?p ?o }}""")
        by = {f["p"]["value"].removeprefix(KGP): [] for f in facts}
        for f in facts:
            by[f["p"]["value"].removeprefix(KGP)].append(f["o"]["value"])
        holder = label(store, by["stanceHolder"][0])
        assert text.split(" ", 1)[1].startswith(holder + " → "), text
        for target in by["stanceTarget"]:
            assert label(store, target) in text
        for speaker in by.get("statedBy", []):
            if speaker not in by["stanceHolder"]:
                assert label(store, speaker) in text
        if "statedOn" in by:
            assert f"on {by['statedOn'][0]}" in text
        else:
            assert f"before {by['statedBefore'][0]}" in text
        publishers = {label(store, r["p"]["value"]) for r in rows(
            store, f"SELECT DISTINCT ?p WHERE {{ <{stance}> kgp:reportedIn/schema:publisher ?p }}")}
        assert text.endswith("reported by " + " and ".join(sorted(publishers)) + ".")
        assert "None" not in text and "  " not in text


def test_graph_page_lists_its_triples_paginated(store) -> None:
    small, _ = make_site(store, page_size=20)
    graph = BASE + "graph/article/rferl-28883735"
    total = rows(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    first = parse(run(small.resource_page(graph)))
    second = parse(run(small.resource_page(graph, 2)))
    section = first.with_class("named-graph")[0]
    assert f"{int(total[0]['n']['value']):,} statements" in squash(section.text())
    assert "one news article" in section.text()

    def triples(doc: Node) -> list[str]:
        body = doc.with_class("triples")[0].find_all("tbody")[0]
        return [squash(tr.text()) for tr in body.find_all("tr")]

    assert len(triples(first)) == 20 and len(triples(second)) == 20
    assert triples(first) != triples(second)
    assert first.find_all("a", rel="next")
    # what the graph is: its provenance and its nanopublication
    about = squash(first.with_class("graph-about")[0].text())
    assert "was derived from" in about and "has assertion" in about
    assert first.find_all("a", href="/id/article/rferl-28883735")


def test_article_page_shows_its_own_evidence(site) -> None:
    doc = parse(run(site.resource_page(BASE + "id/article/rferl-28883735")))
    assert "Strategic Partner" in doc.find_all("h1")[0].text()
    assert doc.with_class("provenance")[0].find_all("mark")


def test_resource_queries_are_bounded(store) -> None:
    small, sent = make_site(store, page_size=10)
    run(small.resource_page(KG, 2))
    run(small.resource_page(BASE + "graph/entities", 3))
    for query in sent:
        body = query.split("\n")[-1]
        bounded = "LIMIT" in body or "VALUES" in body or "GROUP BY" in body
        assert bounded, body


# -- home ----------------------------------------------------------------------------------------

def test_home_page(site, store) -> None:
    doc = parse(run(site.home()))
    text = squash(doc.text())
    assert "14 named graphs" not in text  # counts are in their own boxes
    counts = {squash(d.find_all("dt")[0].text()): squash(d.find_all("dd")[0].text())
              for d in doc.with_class("counts")[0].find_all("div")}
    quads = sum(1 for _ in store.quads_for_pattern(None, None, None, None))
    assert counts == {"statements": f"{quads:,}", "named graphs": "15", "articles": "2",
                      "actors": counts["actors"], "stances": "14"}
    assert int(counts["actors"]) > 20
    # the ten competency questions, each runnable on the query page
    runs = [a for a in doc.find_all("a") if a.attrs.get("href", "").startswith("/sparql?query=")
            and squash(a.text()) == "Run"]
    files = sorted(QUERIES.glob("cq*.rq")) + [QUERIES / "corroboration.rq"]
    assert len(files) == 11 and len(runs) == 11
    for a, path in zip(runs, files, strict=True):
        query = parse_qs(urlsplit(a.attrs["href"]).query)["query"][0]
        assert query == path.read_text(encoding="utf-8")
    titles = [squash(h.text()) for h in doc.with_class("examples")[0].find_all("h3")]
    assert titles[0] == ("CQ1: Which countries did Jeenbekov call a strategic partner, quoted "
                         "where and when?")
    assert titles[5].endswith("and who dominates those groupings?")
    assert all(t.startswith(f"CQ{i + 1}: ") for i, t in enumerate(titles[:10]))
    assert titles[10].startswith("Corroboration: for every fact, how many articles report it")
    assert titles[3].endswith("offsets in every article that carries it.")
    # links to dumps and VoID
    hrefs = {a.attrs.get("href") for a in doc.find_all("a")}
    assert {"/dumps/", "/.well-known/void", "/sparql", "/ontology"} <= hrefs


def test_home_stance_network(store, indexed) -> None:
    """One arrow per (holder, target), as thick as its number of stances, linking to the pair's
    timeline; the same picture from the search index and, without one, from SPARQL."""
    expected = {(r["h"]["value"], r["t"]["value"]): int(r["n"]["value"]) for r in rows(
        store, "SELECT ?h ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kgp:Stance ; "
               "kgp:stanceHolder ?h ; kgp:stanceTarget ?t } GROUP BY ?h ?t")}
    assert max(expected.values()) > 1  # some pair has several stances: weights differ
    pictures = []
    for site in (make_site(store)[0], indexed):
        doc = parse(run(site.home()))
        svg = doc.by_id("stance-network")
        assert svg.tag == "svg"
        edges = svg.with_class("edge")
        drawn = {(e.attrs["data-holder"], e.attrs["data-target"]): int(e.attrs["data-weight"])
                 for e in edges}
        assert len(drawn) == len(edges) and drawn == expected
        widths = {(e.attrs["data-holder"], e.attrs["data-target"]): float(e.attrs["stroke-width"])
                  for e in edges}
        for a in expected:
            for b in expected:
                if expected[a] > expected[b]:
                    assert widths[a] > widths[b]
        for edge in edges:
            link = edge.parent
            query = parse_qs(urlsplit(link.attrs["href"]).query)
            assert link.tag == "a" and link.attrs["href"].startswith("/timeline?")
            assert (query["holder"][0], query["target"][0]) == \
                (edge.attrs["data-holder"], edge.attrs["data-target"])
            assert edge.attrs["stroke"].startswith("#")
        negative = [e for e in edges if e.has_class("pol-negative")]
        assert {e.attrs["data-target"] for e in negative} == \
            {BASE + "id/person/nursultan-nazarbaev"}
        # nodes: one per actor, labelled, in a deterministic order
        nodes = svg.with_class("node-link")
        labels = [squash(n.find_all("title")[0].text()).split(" (")[0] for n in nodes]
        assert labels == sorted(labels, key=str.casefold)
        assert "Kyrgyzstan" in labels and "Russia" in labels
        assert len(nodes) == len({a for pair in expected for a in pair})
        # the text alternative: every arrow in the table, with its stance types
        table = doc.with_class("as-table")[0]
        assert len(table.find_all("tbody")[0].find_all("tr")) == len(expected)
        assert "main strategic partner" in table.text() and "criticism" in table.text()
        assert run(site.home()) == run(site.home())  # deterministic
        pictures.append(str(svg.text()))
    assert pictures[0] == pictures[1]


# -- query, ontology, error pages ----------------------------------------------------------------

def test_query_page(site) -> None:
    query = 'SELECT ?x WHERE { ?x ?p "<b>" } LIMIT 3'
    doc = parse(run(site.query_page(query)))
    textarea = doc.by_id("query")
    assert textarea.tag == "textarea" and textarea.text().strip("\n") == query
    assert doc.by_id("run").tag == "button"
    assert doc.by_id("results").tag == "table"
    error = doc.by_id("error")
    assert error.children == [] and "hidden" in error.attrs
    assert doc.by_id("downloads")
    assert doc.by_id("query-form").attrs.get("data-autorun") == "true"
    data = json.loads(doc.by_id("site-data").text())
    assert data["baseIri"] == BASE and data["endpoint"] == "/sparql"
    assert doc.by_id("site-data").attrs["type"] == "application/json"
    options = doc.by_id("examples").find_all("option")
    assert len(options) == 12  # a placeholder, the ten competency questions, corroboration
    assert options[1].attrs["data-query"] == (QUERIES / "cq01.rq").read_text(encoding="utf-8")
    assert [s.attrs.get("src") for s in doc.find_all("script") if "src" in s.attrs] == \
        ["/static/search.js", "/static/query.js"]
    empty = parse(run(site.query_page(None)))
    assert "data-autorun" not in empty.by_id("query-form").attrs
    assert "SELECT" in empty.by_id("query").text()


def test_query_page_with_yasgui(store) -> None:
    site = make_site(store, yasgui=True)[0]
    doc = parse(run(site.query_page("ASK {}")))
    assert doc.by_id("yasgui") and not doc.find_all("textarea")
    assert [s.attrs.get("src") for s in doc.find_all("script") if "src" in s.attrs] == \
        ["/static/search.js", "/static/vendor/yasgui/yasgui.min.js", "/static/query-yasgui.js"]
    assert [link.attrs["href"] for link in doc.find_all("link")][-1] == \
        "/static/vendor/yasgui/yasgui.min.css"
    data = json.loads(doc.by_id("site-data").text())
    assert data["query"] == "ASK {}" and data["autorun"] is True and data["prefixes"]["kgp"]
    assert len(doc.by_id("examples").find_all("option")) == 12  # placeholder, 10 CQs, corroboration


def test_ontology_page_documents_every_term(site) -> None:
    import rdflib
    from rdflib.namespace import OWL, RDF

    ttl = ontology_document(ONTOLOGY, VOCABULARIES).decode("utf-8")
    doc = parse(run(site.ontology_page(ttl)))
    graph = rdflib.Graph().parse(data=ttl, format="turtle")
    ids = {n.attrs.get("id") for n in doc.iter()}
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
             OWL.NamedIndividual)
    terms = {str(s) for k in kinds for s in graph.subjects(RDF.type, k)
             if str(s).startswith(KGP)}
    assert len(terms) > 100
    for term in terms:
        assert term[len(KGP):] in ids, term
    stance = doc.by_id("Stance")
    stance_text = squash(stance.text())
    assert "A reified position of a holder" in stance_text and "prov:Entity" in stance_text
    assert stance.find_all("a", href="http://www.gsi.dit.upm.es/ontologies/marl/ns#Opinion")
    tenure = squash(doc.by_id("Tenure").text())
    assert "org:memberDuring only time:ProperInterval" in tenure
    polarity_prop = squash(doc.by_id("polarity").text())
    assert "stance or relation assessment" in polarity_prop
    assert "one of positive, negative, neutral" in squash(doc.by_id("Polarity").text())
    assert "symmetric" in squash(doc.by_id("borders").text())
    assert "oa:hasBody" in squash(doc.by_id("evidence").text())
    alignments = squash(doc.by_id("alignments").text())
    for vocab in ("PROV-O", "ORG", "schema.org", "OWL-Time", "Web Annotation (OA)", "FOAF"):
        assert vocab in alignments
    individuals = squash(doc.by_id("individuals").text())
    for name in ("Positive", "Intended", "DirectQuote", "Scheduled"):
        assert f"kgp:{name}" in individuals
    assert doc.by_id("ext-prov-Entity")


def test_error_page_is_plain_and_escaped(site) -> None:
    html = site.error_page(404, "Not found", "the dataset says nothing about <script>x</script>")
    doc = parse(html)
    assert squash(doc.find_all("h1")[0].text()) == "Not found"
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert "404" in doc.text() and "Traceback" not in html


def test_dumps_page(site) -> None:
    doc = parse(site.dumps_page([{"name": "kgpub.nq", "url": "/dumps/kgpub.nq", "bytes": 1234,
                                  "mediaType": "application/n-quads", "etag": "x"}]))
    assert doc.find_all("a", href="/dumps/kgpub.nq") and "1,234" in doc.text()


# -- every page: CSP-safe, offline, navigable ----------------------------------------------------

def all_pages(site) -> dict[str, str]:
    return {
        "home": run(site.home()),
        "query": run(site.query_page("ASK {}")),
        "resource": run(site.resource_page(KG)),
        "stance": run(site.resource_page(BASE + "id/stance/"
                                         "kyrgyzstan-russia-main-strategic-partner-2017-11-27")),
        "graph": run(site.resource_page(BASE + "graph/links")),
        "ontology": run(site.ontology_page(ONTOLOGY.read_text(encoding="utf-8"))),
        "error": site.error_page(500, "Unavailable", "try again"),
    }


def test_pages_are_csp_safe_offline_and_share_the_navigation(site) -> None:
    for name, html in all_pages(site).items():
        doc = parse(html)
        assert doc.find_all("html")[0].attrs.get("lang") == "en", name
        assert doc.find_all("meta", charset="utf-8"), name
        assert len(doc.find_all("head")[0].find_all("title")) == 1, name
        assert len(doc.find_all("h1")) == 1, name
        for node in doc.iter():
            assert "style" not in node.attrs, (name, node.tag)
            assert not [a for a in node.attrs if a.startswith("on")], (name, node.tag)
            href = node.attrs.get("href") or ""
            assert not href.lower().startswith("javascript:"), name
        for script in doc.find_all("script"):
            assert script.attrs.get("src", "").startswith("/static/") or \
                script.attrs.get("type") == "application/json", name
        assert not doc.find_all("style"), name
        for link in doc.find_all("link"):
            assert link.attrs["href"].startswith("/static/"), name
            assert (STATIC / link.attrs["href"].removeprefix("/static/")).is_file()
        nav = doc.find_all("nav")[0]
        assert [a.attrs["href"] for a in nav.find_all("a")] == \
            ["/", "/browse/", "/network", "/sparql", "/ontology", "/dumps/",
             "/.well-known/void"], name
        search = doc.find_all("form", role="search")
        assert len(search) == 1 and search[0].attrs["action"] == "/search", name
        assert search[0].find_all("input", name="q"), name
        ids = [n.attrs["id"] for n in doc.iter() if "id" in n.attrs]
        assert len(ids) == len(set(ids)), (name, [i for i in ids if ids.count(i) > 1])


def test_static_files_load_nothing_from_elsewhere() -> None:
    assert {p.name for p in STATIC.iterdir()} >= {"site.css", "query.js", "favicon.svg"}
    css = (STATIC / "site.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css
    js = (STATIC / "query.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "eval(" not in js
    assert not re.search(r"fetch\(\s*['\"]https?:", js)


# -- links from data -----------------------------------------------------------------------------

def test_only_web_and_local_iris_become_links_in_the_network_and_pages() -> None:
    """Data may hold javascript: or data: IRIs; pages show them, but never as links."""
    store = ox.Store()
    store.load(input=(
        f"@prefix kgp: <{KGP}> .\n"
        "<https://w3id.org/kgpub/id/stance/x> a kgp:Stance ;\n"
        "  kgp:stanceHolder <javascript:alert(1)> ; kgp:stanceTarget <https://example.net/t> ;\n"
        "  kgp:stanceType <data:text/html,type> ; kgp:polarity kgp:Negative .\n"),
        format=ox.RdfFormat.TURTLE)
    site, _ = make_site(store)
    home = parse(run(site.home()))
    page = parse(run(site.resource_page(BASE + "id/stance/x")))
    for doc in (home, page):
        hrefs = [a.attrs["href"] for a in doc.find_all("a") if "href" in a.attrs]
        assert all(h.startswith(("/", "?", "#", "http://", "https://")) for h in hrefs), hrefs
    assert "https://example.net/t" in {a.attrs.get("href") for a in home.find_all("a")}
    nodes = home.by_id("stance-network").with_class("node-link")
    assert len(nodes) == 2 and sum("href" in n.attrs for n in nodes) == 1
    assert "javascript:alert(1)" in page.text()
