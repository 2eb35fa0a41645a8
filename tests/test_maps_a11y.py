"""The maps without a mouse or without sight (the accessibility audit's map findings):
a table of what each map shows with buttons that open a node's details by keyboard, a
named canvas, the geographic view's links exposed and visibly focused, event mode laid
out without overlaps and quiet while its tour plays, and the form reading a typed
organisation or topic when Show is left at the whole ecosystem.

Plain DOM assertions against the real pages in headless Chromium (roles, names, where
the focus goes, bounding boxes), over the small world of ``test_maps_web``.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import _serve_in_thread
from flask import render_template_string
from test_maps_web import EVIL_S, SCRIPT, TEC, TOPIC, UPNA, UPV, load_maps_fixture, map_json

from graphsvc.db import Graph
from graphsvc.settings import Settings

DRAWN = "() => window.LoturaMaps && LoturaMaps.instances[0] && LoturaMaps.instances[0].drawn"


@pytest.fixture()
def mgraph(session_graph: Graph) -> Graph:
    return load_maps_fixture(session_graph)


@pytest.fixture()
def app(mgraph: Graph, neo4j_settings: Settings) -> Any:
    from web import create_app

    return create_app({"TESTING": True, "LOTURA_GRAPH": mgraph, "SECRET_KEY": "test"}, settings=neo4j_settings)


@pytest.fixture()
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture()
def server(app: Any) -> Iterator[str]:
    url, srv = _serve_in_thread(app)
    yield url
    srv.close()  # type: ignore[attr-defined]


def table_rows(html: str) -> list[dict[str, str]]:
    """The rows of the page's "Organisations on this map" table, as text."""
    body = re.search(r'<details class="map-list"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, "the map has its table"
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        name = re.search(r'<th scope="row"[^>]*>(.*?)</th>', tr, re.S).group(1)
        href = re.search(r'href="([^"]+)"', name)
        cells = [htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        rows.append({"name": htmllib.unescape(re.sub(r"<[^>]+>", "", name)).strip(), "href": href.group(1) if href else "",
                     "kind": cells[0], "territory": cells[1], "ties": cells[2], "community": cells[3],
                     "node": re.search(r'data-node="([^"]+)"', tr).group(1)})
    return rows


# -- K1: the map as a table ------------------------------------------------------------------------


def test_map_page_lists_what_the_map_draws_most_central_first(client: Any) -> None:
    html = client.get("/maps/?selection=whole").get_data(as_text=True)
    data = map_json(html)
    assert "table" not in data, "the table is HTML on the page, not a second copy in the JSON"
    rows = table_rows(html)
    assert sorted(r["node"] for r in rows) == sorted(n["id"] for n in data["nodes"])
    assert '<details class="map-list" data-map-list' in html and "<details open" not in html, "closed: the view is as before"
    values = {n["id"]: n["value"] for n in data["nodes"]}
    assert [values[r["node"]] for r in rows] == sorted(values.values(), reverse=True)
    upv = next(r for r in rows if r["node"] == UPV)
    drawn = sum(1 for e in data["edges"] if UPV in (e["from"], e["to"]))
    assert upv == {"name": "Universidad del País Vasco", "href": f"/org/{UPV}", "kind": "University",
                   "territory": "Basque Country", "ties": str(drawn), "community": "1", "node": UPV}
    assert next(r for r in rows if r["node"] == EVIL_S)["name"] == SCRIPT and SCRIPT not in html
    # each button is named by what it does and for whom
    b = re.search(r'<button type="button" class="map-show" data-node="([^"]+)" id="(ml\d+b)" aria-labelledby="(\S+) (\S+)">', html)
    assert b and b.group(3) == b.group(2) and f'<th scope="row" id="{b.group(4)}">' in html


def test_the_table_follows_the_page_language_and_the_json_carries_it(client: Any) -> None:
    html = client.get("/maps/?selection=territory&territory=ES21&lang=fr").get_data(as_text=True)
    assert "Organisations sur cette carte" in html
    assert {r["territory"] for r in table_rows(html)} == {"Pays basque"}
    j = client.get(f"/maps/data.json?selection=ego:{UPNA}&lang=es").get_json()
    assert sorted(r["id"] for r in j["table"]["rows"]) == sorted(n["id"] for n in j["nodes"])
    assert j["strings"]["list_title"] == "Organizaciones de este mapa"
    assert "%(title)s" in j["strings"]["canvas_list"]


def test_ego_macro_names_its_map_apart_from_the_section_around_it(app: Any) -> None:
    # A4: the organisation page's section is "Network around this organisation"
    with app.test_request_context("/"):
        out = render_template_string('{% from "maps/_macros.html" import ego_map with context %}{{ ego_map(o) }}', o=UPNA)
    label = re.search(r'<div class="lotura-map ego"[^>]*aria-label="([^"]+)"', out, re.S).group(1)
    assert label == "Map of the network around this organisation"
    assert "data-map-scope" in out and "data-map-list" in out


# -- K7: a typed organisation or topic is not ignored -------------------------------------------------------


def test_a_typed_organisation_with_show_left_at_the_whole_ecosystem_draws_its_network(client: Any) -> None:
    r = client.get("/maps/?selection=whole&drawn=whole&org=Tecnalia&hops=1")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and map_json(html)["center"] == TEC
    assert re.search(r'<option value="ego" selected>', html), "the form says what it drew"
    assert 'name="drawn" value="ego"' in html
    # a topic likewise
    html = client.get(f"/maps/?selection=whole&topic={TOPIC}").get_data(as_text=True)
    assert map_json(html)["selection"].startswith("topic:")
    # the organisation typed for the map before is not carried to a topic map chosen next
    html = client.get(f"/maps/?selection=topic&topic={TOPIC}&org=Tecnalia&drawn=ego").get_data(as_text=True)
    assert map_json(html)["selection"].startswith("topic:") and re.search(r'name="org"[^>]*value=""', html)
    # Show set back to the whole ecosystem on purpose: the whole ecosystem, the field emptied
    html = client.get("/maps/?selection=whole&drawn=ego&org=Tecnalia").get_data(as_text=True)
    assert map_json(html)["selection"] == "whole" and map_json(html)["counts"]["nodes"] == 9
    assert re.search(r'name="org"[^>]*value=""', html) and 'name="drawn" value="whole"' in html
    # two typed fields and Show left alone: which one? The form says so.
    r = client.get(f"/maps/?selection=whole&org=Tecnalia&topic={TOPIC}")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "fill in only one of them" in html
    # Show and both typed fields are marked and point to the message; Show takes the focus
    marks = 'aria-invalid="true" aria-describedby="map-error"'
    assert re.search(rf'<select name="selection" {marks} autofocus>', html)
    assert re.search(rf'<input name="topic" {marks} ', html) and re.search(rf'<input name="org" {marks} ', html)
    assert html.count("aria-invalid") == 3 and 'id="map-error"' in html
    # an unknown organisation: its own field
    html = client.get("/maps/?selection=ego&org=No+such+organisation+anywhere").get_data(as_text=True)
    assert re.search(rf'<input name="org" {marks} autofocus', html) and html.count("aria-invalid") == 1
    # event mode's org= pins a QR code and never changes its map
    r = client.get(f"/maps/event?selection=whole&org={UPV}")
    assert r.status_code == 200 and map_json(r.get_data(as_text=True))["counts"]["nodes"] == 9


# -- in the browser ------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_keyboard_reaches_a_node_from_the_table_and_gets_focus_back(page: Any, server: str) -> None:
    page.goto(f"{server}/maps/?selection=whole")
    page.wait_for_function(DRAWN)
    canvas = page.locator("[data-testid=map] .vis-network")
    assert canvas.get_attribute("role") == "application"
    assert "The whole ecosystem" in canvas.get_attribute("aria-label")
    assert "Organisations on this map" in canvas.get_attribute("aria-label")
    summary = page.locator("details.map-list summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.map-list").evaluate("d => d.open")
    page.keyboard.press("Tab")  # the first row's link
    page.keyboard.press("Tab")  # its button
    button = page.locator("button.map-show").first
    assert page.evaluate("() => document.activeElement.className") == "map-show"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-labelledby')").count(" ") == 1
    node = button.get_attribute("data-node")
    page.keyboard.press("Enter")
    details = page.locator("[data-testid=map] .map-details")
    assert details.is_visible() and details.get_attribute("role") == "dialog"
    assert page.evaluate("() => document.activeElement.classList.contains('map-details')"), "K9: the panel takes the focus"
    assert page.evaluate("() => LoturaMaps.instances[0].network.getSelectedNodes()") == [node]
    name = page.evaluate("(id) => LoturaMaps.instances[0].data.nodes.find(n => n.id === id).title.split('\\n')[0]", node)
    assert page.evaluate("() => document.getElementById(document.activeElement.getAttribute('aria-labelledby')).textContent") == name
    page.keyboard.press("Escape")
    assert not details.is_visible()
    assert page.evaluate("() => document.activeElement.getAttribute('data-node')") == node, "focus back on the button"
    # the close button gives it back too
    page.keyboard.press("Enter")
    page.locator("[data-testid=map] .map-details .close").click()
    assert not details.is_visible() and page.evaluate("() => document.activeElement.getAttribute('data-node')") == node


@pytest.mark.browser
def test_the_organisation_page_map_gets_its_table_from_the_payload(page: Any, server: str, app: Any) -> None:
    resp = page.goto(f"{server}/org/{UPNA}")
    assert resp is not None and resp.status == 200
    assert page.locator("[data-testid=ego-map]").count() == 1
    page.wait_for_function("() => document.querySelector('[data-testid=ego-map] .lotura-map').dataset.state === 'drawn'")
    rows = page.locator("details.map-list tbody tr")
    assert rows.count() == page.evaluate("() => LoturaMaps.instances[0].nodes.length") == 4
    assert rows.first.locator("th a").get_attribute("href").startswith("/org/")
    region = page.locator("[data-testid=ego-map] .lotura-map").get_attribute("aria-label")
    assert region != page.locator("#h-ego").inner_text()
    page.locator("details.map-list summary").click()
    rows.nth(1).locator("button").click()
    assert page.evaluate("() => document.activeElement.classList.contains('map-details')")


@pytest.mark.browser
def test_geo_links_are_exposed_named_and_visibly_focused(page: Any, server: str) -> None:
    page.goto(f"{server}/maps/geo")
    svg = page.locator("svg.geo-map")
    assert svg.get_attribute("role") == "group"
    # exposed to assistive technology by the name on the link itself (not hidden in an img)
    link = page.get_by_role("link", name="Tecnalia · Donostia")
    assert link.count() == 1 and link.get_attribute("href") == f"/org/{TEC}"
    ring = link.locator("circle.focus-ring:not(.halo)")
    assert ring.evaluate("c => getComputedStyle(c).visibility") == "hidden"
    link.focus()
    assert ring.evaluate("c => getComputedStyle(c).visibility") == "visible"
    assert float(ring.evaluate("c => getComputedStyle(c).strokeWidth").rstrip("px")) >= 3
    assert ring.evaluate("c => getComputedStyle(c).stroke") == "rgb(0, 0, 0)"  # on #eef3f7 and the pale regions: > 15:1
    dot, outer = link.locator("circle:not(.focus-ring)").bounding_box(), ring.bounding_box()
    assert outer["width"] > dot["width"] * 1.8, "a ring around the dot, not a thicker edge"


EVENT_PARTS = ["header h1", "[data-testid=qr-warning]", "#event-fullscreen", ".lang-switch a", ".event-head > a",
               "#tour-prev", "#tour-pause", "#tour-next", ".map-legend", ".map-toolbar button", "#tour-caption"]


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1280, 900), (1366, 768), (1920, 1080), (640, 450), (360, 640)])
def test_event_mode_parts_do_not_overlap(page: Any, server: str, width: int, height: int) -> None:
    # 640x450 is 1280x900 zoomed to 200%, 360x640 a phone: there the QR card (for a room)
    # and its warning give way, everything else stays on the screen, apart
    small = width <= 900 or height <= 560
    parts = [p for p in EVENT_PARTS if not (small and p == "[data-testid=qr-warning]")]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server}/maps/event?selection=whole&interval=120")  # from 127.0.0.1: with the QR warning
    page.wait_for_function(DRAWN)
    page.wait_for_timeout(200)
    if small:
        assert not page.locator(".qr-panel").is_visible() and not page.locator("[data-testid=qr-warning]").is_visible()
    boxes = page.evaluate("""(sels) => sels.flatMap(s => [...document.querySelectorAll(s)].map((e, i) => {
        const r = e.getBoundingClientRect(); return {s: s + '@' + i, l: r.left, t: r.top, r: r.right, b: r.bottom}; }))""",
                          parts)
    assert {b["s"].split("@")[0] for b in boxes} == set(parts)
    for b in boxes:
        assert b["r"] > b["l"] and b["b"] > b["t"], f"{b['s']} is shown"
        assert 0 <= b["l"] and b["r"] <= width and 0 <= b["t"] and b["b"] <= height, f"{b['s']} is on the screen"
    clashes = [(a["s"], b["s"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if a["l"] < b["r"] - 1 and b["l"] < a["r"] - 1 and a["t"] < b["b"] - 1 and b["t"] < a["b"] - 1]
    assert clashes == []
    heading = page.locator(".map-legend h2").bounding_box()
    assert heading["y"] >= page.locator(".event-head").bounding_box()["y"] + page.locator(".event-head").bounding_box()["height"]


@pytest.mark.browser
def test_event_caption_speaks_only_when_the_tour_is_driven_by_hand(page: Any, server: str) -> None:
    page.goto(f"{server}/maps/event?selection=whole&interval=2")
    page.wait_for_function(DRAWN)
    caption = page.locator("#tour-caption")
    assert caption.get_attribute("aria-live") == "off", "the tour plays: no announcement every few seconds"
    page.wait_for_function("() => document.getElementById('tour-caption').dataset.step === '0'", timeout=6000)
    assert caption.get_attribute("aria-live") == "off"
    page.locator("#tour-next").click()
    assert caption.get_attribute("aria-live") == "polite" and caption.get_attribute("data-step") == "1"
    page.wait_for_function("() => document.getElementById('tour-caption').dataset.step === '2'", timeout=6000)
    assert caption.get_attribute("aria-live") == "off", "auto-advanced again: quiet again"
    page.locator("#tour-pause").click()
    assert caption.get_attribute("aria-live") == "polite"
    page.locator("#tour-pause").click()
    assert caption.get_attribute("aria-live") == "off"
