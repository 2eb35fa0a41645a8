"""In a real browser (headless Chromium): data that looks like HTML stays text on the
pages, maps and tooltips included, and no page breaks its Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import _serve_in_thread
from webdata import EVIL_HTML, load_web_fixture

from graphsvc.db import Graph
from graphsvc.settings import Settings

pytestmark = pytest.mark.browser


@pytest.fixture()
def evil_site(session_graph: Graph, neo4j_settings: Settings) -> Iterator[str]:
    from web import create_app

    g = load_web_fixture(session_graph)
    app = create_app({"TESTING": True, "LOTURA_GRAPH": g, "SECRET_KEY": "test"}, settings=neo4j_settings)
    url, srv = _serve_in_thread(app)
    yield url
    srv.close()  # type: ignore[attr-defined]


def _paths(app_has: set[str]) -> list[str]:
    paths = [f"/org/{EVIL_HTML}", "/directory?q=Zentroa&territory=all", "/dashboard"]
    paths += [f"/maps/ego/{EVIL_HTML}", f"/maps/?selection=ego&org={EVIL_HTML}", "/maps/event", "/maps/geo"]
    return paths


def test_html_in_data_is_never_run_or_rendered(evil_site: str, page: Any) -> None:
    dialogs: list[str] = []
    csp: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    seen_text = False
    checked = 0
    errors: list[str] = []
    for path in _paths(set()):
        resp = page.goto(evil_site + path, wait_until="load")
        if resp is None or resp.status == 404:
            continue
        if resp.status >= 500:
            errors.append(f"{path}: {resp.status}")
            continue
        checked += 1
        page.wait_for_timeout(300)
        # sweep the mouse over every map to open the tooltips
        for box in [
            b for b in (el.bounding_box() for el in page.query_selector_all("[data-lotura-map], canvas")) if b
        ]:
            for i in range(1, 9):
                for j in range(1, 7):
                    page.mouse.move(box["x"] + box["width"] * i / 9, box["y"] + box["height"] * j / 7)
                    page.wait_for_timeout(15)
        injected = page.evaluate("() => document.querySelectorAll('img[src=\"x\"], img[onerror]').length")
        assert injected == 0, f"{path}: the name was parsed as HTML"
        if "<img src=x onerror=alert(1)>" in page.inner_text("body"):
            seen_text = True
    assert not errors, errors
    assert checked >= 2
    assert seen_text, "the name shows as text somewhere"
    assert not dialogs, f"script from data ran: {dialogs}"
    assert not csp, f"CSP violations: {csp}"
