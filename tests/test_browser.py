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


def test_home_example_query_and_resource_page(server, browser) -> None:
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


def test_query_page_shows_errors(server, browser) -> None:
    page = browser.new_page()
    page.goto(server.url + "/sparql")
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector("#error:not(:empty)", timeout=15_000)
    assert "malformed" in page.locator("#error").inner_text()
    page.close()


def test_query_results_link_only_web_and_local_iris(server, browser) -> None:
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
    page.close()
