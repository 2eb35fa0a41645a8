"""Labels of the interactive maps in headless Chromium: as many as fit without overlapping,
none cut at the map's edge, a readable screen size whatever the zoom, more once zoomed in,
the hidden ones still in the tooltip; the same in the offline export, fast on 2,000 nodes.

Boxes are read from vis-network itself (each node's label module, as it drew it), not
from maps.js' own estimate."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from graphsvc.maps import NULL, Selection, export_map, prepare_map
from graphsvc.maps.synthetic import synthetic_graph

pytestmark = pytest.mark.browser

DRAWN = "() => window.LoturaMaps && LoturaMaps.instances.length > 0 && LoturaMaps.instances[0].drawn"
FONT_PX = (12, 20)  # maps.js MAP_LABELS: 12-15 px, the most central few 16-20 px

# every drawn label: its box on screen (canvas pixels), its size on screen, its node's centre
LABELS_JS = """() => {
  const st = LoturaMaps.instances[0], net = st.network, s = net.getScale();
  const c = net.canvas.frame.canvas, out = [];
  for (const id of net.body.nodeIndices) {
    const node = net.body.nodes[id], lm = node.labelModule, sc = node.options.scaling.label;
    let px = lm.fontOptions.size * s;
    const centre = net.canvasToDOM({x: node.x, y: node.y});
    const drawn = !(px < sc.drawThreshold - 1) && lm.fontOptions.color !== "rgba(0,0,0,0)";
    if (px >= sc.maxVisible) { px = sc.maxVisible; }
    const a = net.canvasToDOM({x: lm.size.left, y: lm.size.top});
    const b = net.canvasToDOM({x: lm.size.left + lm.size.width, y: lm.size.top + lm.size.height});
    out.push({id: String(id), drawn, px, x: centre.x, y: centre.y,
              left: a.x, top: a.y, right: b.x, bottom: b.y});
  }
  return {width: c.clientWidth, height: c.clientHeight, scale: s, nodes: out};
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and a["right"] > b["left"]
        and a["top"] < b["bottom"]
        and a["bottom"] > b["top"]
    )


def labels(page: Any) -> dict[str, Any]:
    # the labels are placed just before a drawing: let two frames pass
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(LABELS_JS)


def check_readable(view: dict[str, Any], at_least: int) -> list[dict[str, Any]]:
    """The drawn labels: at least `at_least`, none overlapping, none cut, sizes in range."""
    shown = [n for n in view["nodes"] if n["drawn"]]
    assert len(shown) >= at_least, (len(shown), len(view["nodes"]))
    clashes = [(a["id"], b["id"]) for i, a in enumerate(shown) for b in shown[i + 1 :] if _overlap(a, b)]
    assert clashes == [], clashes[:5]
    cut = [
        n["id"]
        for n in shown
        if n["left"] < 0 or n["top"] < 0 or n["right"] > view["width"] or n["bottom"] > view["height"]
    ]
    assert cut == [], cut[:5]
    sizes = [n["px"] for n in shown]
    assert FONT_PX[0] - 0.01 <= min(sizes) and max(sizes) <= FONT_PX[1] + 0.01, (min(sizes), max(sizes))
    return shown


def zoom_to(page: Any, node_id: str, factor: float) -> None:
    page.evaluate(
        """([id, f]) => { const net = LoturaMaps.instances[0].network;
             net.moveTo({position: net.getPositions([id])[id], scale: net.getScale() * f}); }""",
        [node_id, factor],
    )


def most_central(page: Any) -> list[str]:
    return page.evaluate("() => LoturaMaps.instances[0].labelOrder.slice()")


def wait_fit(page: Any) -> None:
    page.evaluate("""() => new Promise(r => {
        const net = LoturaMaps.instances[0].network; net.once("animationFinished", () => r());
        document.querySelector(".map-fit").click(); })""")


def on_screen(view: dict[str, Any]) -> set[str]:
    return {n["id"] for n in view["nodes"] if 0 <= n["x"] <= view["width"] and 0 <= n["y"] <= view["height"]}


