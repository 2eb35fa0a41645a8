"""The explorer in headless Chromium over the demo data (internet blocked)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

TECNALIA_NAME = "FUNDACION TECNALIA RESEARCH & INNOVATION"


@pytest.fixture()
def site(live_server: Any, page: Any) -> Any:
    from webdata import ensure_compiled

    ensure_compiled()
    failed: list[str] = []
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.set_default_timeout(20000)
    page.lotura_failed = failed
    page.lotura_url = live_server.url
    return page


def test_search_open_an_organisation_and_read_a_suggestions_reasons(site: Any) -> None:
    pg = site
    pg.goto(pg.lotura_url + "/directory?lang=en")
    pg.fill('[data-testid="directory-q"]', "tecnalia research")
    pg.get_by_role("button", name="Search").click()
    pg.wait_for_url(re.compile(r"/directory\?.*q=tecnalia"))
    pg.get_by_role("link", name=TECNALIA_NAME).click()
    pg.wait_for_url(re.compile(r"/org/pic:999604110"))
    assert pg.locator("h1").inner_text() == TECNALIA_NAME
    first = pg.locator("li.suggestion").first
    reasons = first.locator("ul.reasons li")
    assert not reasons.first.is_visible()  # folded until opened
    first.locator("summary").click()
    assert reasons.first.is_visible()
    text = reasons.first.inner_text()
    assert re.search(r"partner|topic|project|capacity|community", text), text
    assert not pg.lotura_failed


def test_run_a_saved_query_and_download_its_csv(site: Any) -> None:
    pg = site
    pg.goto(pg.lotura_url + "/queries?lang=en")
    pg.get_by_role("link", name="Organisations of a territory with the most cross-border partners").click()
    pg.select_option('select[name="territory"]', "ES21")
    pg.fill('input[name="limit"]', "7")
    pg.get_by_role("button", name="Run").click()
    results = pg.locator('[data-testid="query-results"]')
    results.wait_for()
    assert "7 rows" in results.inner_text()
    assert pg.locator('[data-testid="query-results"] tbody tr').count() == 7
    with pg.expect_download() as dl:
        pg.get_by_role("link", name="Download as CSV").click()
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Id,Organisation")
    assert len(text.splitlines()) == 8


def test_switch_to_basque_and_read_a_translated_heading_and_reason(site: Any) -> None:
    pg = site
    pg.goto(pg.lotura_url + "/dashboard?lang=en")
    assert pg.locator("h1").inner_text() == "The Euroregional innovation ecosystem"
    pg.locator('.lang-switch a[hreflang="eu"]').click()
    pg.wait_for_url(re.compile(r"lang=eu"))
    assert pg.locator("html").get_attribute("lang") == "eu"
    assert pg.locator("h1").inner_text() == "Euroeskualdeko berrikuntza-ekosistema"
    # The choice is remembered: a link without ?lang= stays in Basque.
    pg.locator(".main-nav a", has_text="Direktorioa").click()
    assert pg.locator("h1").inner_text() == "Erakundeen direktorioa"
    pg.goto(pg.lotura_url + "/org/pic:999604110")
    assert pg.locator("#h-suggestions").inner_text() == "Iradokitako mugaz gaindiko bazkideak"
    first = pg.locator("li.suggestion").first
    first.locator("summary").click()
    reasons = " ".join(first.locator("ul.reasons li").all_inner_texts())
    # Basque sentences: "... partekatzen ditu zurekin", "... hartu du parte", "gai berberetan ..."
    assert re.search(r"partekatzen|parte|gai|gaitasun|komunitate", reasons), reasons
    assert "shares" not in reasons and "has taken part" not in reasons
    assert not pg.lotura_failed


def test_finder_describing_a_need(site: Any) -> None:
    pg = site
    pg.goto(pg.lotura_url + "/finder?lang=en")
    pg.check('input[name="mode"][value="need"]')
    assert pg.locator('input[name="org"]').is_hidden()
    pg.locator('input[name="topics"]').first.fill("Green filming")
    pg.get_by_role("button", name="Find partners").click()
    results = pg.locator('[data-testid="finder-results"]')
    results.wait_for()
    assert "Organisations that could meet this need" in results.inner_text()
    assert results.locator("li.suggestion").count() >= 1


def test_a_geo_group_opened_by_keyboard_takes_the_focus_and_gives_it_back(site: Any) -> None:
    pg = site
    pg.goto(pg.lotura_url + "/maps/geo?lang=en")
    group = pg.locator(".geo-map .group[data-group]").first
    group.focus()
    pg.keyboard.press("Enter")
    panel = pg.locator("#geo-list")
    assert panel.is_visible()
    # the list comes after the whole map in the Tab order: the reader starts at its title
    assert pg.evaluate("() => document.activeElement.id") == "geo-list-title"
    assert panel.locator("li").count() >= 2
    pg.keyboard.press("Escape")
    assert panel.is_hidden()
    assert pg.evaluate("() => document.activeElement.getAttribute('data-group')") == group.get_attribute("data-group")
