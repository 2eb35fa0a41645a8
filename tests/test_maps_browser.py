"""Exported maps in headless Chromium with the network cut: the file opens from disk,
draws every node, stays still, and shows hostile names as text only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_maps import IMG, SCRIPT, residency_overlay, small_world

from graphsvc.maps import NULL, Selection, export_map, prepare_map, render_html
from graphsvc.maps.synthetic import synthetic_graph

pytestmark = pytest.mark.browser

DRAWN = "() => window.LoturaMaps && LoturaMaps.instances.length > 0 && LoturaMaps.instances[0].drawn"


def open_file(page: Any, path: Path) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"requests": [], "dialogs": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function(DRAWN, timeout=15000)
    return seen


def node_screen_position(page: Any, node_id: str) -> tuple[float, float]:
    return page.evaluate(
        """(id) => {
            const st = LoturaMaps.instances[0];
            const p = st.network.getPositions([id])[id];
            const d = st.network.canvasToDOM(p);
            const r = st.network.body.container.getBoundingClientRect();
            return [r.left + d.x, r.top + d.y];
        }""",
        node_id,
    )


def test_exported_html_draws_every_node_offline_and_still(page: Any, tmp_path: Path) -> None:
    m = prepare_map(synthetic_graph(500, seed=11), Selection())
    path = tmp_path / "map.html"
    export_map(m, path, "fr", NULL)
    seen = open_file(page, path)
    state = page.evaluate(
        """() => { const st = LoturaMaps.instances[0];
                   return {nodes: st.nodes.length, edges: st.edges.length,
                           physics: st.network.physics.physicsEnabled, lang: document.documentElement.lang}; }"""
    )
    assert state == {"nodes": 500, "edges": m.graph.number_of_edges(), "physics": False, "lang": "fr"}
    assert all(u.startswith("file:") for u in seen["requests"]), seen["requests"]
    assert not seen["errors"], seen["errors"]
    before = page.evaluate("() => LoturaMaps.instances[0].network.getPositions()")
    page.wait_for_timeout(500)
    after = page.evaluate("() => LoturaMaps.instances[0].network.getPositions()")
    assert before == after, "nothing moves: the layout came from the server"
    legend = page.locator(".map-legend li").all_inner_texts()
    assert "Nouvelle-Aquitaine" in legend


def test_hostile_names_are_text_in_tooltips_labels_and_details(page: Any, tmp_path: Path) -> None:
    m = prepare_map(small_world(), Selection())
    path = tmp_path / "evil.html"
    path.write_text(render_html(m, "en", NULL), encoding="utf-8")
    seen = open_file(page, path)
    labels = page.evaluate("() => LoturaMaps.instances[0].nodes.get().map(n => n.label)")
    assert IMG in labels, "the label is the raw text, drawn on the canvas"
    x, y = node_screen_position(page, "pic:2")
    page.mouse.move(x, y)
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.inner_text().splitlines()[0] == SCRIPT
    # innerText turns the newlines into <br>; nothing else is an element
    tags = tip.evaluate("e => [...e.querySelectorAll('*')].map(c => c.tagName)")
    assert tags and set(tags) == {"BR"}, tags
    x, y = node_screen_position(page, "pic:3")
    page.mouse.click(x, y)
    details = page.locator(".map-details h2")
    details.wait_for(state="visible", timeout=5000)
    assert details.inner_text() == IMG
    assert page.locator("img").count() == 0 and page.locator("script:not([id]):not([src])").count() == 2
    page.wait_for_timeout(300)
    assert seen["dialogs"] == [], "no script from the data ran"


def test_gentle_physics_can_be_switched_on(page: Any, tmp_path: Path) -> None:
    m = prepare_map(synthetic_graph(60, seed=2), Selection())
    path = tmp_path / "physics.html"
    export_map(m, path, "eu", NULL, physics=False)
    open_file(page, path)
    page.locator(".map-physics").click()
    assert page.evaluate("() => LoturaMaps.instances[0].network.physics.physicsEnabled") is True
    assert page.locator(".map-physics").get_attribute("aria-pressed") == "true"


def test_png_export(tmp_path: Path, chromium_path: str) -> None:
    m = prepare_map(small_world(), Selection())
    out = tmp_path / "map.png"
    export_map(m, out, "en", NULL)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    width = int.from_bytes(data[16:20], "big")
    assert width == 1600


def test_exported_residency_ties_are_dashed_with_their_legend_offline(page: Any, tmp_path: Path) -> None:
    m = prepare_map(small_world(), Selection(), residency=residency_overlay())
    path = tmp_path / "residencies.html"
    export_map(m, path, "en", NULL)
    seen = open_file(page, path)
    edges = page.evaluate(
        """() => LoturaMaps.instances[0].edges.get().filter(e => e.kind === "residency")
                 .map(e => ({id: e.id, dashes: e.dashes, title: e.title}))""")
    assert len(edges) == 2 and all(e["dashes"] == [10, 6] for e in edges)
    assert {e["title"].splitlines()[0] for e in edges} == {"Residency tie"}, "the server's tooltip is kept"
    assert any(SCRIPT in e["title"] for e in edges), "a hostile plan name stays plain text"
    assert page.evaluate("() => LoturaMaps.instances[0].nodes.get('eus:8').label") == "Txorierri"
    assert page.locator(".map-legend li[data-legend=residency]").inner_text() == "Residency tie"
    assert all(u.startswith("file:") for u in seen["requests"]), seen["requests"]
    assert not seen["errors"] and not seen["dialogs"]