def test_navarre_map_labels_are_readable_and_grow_when_zoomed(page: Any, live_server: Any) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/maps/?selection=territory&territory=ES22")
    page.wait_for_function(DRAWN, timeout=60000)
    first = labels(page)
    assert len(first["nodes"]) >= 40, "the Navarre map of the demo graph"
    shown = check_readable(first, at_least=20)
    order = most_central(page)
    assert {n["id"] for n in shown} >= set(order[:3]), "the most central organisations are labelled first"

    # zoomed in on the most central organisation: more of the organisations in view are labelled
    zoom_to(page, order[0], 2.5)
    zoomed = labels(page)
    check_readable(zoomed, at_least=3)
    in_view = on_screen(zoomed)
    before = {n["id"] for n in first["nodes"] if n["drawn"]} & in_view
    after = {n["id"] for n in zoomed["nodes"] if n["drawn"]} & in_view
    assert len(after) > len(before), (len(before), len(after), len(in_view))
    # far enough in, every organisation well inside the view (room for its label: the
    # labels are at most 32 characters, under 300 px) has its label
    zoom_to(page, order[0], 4)
    close = labels(page)
    inside = [
        n
        for n in close["nodes"]
        if 150 <= n["x"] <= close["width"] - 150 and 0 <= n["y"] <= close["height"] - 40
    ]
    assert inside and all(n["drawn"] for n in inside), [n["id"] for n in inside if not n["drawn"]]

    # "Fit to screen" comes back to the first view, every label as at first
    wait_fit(page)
    again = labels(page)
    assert again["scale"] == pytest.approx(first["scale"], rel=1e-6)
    assert {n["id"] for n in again["nodes"] if n["drawn"]} == {n["id"] for n in shown}


def test_a_hidden_label_is_in_the_tooltip(page: Any, live_server: Any) -> None:
    # tall enough for the whole map: a click focuses the canvas, which scrolls it into view
    page.set_viewport_size({"width": 1400, "height": 1200})
    page.goto(f"{live_server.url}/maps/?selection=territory&territory=ES22")
    page.wait_for_function(DRAWN, timeout=60000)
    view = labels(page)
    box = page.locator(".map-canvas").bounding_box()
    hidden = [
        n
        for n in view["nodes"]
        if not n["drawn"] and 20 < n["x"] < view["width"] - 20 and 60 < n["y"] < view["height"] - 40
    ]
    assert hidden, "the map is too crowded to label everything at first"
    node = hidden[0]
    name = page.evaluate("(id) => LoturaMaps.instances[0].nodes.get(id).title.split('\\n')[0]", node["id"])
    page.mouse.move(box["x"] + node["x"], box["y"] + node["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.inner_text().splitlines()[0] == name
    # a click labels it, and the details say the rest
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] - 5)
    tip.wait_for(state="hidden", timeout=5000)
    page.mouse.click(box["x"] + node["x"], box["y"] + node["y"])
    page.locator(".map-details h2").wait_for(state="visible", timeout=5000)
    clicked = {n["id"]: n for n in labels(page)["nodes"]}[node["id"]]
    assert clicked["drawn"]


def test_exported_large_map_labels_at_1920_and_fast(page: Any, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    m = prepare_map(synthetic_graph(2000, seed=1), Selection())
    path = tmp_path / "map.html"
    export_map(m, path, "en", NULL)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function(DRAWN, timeout=60000)
    first = labels(page)
    assert len(first["nodes"]) == 2000
    check_readable(first, at_least=100)
    # zooming with the wheel: relabelled once per drawn frame, each time in a few ms
    box = page.locator(".map-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    times = []
    for _ in range(8):
        runs = page.evaluate("() => LoturaMaps.instances[0].labelRuns")
        page.mouse.wheel(0, -150)
        page.wait_for_function(f"() => LoturaMaps.instances[0].labelRuns > {runs}", timeout=10000)
        times.append(page.evaluate("() => LoturaMaps.instances[0].labelStats.ms"))
    zoomed = labels(page)
    assert zoomed["scale"] > first["scale"] * 1.5
    check_readable(zoomed, at_least=50)
    median = statistics.median(times)
    print(f"relabel on 2,000 nodes: median {median:.1f} ms, max {max(times):.1f} ms")  # noqa: T201
    assert median < 150, times  # about 20 ms on the shared development machine
    assert not errors, errors
