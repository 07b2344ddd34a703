"""/search, /browse/…, /timeline and /network over HTTP, on a running `kgpub serve`.

The session `server` serves a copy of the checkout, whose committed dumps carry the index;
`serve --data` (no build) makes an index of its own at start.
"""

from __future__ import annotations

import csv
import html
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from conftest import ROOT, RunningServer

KGR = "https://w3id.org/kgpub/id/"
SVG = "{http://www.w3.org/2000/svg}"
# What an engine's error text looks like; none of it may reach a client.
LEAKS = ("sqlite", "fts5", "syntax error", "Traceback", "OperationalError", "malformed MATCH",
         "unterminated", "no such column")
HOSTILE = ['"', '"strategic', "*", "NEAR(a b)", "a OR b", "(((", ")", "label:Russia",
           "{label names}: x", "^x", "'; DROP TABLE doc; --", "\x00", "\x01\x02\x7f",
           "Russia\nChina\r\n\t", "\u202eRussia", "%00", "x" * 10_240, "é" * 600,
           "a" * 500, " ", ""]


def get(server, path: str, **params) -> httpx.Response:
    return httpx.get(server.url + path, params=params, timeout=30)


def test_search_json_has_the_documented_shape(server) -> None:
    response = get(server, "/search", q="Zheenbekov", format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"results", "total"} and body["total"] == 1
    (hit,) = body["results"]
    assert set(hit) == {"iri", "label", "kind", "snippet", "score"}
    assert hit["iri"] == KGR + "person/sooronbai-jeenbekov"
    assert hit["label"] == "Sooronbai Jeenbekov" and hit["kind"] == "actor"
    assert "<mark>Zheenbekov</mark>" in hit["snippet"] and hit["score"] > 100
    # Without Accept or format, an API client gets JSON; a browser gets the page.
    assert get(server, "/search", q="x").headers["content-type"] == "application/json"
    page = httpx.get(server.url + "/search", params={"q": "Атамбаев"},
                     headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "Almazbek Atambaev" in page.text
    assert '<a href="/id/person/almazbek-atambaev">' in page.text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_search_text_is_an_empty_result_or_a_clear_400(server, text: str) -> None:
    for fmt in ("json", "html"):
        response = get(server, "/search", q=text, format=fmt)
        assert response.status_code in (200, 400), (text[:30], response.text[:300])
        assert not [leak for leak in LEAKS if leak.lower() in response.text.lower()
                    and leak.lower() not in text.lower()], response.text[:500]
        if response.status_code == 400:
            assert len(text) > 500 and "the limit is 500" in response.text
        elif fmt == "json":
            assert response.json()["total"] >= 0


@pytest.mark.parametrize(("params", "message"), [
    ({"q": "x", "limit": "0"}, "limit must be a whole number from 1 to 100"),
    ({"q": "x", "limit": "lots"}, "limit must be a whole number"),
    ({"q": "x", "kind": "stance"}, "unknown kind 'stance'; search finds actor, event"),
])
def test_bad_search_parameters_say_what_to_change(server, params, message) -> None:
    response = get(server, "/search", **params)
    assert response.status_code == 400 and message in response.text


def test_a_list_downloads_as_csv_and_json_with_its_filter(server) -> None:
    russia = KGR + "country/russia"
    response = get(server, "/browse/stances", target=russia, format="csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="stances.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 5 and all(russia in r["targets_iri"].split("; ") for r in rows)
    assert rows[0]["iri"].startswith(KGR + "stance/") and rows[0]["holder"] == "Kyrgyzstan"
    data = get(server, "/browse/stances", target=russia, format="json").json()
    assert data["total"] == 5 and [r["iri"] for r in data["rows"]] == [r["iri"] for r in rows]
    assert data["filters"] == [{"name": "target", "value": russia}]
    everything = get(server, "/browse/quotes", format="json").json()
    assert everything["total"] == len(everything["rows"]) == 7


def test_a_list_page_links_its_filters_facets_and_downloads(server) -> None:
    page = httpx.get(server.url + "/browse/stances", params={"holder": KGR + "country/kyrgyzstan",
                                                            "from": "2017-11-28"},
                     headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    assert "2 stances match the filter" in page.text
    holder = quote(KGR + "country/kyrgyzstan", safe="")
    assert f'href="/browse/stances?holder={holder}&amp;from=2017-11-28&amp;format=csv"' \
        in page.text
    assert 'href="/browse/stances?from=2017-11-28"' in page.text  # remove the holder filter


@pytest.mark.parametrize(("path", "params", "status", "message"), [
    ("/browse/stances", {"colour": "red"}, 400, "unknown filter 'colour' for stances"),
    ("/browse/stances", {"from": "yesterday"}, 400, "is not a date"),
    ("/browse/stances", {"page": "-1"}, 400, "page must be a whole number"),
    ("/browse/stances", {"page": "99"}, 200, "Page 99 is past the end"),
    ("/browse/stances", {"target": "nobody"}, 200, "No stances match this filter"),
    ("/browse/stances", {"format": "xml"}, 406, "format='xml' is not offered"),
    ("/browse/people", {}, 404, "no list called 'people'"),
    ("/timeline", {"from": "soon"}, 400, "is not a date"),
    ("/timeline", {"actor": "nobody"}, 200, "No stances to show"),
    ("/network", {"to": "2017-13-99x"}, 400, "is not a date"),
])
def test_bad_list_and_picture_requests(server, path, params, status, message) -> None:
    response = httpx.get(server.url + path, params=params, headers={"Accept": "text/html"},
                         timeout=30)
    assert response.status_code == status and message in html.unescape(response.text)


def test_timelines_and_the_network_as_svg(server) -> None:
    pair = {"holder": KGR + "country/kyrgyzstan", "target": KGR + "country/russia"}
    page = httpx.get(server.url + "/timeline", params=pair, headers={"Accept": "text/html"},
                     timeout=30)
    assert page.status_code == 200 and "Kyrgyzstan → Russia: stances over time" in page.text
    svg = get(server, "/timeline", **pair, format="svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    assert root.get("role") == "img" and root.find(SVG + "title").text.startswith("Kyrgyzstan")
    marks = root.findall(f".//{SVG}circle[@class]")
    marks = [m for m in marks if m.get("class").startswith("mark")]
    # five stances, three of them reported by both articles: one mark per stance and source
    assert len(marks) == 8
    network = get(server, "/network", format="svg",
                  type="https://w3id.org/kgpub/stance-type/AlliedRelations")
    edges = [p for p in ET.fromstring(network.content).iter(SVG + "path")
             if "edge" in (p.get("class") or "")]
    assert [(e.get("data-target"), e.get("data-weight")) for e in edges] == \
        [(KGR + "country/russia", "2")]


def test_serve_data_makes_its_own_index(tmp_path: Path) -> None:
    """`serve --data` has no build: the index is made at start from what it serves, in its
    work directory, and removed with it."""
    data = tmp_path / "data.trig"
    data.write_text(
        '@prefix kgp: <https://w3id.org/kgpub/ontology#> .\n'
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '<https://w3id.org/kgpub/graph/article/a> {\n'
        '  <https://w3id.org/kgpub/id/person/anna> a kgp:Person, kgp:Agent ;'
        ' rdfs:label "Ánna Brandt"@en .\n'
        '  <https://w3id.org/kgpub/id/stance/s> a kgp:Stance ; kgp:stanceHolder '
        '<https://w3id.org/kgpub/id/person/anna> ; kgp:stanceTarget '
        '<https://w3id.org/kgpub/id/country/f> ; kgp:statedOn "2020-03-04" .\n}\n',
        encoding="utf-8")
    server = RunningServer(["--data", str(data), "--workers", "1"], tmp_path / "serve.log",
                           cwd=ROOT).wait_ready()
    try:
        found = get(server, "/search", q="anna").json()
        assert [r["iri"] for r in found["results"]] == ["https://w3id.org/kgpub/id/person/anna"]
        assert get(server, "/browse/stances", format="json").json()["total"] == 1
        assert "made the search index" in server.log.read_text()
    finally:
        assert server.stop() == 0
    assert not any(server.tmpdir.iterdir())


def test_openapi_describes_the_search_result(server) -> None:
    doc = get(server, "/openapi.json").json()
    schema = doc["paths"]["/search"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    assert schema["required"] == ["results", "total"]
    assert schema["properties"]["results"]["items"]["required"] == \
        ["iri", "label", "kind", "snippet", "score"]
    assert json.dumps(doc).count('"x-kgpub-route": "/browse/{kind}"') == 6


@pytest.mark.parametrize(("path", "name"), [("/browse/stances", "page"), ("/search", "limit")])
def test_an_empty_number_is_refused_as_documented(server, path: str, name: str) -> None:
    """/openapi.json says integer: an empty value is not one (schemathesis sends it)."""
    response = get(server, path, **{name: ""})
    assert response.status_code == 400 and "must be a whole number" in response.text
