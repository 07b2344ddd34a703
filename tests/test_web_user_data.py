"""Someone else's RDF served with --data, over real HTTP: IRIs with non-ASCII characters
dereference, counts agree without named graphs, and only web links become links."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import quote

import httpx
import pytest
from conftest import RunningServer
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

BASE = "http://example.org/"
HTML = {"Accept": "text/html"}
DATA = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<http://example.org/id/person/müller> rdfs:label "Anna Müller" ;
    foaf:knows <http://example.org/id/person/brandt> ;
    rdfs:seeAlso <javascript:alert(1)>, <JavaScript:alert(2)>, <data:text/html,hello>,
        <mailto:anna@example.org>, <https://example.net/anna> ;
    owl:sameAs <javascript:alert(3)> .
<http://example.org/id/person/brandt> rdfs:label "Jan Brandt" .
<http://example.org/id/person/Жуков> rdfs:label "Georgy Zhukov" ;
    foaf:knows <http://example.org/id/person/müller> .
<http://example.org/id/place/caf%C3%A9> rdfs:label "a café named by its escaped IRI" .
"""
GRAPHS = """\
<http://example.org/graph/letters> {
    <http://example.org/id/person/brandt> <http://xmlns.com/foaf/0.1/knows>
        <http://example.org/id/person/müller> .
}
"""


@pytest.fixture(scope="module")
def user_server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("user-data")
    data = folder / "people.ttl"  # the default graph only
    data.write_text(DATA, encoding="utf-8")
    graphs = folder / "letters.trig"  # and one named graph
    graphs.write_text(GRAPHS, encoding="utf-8")
    srv = RunningServer(["--data", str(data), "--data", str(graphs), "--workers", "2",
                         "--base-iri", BASE], folder / "serve.log").wait_ready()
    yield srv
    assert srv.stop() == 0 and not any(srv.tmpdir.iterdir()), srv.log.read_text()[-2000:]


def get(srv: RunningServer, path: str, **kw) -> httpx.Response:
    return httpx.get(srv.url + path, timeout=30, **kw)


class Links(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"] or "")


# -- IRIs are Unicode: decode, normalise, look up -------------------------------------------------

def test_a_link_on_a_page_to_a_non_ascii_iri_dereferences(user_server) -> None:
    page = get(user_server, "/page/id/person/brandt", headers=HTML)
    assert page.status_code == 200
    link = next(h for h in Links(page.text).hrefs if "ller" in h)
    assert link == "/id/person/müller"
    # What a browser sends for that link: the path as UTF-8, percent-encoded.
    sent = quote(link)
    assert sent == "/id/person/m%C3%BCller"
    for accept, target in (("text/html", "/page/id/person/m%C3%BCller"),
                           ("text/turtle", "/data/id/person/m%C3%BCller?format=ttl")):
        redirect = get(user_server, sent, headers={"Accept": accept})
        assert redirect.status_code == 303, (accept, redirect.text)
        assert redirect.headers["location"] == target
        final = get(user_server, target, headers={"Accept": accept})
        assert final.status_code == 200, (target, final.text)
        assert "Anna Müller" in final.text


@pytest.mark.parametrize("path", [
    "/page/id/person/m%c3%bcller",  # lower-case hex digits
    "/page/id/person/mu%CC%88ller",  # decomposed: u + combining diaeresis (NFD)
    "/page/id/person/%D0%96%D1%83%D0%BA%D0%BE%D0%B2",  # Cyrillic, no Latin-1 form
    "/page/id/place/caf%C3%A9",  # the data itself holds the escaped IRI
    "/page/id/%70erson/brandt",  # an escaped unreserved character (p)
])
def test_every_spelling_of_an_iri_finds_it(user_server, path: str) -> None:
    response = get(user_server, path, headers=HTML)
    assert response.status_code == 200, (path, response.text[:300])


def test_headers_carry_iris_as_ascii(user_server) -> None:
    cyrillic = "/id/person/" + quote("Жуков")
    redirect = get(user_server, cyrillic, headers={"Accept": "text/turtle"})
    assert redirect.status_code == 303
    assert redirect.headers["location"] == f"/data{cyrillic}?format=ttl"
    doc = get(user_server, redirect.headers["location"])
    assert doc.status_code == 200 and "Georgy Zhukov" in doc.text
    assert doc.headers["link"] == f'<http://example.org{cyrillic}>; rel="describes"'


def test_unknown_and_unsafe_spellings_stay_404(user_server) -> None:
    for path in ("/id/person/m%C3%BCllerx", "/id/person/m%FF%FEller", "/page/id/a%3E%20b",
                 "/data/id/person/m%C3%BCller%3E", "/id/person/" + quote(
                     unicodedata.normalize("NFD", "Жуков")) + "%3Cx"):
        response = get(user_server, path, headers=HTML)
        assert response.status_code == 404, (path, response.status_code)
        assert "Traceback" not in response.text


# -- counts -------------------------------------------------------------------------------------

def test_the_home_page_counts_what_healthz_and_void_count(user_server) -> None:
    home = get(user_server, "/", headers=HTML).text
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([\d,]+)</dd>", home))
    healthz = get(user_server, "/healthz").json()["triples"]
    void = Graph().parse(data=get(user_server, "/.well-known/void").text, format="turtle")
    dataset = URIRef(BASE + "id/dataset")
    assert healthz == 13  # 12 in the default graph, 1 in the named one
    assert int(void.value(dataset, VOID.triples)) == healthz
    assert int(counts["statements"].replace(",", "")) == healthz, counts
    assert counts["named graphs"] == "1" and counts["in the default graph"] == "12", counts


# -- links only for the web and the site itself ---------------------------------------------------

def test_only_web_iris_become_links(user_server) -> None:
    page = get(user_server, "/page/id/person/m%C3%BCller", headers=HTML)
    assert page.status_code == 200
    hrefs = Links(page.text).hrefs
    assert "https://example.net/anna" in hrefs and "/id/person/brandt" in hrefs
    assert all(h.startswith(("/", "?", "#", "http://", "https://")) for h in hrefs), hrefs
    for text in ("javascript:alert(1)", "JavaScript:alert(2)", "data:text/html,hello",
                 "mailto:anna@example.org", "javascript:alert(3)"):
        assert text in page.text  # still shown, as text


def test_void_example_resource_comes_from_the_data_by_the_build_rule(user_server) -> None:
    import pyoxigraph as ox

    from kgpub.dump import example_resource

    quads = list(ox.parse(DATA.encode(), format=ox.RdfFormat.TURTLE))
    quads += list(ox.parse(GRAPHS.encode(), format=ox.RdfFormat.TRIG))
    void = Graph().parse(data=get(user_server, "/.well-known/void").text, format="turtle")
    examples = list(void.objects(URIRef(BASE + "id/dataset"), VOID.exampleResource))
    # Müller: linked to by Brandt (in the named graph) and by Zhukov.
    assert examples == [URIRef(BASE + "id/person/müller")]
    assert example_resource(quads, BASE) == BASE + "id/person/müller"
