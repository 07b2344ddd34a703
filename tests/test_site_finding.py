"""The pages that find things, rendered by the Site from a search index (no server): the
timeline's marks and conflicts, the search results' escaping, the lists' links, the SVGs alone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from test_site import parse, squash

from kgpub.search import SearchIndex, search_index_path
from kgpub.search.browse import Filters
from kgpub.search.index import make_index
from kgpub.search.pictures import NetworkQuery, TimelineQuery
from kgpub.site import Site, SiteConfig
from kgpub.site.terms import POLARITY_COLOURS
from kgpub.site.timeline import MAX_TICKS, ticks

KGR = "https://w3id.org/kgpub/id/"
SVG = "{http://www.w3.org/2000/svg}"


async def _no_sparql(query: str) -> list:
    raise AssertionError("these pages read the index only")


def site_for(index: Path) -> Site:
    return Site(_no_sparql, SiteConfig(), None, SearchIndex(index))


def run(coro):
    return asyncio.run(coro)


def test_the_timeline_shows_each_source_and_the_conflict(visit_world: Path) -> None:
    site = site_for(search_index_path(visit_world))
    query = TimelineQuery(holder=KGR + "country/ruritania", target=KGR + "country/freedonia")
    doc = parse(run(site.timeline_page(query)))
    assert squash(doc.find_all("h1")[0].text()) == "Ruritania → Freedonia: stances over time"
    svg = doc.by_id("stance-timeline")
    assert svg.attrs["role"] == "img" and svg.attrs["aria-labelledby"]
    marks = svg.with_class("mark")
    assert len(marks) == 2
    assert {m.attrs["fill"] for m in marks} == {POLARITY_COLOURS["Positive"],
                                               POLARITY_COLOURS["Neutral"]}
    assert len({m.attrs["cx"] for m in marks}) == 2  # side by side, not on top of each other
    assert len({m.attrs["cy"] for m in marks}) == 1  # one stance type, one row
    assert len(svg.with_class("conflict-ring")) == 2 and all(m.has_class("conflict")
                                                              for m in marks)
    titles = [squash(a.find_all("title")[0].text()) for a in svg.with_class("mark-link")]
    assert all("sources disagree on attribution type, polarity" in t for t in titles)
    assert {t.split("as reported by ")[1].split(" (")[0] for t in titles} == \
        {"Ruritanian News Service", "Freedonia Gazette"}
    desc = squash(doc.by_id("timeline-desc").text())
    assert desc.startswith("1 stance from 2020-03-04 to 2020-03-04, one mark per stance and "
                           "reporting source (2 marks from 2 sources)")
    table = doc.with_class("as-table")[0].find_all("tbody")[0].find_all("tr")
    assert [squash(tr.find_all("td")[3].text()) for tr in table] in (
        ["positive", "neutral"], ["neutral", "positive"])
    swap = [a for a in doc.find_all("a") if squash(a.text()) == "the other direction"][0]
    assert dict(parse_qsl(urlsplit(swap.attrs["href"]).query)) == {
        "holder": KGR + "country/freedonia", "target": KGR + "country/ruritania"}


def test_an_actor_page_has_its_timeline(visit_world: Path) -> None:
    site = site_for(search_index_path(visit_world))
    found = run(site.actor_timeline(KGR + "person/anna-brandt"))
    assert found is not None and found["view"]["stances"] == 1
    assert found["page"] == "/timeline?actor=https%3A%2F%2Fw3id.org%2Fkgpub%2Fid%2Fperson%2F" \
                            "anna-brandt"
    assert run(site.actor_timeline(KGR + "person/otto-kessler")) is None  # no stances
    assert run(site.actor_timeline(KGR + "event/2020-03-10-kessler-visit-to-ruritania")) is None


def test_svg_alone_is_well_formed_and_titled(built) -> None:
    out, _ = built
    site = site_for(search_index_path(out))
    for svg in (run(site.network_svg(NetworkQuery())),
                run(site.timeline_svg(TimelineQuery(actor=KGR + "country/kyrgyzstan")))):
        assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
        root = ET.fromstring(svg.encode())
        assert root.tag == SVG + "svg" and root.get("role") == "img"
        assert root.find(SVG + "title").text and root.find(SVG + "desc").text
        links = [a for a in root.iter(SVG + "a")]
        assert links and all(a.find(SVG + "title") is not None for a in links)


def test_hostile_labels_are_text_everywhere(tmp_path: Path) -> None:
    """Labels and quotes come from the data: they are escaped in results, lists and SVG."""
    evil = '<img src=x onerror=alert(1)>"\'&'
    data = tmp_path / "evil.nq"
    g = "<https://w3id.org/kgpub/graph/article/a>"
    data.write_text(
        f'<{KGR}person/e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
        f'<https://w3id.org/kgpub/ontology#Agent> {g} .\n'
        f'<{KGR}person/e> <http://www.w3.org/2000/01/rdf-schema#label> '
        f'"Evil {evil.replace(chr(34), chr(92) + chr(34))}" {g} .\n'
        f'<{KGR}stance/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
        f'<https://w3id.org/kgpub/ontology#Stance> {g} .\n'
        f'<{KGR}stance/s> <https://w3id.org/kgpub/ontology#stanceHolder> <{KGR}person/e> {g} .\n'
        f'<{KGR}stance/s> <https://w3id.org/kgpub/ontology#stanceTarget> <javascript:alert(1)> '
        f'{g} .\n'
        f'<{KGR}stance/s> <https://w3id.org/kgpub/ontology#statedOn> "2020-01-01" {g} .\n',
        encoding="utf-8")
    make_index(data, tmp_path / "i.sqlite")
    site = site_for(tmp_path / "i.sqlite")
    pages = [run(site.search_page("evil img", None)),
             run(site.browse_page("stances", Filters(), 1)),
             run(site.browse_page("actors", Filters(), 1)),
             run(site.timeline_page(TimelineQuery(actor=KGR + "person/e"))),
             run(site.network_page(NetworkQuery()))]
    assert "<mark>Evil</mark>" in pages[0] and "<mark>img</mark>" in pages[0]
    for html in pages:
        assert "<img" not in html and "onerror=alert(1)>" not in html
        doc = parse(html)
        hrefs = [n.attrs.get("href") or "" for n in doc.iter()]
        assert not [h for h in hrefs if h.lower().startswith("javascript:")]
    assert "javascript:alert(1)" in pages[1]  # shown as text, not linked


def test_list_links_keep_the_filter_and_toggle_a_value(built) -> None:
    out, _ = built
    site = site_for(search_index_path(out))
    russia, positive = KGR + "country/russia", "https://w3id.org/kgpub/ontology#Positive"
    doc = parse(run(site.browse_page("stances", Filters((("target", russia),), "2017"), 1)))
    polarity = doc.by_id("facet-polarity")
    link = [a for a in polarity.find_all("a") if a.attrs.get("data-value") == positive][0]
    assert parse_qsl(urlsplit(link.attrs["href"]).query) == [
        ("target", russia), ("polarity", positive), ("from", "2017")]
    chosen = [a for a in doc.by_id("facet-target").find_all("a")
              if a.attrs.get("aria-current") == "true"]
    assert len(chosen) == 1 and parse_qsl(urlsplit(chosen[0].attrs["href"]).query) == [
        ("from", "2017")]
    downloads = {squash(a.text()): a.attrs["href"] for a in doc.by_id("downloads").find_all("a")}
    assert parse_qsl(urlsplit(downloads["CSV"]).query)[-1] == ("format", "csv")
    hidden = [(i.attrs["name"], i.attrs["value"]) for i in doc.find_all("input")
              if i.attrs.get("type") == "hidden"]
    assert hidden == [("target", russia)]


@pytest.mark.parametrize(("start", "end", "first", "step"), [
    ("2017-11-25", "2017-11-30", "2017-11-25", "2017-11-26"),
    ("2017-01-10", "2017-11-30", "2017-03", "2017-05"),
    ("1990-06-01", "2020-03-01", "1995", "2000"),
])
def test_timeline_ticks_are_few_and_readable(start, end, first, step) -> None:
    found = ticks(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert 2 <= len(found) <= MAX_TICKS
    assert [label for _, label in found[:2]] == [first, step]
