"""A real headless Chromium visits the site: home page, an example query, a resource page.

Needs Debian's `chromium` (`.ci/run` installs it). Outside CI the test is skipped when no
Chromium is found; in CI (CI set in the environment) a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("KGPUB_CHROMIUM") or shutil.which("chromium") or \
    shutil.which("chromium-browser")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("the browser test needs Debian's chromium: apt-get install chromium")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def plain(tmp_path_factory, checkout):
    """A server whose query page is the plain editor (what it is without the YASGUI bundle)."""
    from conftest import RunningServer

    srv = RunningServer(["--root", str(checkout), "--workers", "2"],
                        tmp_path_factory.mktemp("plain") / "log", cwd=checkout,
                        env={"KGPUB_YASGUI": "off"})
    yield srv.wait_ready()
    srv.stop()


def test_home_example_query_and_resource_page(plain, browser) -> None:
    server = plain
    page = browser.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)

    page.goto(server.url + "/")
    assert "kgpub" in page.title().lower() or page.locator("h1").count() == 1
    assert page.locator("svg").count() >= 1  # the stance network
    runs = page.locator("a[href^='/sparql?query=']")
    assert runs.count() >= 10

    runs.first.click()
    page.wait_for_selector("#results tr td", timeout=15_000)
    assert "SELECT" in page.locator("#query").input_value().upper()
    rows = page.locator("#results tbody tr")
    assert rows.count() >= 1
    assert page.locator("#downloads a").count() >= 2

    local_link = page.locator("#results a[href^='/id/'], #results a[href^='/page/']").first
    local_link.click()
    page.wait_for_load_state()
    assert "/page/" in page.url
    assert page.locator("h1").inner_text().strip()
    assert not [u for u in failed if not u.startswith(server.url)], failed
    assert not [u for u in failed if "favicon" not in u], failed
    page.close()


def test_query_page_shows_errors(plain, browser) -> None:
    server = plain
    page = browser.new_page()
    page.goto(server.url + "/sparql")
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector("#error:not(:empty)", timeout=15_000)
    assert "malformed" in page.locator("#error").inner_text()
    page.close()


def test_query_results_link_only_web_and_local_iris(plain, browser) -> None:
    server = plain  # the plain editor's result table (YASGUI's is tested below)
    from urllib.parse import quote

    query = ("SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <data:text/html,hi> "
             "<https://example.net/a> <https://w3id.org/kgpub/id/country/kyrgyzstan> } }")
    page = browser.new_page()
    page.goto(server.url + "/sparql?query=" + quote(query, safe=""))
    page.wait_for_selector("#results tbody tr", timeout=15_000)
    hrefs = page.eval_on_selector_all("#results a", "links => links.map(a => a.href)")
    assert sorted(hrefs) == [server.url + "/id/country/kyrgyzstan", "https://example.net/a"]
    shown = page.locator("#results span.iri").all_inner_texts()
    assert sorted(shown) == ["data:text/html,hi", "javascript:alert(1)"]


def test_yasgui_runs_a_competency_question_and_links_to_resource_pages(server, browser) -> None:
    """The query page with YASGUI (installed by `make` from the npm registry): a competency
    question runs from the examples, its result IRIs lead to the resource pages, and nothing is
    loaded from another host."""
    from kgpub.site.pages import YASGUI_BUNDLE

    if not YASGUI_BUNDLE.exists():
        if os.environ.get("CI"):
            pytest.fail("YASGUI is not installed: make installs it (tools/fetch_yasgui.py)")
        pytest.skip("YASGUI is not installed (python3 tools/fetch_yasgui.py)")
    page = browser.new_page()
    elsewhere: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url)
            if not r.url.startswith((server.url, "data:")) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server.url + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.select_option("#examples", "cq02")
    page.click(".yasqe .yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr td a[href^='/id/']", timeout=15_000)
    assert "results" in page.locator(".yasr").inner_text()
    link = page.locator(".yasr table a[href^='/id/person/']").first
    name = link.get_attribute("href")
    link.evaluate("a => a.click()")  # YASR's cell overlay takes the pointer; the link is real
    page.wait_for_url(f"**/page{name}", timeout=15_000)
    assert page.locator("h1").inner_text().strip()
    assert elsewhere == [], elsewhere
    assert errors == [], errors
    page.close()


# -- finding things: the search box, a list with facets, a timeline ---------------------------

def _watch(page, server) -> list[str]:
    """Requests to other hosts and console errors, to assert there are none."""
    problems: list[str] = []
    page.on("request", lambda r: problems.append(r.url)
            if not r.url.startswith((server.url, "data:")) else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return problems


def test_the_search_box_suggests_names_as_one_types(plain, browser) -> None:
    page = browser.new_page()
    problems = _watch(page, plain)
    page.goto(plain.url + "/browse/")
    box = page.locator("#site-search")
    box.press_sequentially("Zheen", delay=40)  # a spelling the registry has as alt_label
    option = page.locator("#site-search-list li[role=option]").first
    option.wait_for(timeout=10_000)
    assert box.get_attribute("aria-expanded") == "true"
    assert option.inner_text().startswith("Sooronbai Jeenbekov")
    option.click()
    page.wait_for_url("**/page/id/person/sooronbai-jeenbekov", timeout=10_000)
    assert page.locator("h1").inner_text() == "Sooronbai Jeenbekov"
    assert page.locator("#stance-timeline .mark").count() >= 8  # his stances, by source
    # By keyboard, in Cyrillic: the first suggestion is the actor, Enter opens it.
    box = page.locator("#site-search")
    box.press_sequentially("Атамба", delay=40)
    page.locator("#site-search-list li[role=option]").first.wait_for(timeout=10_000)
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "site-search-option-0"
    box.press("Enter")
    page.wait_for_url("**/page/id/person/almazbek-atambaev", timeout=10_000)
    # Without picking, the form opens the results page, grouped by kind.
    box = page.locator("#site-search")
    box.fill("strategic partner")
    box.press("Enter")
    page.wait_for_url("**/search?q=strategic+partner", timeout=10_000)
    assert page.locator(".result-group h2").all_inner_texts()[:1] == ["Vocabulary concepts"]
    assert page.locator(".result mark").count() >= 10
    assert problems == [], problems
    page.close()


def test_filter_a_list_and_download_its_csv(plain, browser) -> None:
    import csv
    import io

    page = browser.new_page()
    problems = _watch(page, plain)
    page.goto(plain.url + "/browse/stances")
    assert "14 stances" in page.locator("#list-summary").inner_text()
    page.locator("#facet-target a", has_text="Russia").click()
    page.wait_for_url("**/browse/stances?target=*", timeout=10_000)
    assert page.locator("#list-summary").inner_text().startswith("5 stances match the filter")
    assert page.locator("table.browse-table tbody tr").count() == 5
    page.locator("#facet-polarity a", has_text="neutral").click()
    page.wait_for_url("**polarity=*", timeout=10_000)
    assert page.locator("table.browse-table tbody tr").count() == 1
    with page.expect_download() as download:
        page.locator("#downloads a[download]").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [r["type"] for r in rows] == ["balanced multi-vector policy"]
    assert rows[0]["polarity"] == "neutral" and "Russia" in rows[0]["targets"]
    page.locator(".active-filters a.remove").first.click()  # drop the target filter
    page.wait_for_load_state()
    assert "target=" not in page.url and "polarity=" in page.url
    assert problems == [], problems
    page.close()


def test_open_a_timeline_from_the_network(plain, browser) -> None:
    page = browser.new_page()
    problems = _watch(page, plain)
    page.goto(plain.url + "/")
    edge = page.locator("#stance-network a.edge-link:has(path[data-holder$='/country/kyrgyzstan']"
                        "[data-target$='/country/russia'])")
    assert edge.locator("path").get_attribute("data-weight") == "5"
    edge.dispatch_event("click")  # the arrow is an SVG link; others may lie across it
    page.wait_for_url("**/timeline?holder=*", timeout=10_000)
    assert page.locator("h1").inner_text() == "Kyrgyzstan → Russia: stances over time"
    marks = page.locator("#stance-timeline .mark")
    assert marks.count() == 8  # five stances; three reported by both articles
    assert page.locator("details.as-table tbody tr").count() == 8
    titles = page.locator("#stance-timeline .mark-link title").all_text_contents()
    assert all("as reported by" in t for t in titles)
    assert {t.split("as reported by ")[1].split(" (")[0] for t in titles} == \
        {"RFE/RL", "The Times of Central Asia"}
    # A mark leads to its stance.
    page.locator("#stance-timeline a.mark-link").first.dispatch_event("click")
    page.wait_for_url("**/page/id/stance/*", timeout=10_000)
    assert problems == [], problems
    page.close()
