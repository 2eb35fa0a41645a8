"""Maps benchmark: a 2,000-node map generated and drawn, Lotura against pyvis' defaults.

For the same graph (by default a synthetic co-participation graph of 2,000
organisations, ``graphsvc.maps.synthetic``; with ``--neo4j`` a selection of the graph at
NEO4J_URI) it measures:

- ``generate_s``: building the HTML file. Lotura cold = reduction, sizing, server-side
  layout and the self-contained HTML (with ``--neo4j`` also reading the selection);
  Lotura warm = the HTML from the cached layout; pyvis = ``Network().from_nx(G)`` and
  ``write_html`` with its defaults (physics on) on the graph Lotura draws (the same
  nodes and ties), one run: its ``from_nx`` is quadratic in the number of ties.
- ``still_s``: in headless Chromium (network cut, file:// URL), the time from the
  start of navigation until the map is drawn and still: vis-network's physics disabled,
  or stabilised with no simulation running (``physics.stabilized`` and no view
  function), then checked again 300 ms later (``moved_px``).

Targets (issue 6): generate <= 2 s, still <= 3 s for 2,000 nodes.

    python -m bench.maps                       # synthetic, 2,000 nodes
    python -m bench.maps --nodes 1000 --runs 5
    NEO4J_URI=bolt://127.0.0.1:7687 python -m bench.maps --neo4j --selection ego:pic:999604110 --hops 2
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from bench._common import finish, parser
from graphsvc.maps import NULL, LRUCache, Selection, build_map, parse_selection, prepare_map, render_html
from graphsvc.maps.model import DEFAULT_MAX_EDGES
from graphsvc.maps.synthetic import synthetic_graph

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
STILL_JS = """() => {
  const st = window.LoturaMaps && window.LoturaMaps.instances[0];
  const net = (st && st.network) || window.network;
  if (!net || !net.physics) return false;
  if (st && !st.drawn) return false;
  const ph = net.physics;
  const still = ph.physicsEnabled === false ||
                (ph.stabilized === true && ph.viewFunction === undefined && ph.ready === true);
  return still ? performance.now() : false;
}"""
POSITIONS_JS = """() => {
  const st = window.LoturaMaps && window.LoturaMaps.instances[0];
  const net = (st && st.network) || window.network;
  return net.getPositions();
}"""


def _median(xs: list[float]) -> float:
    return round(statistics.median(xs), 3)


def time_in_browser(path: Path, timeout_s: float) -> dict[str, Any]:
    """Seconds from navigation start to a drawn, still map, and how far nodes moved after."""
    from playwright.sync_api import sync_playwright

    exe = os.environ.get("LOTURA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
        ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:"))
                  else route.abort())
        page = ctx.new_page()
        page.goto(path.as_uri(), wait_until="commit")
        try:
            page.wait_for_load_state("load", timeout=timeout_s * 1000)
            if not page.evaluate("() => typeof vis !== 'undefined'"):
                browser.close()
                return {"still_s": "never (vis-network from a CDN)", "moved_px": ""}
            handle = page.wait_for_function(STILL_JS, polling=25, timeout=timeout_s * 1000)
            still_ms = float(handle.json_value())
        except Exception:  # noqa: BLE001 - a timeout is a result here
            browser.close()
            return {"still_s": f">{timeout_s:g}", "moved_px": ""}
        before = page.evaluate(POSITIONS_JS)
        page.wait_for_timeout(300)
        after = page.evaluate(POSITIONS_JS)
        moved = max((abs(before[k]["x"] - after[k]["x"]) + abs(before[k]["y"] - after[k]["y"]) for k in before),
                    default=0.0)
        browser.close()
    return {"still_s": round(still_ms / 1000, 3), "moved_px": round(moved, 2)}


def bench_lotura(G: nx.Graph, selection: Selection, runs: int, workdir: Path,
                 graph: Any = None) -> tuple[list[dict[str, Any]], Path, nx.Graph]:
    cold: list[float] = []
    data = None
    for _ in range(runs):
        t0 = time.perf_counter()
        if graph is not None:
            data = build_map(graph, selection, cache=LRUCache())  # fetch + reduce + layout
        else:
            data = prepare_map(G, selection)
        html = render_html(data, "en", NULL)
        cold.append(time.perf_counter() - t0)
    assert data is not None
    warm: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        html = render_html(data, "en", NULL)
        warm.append(time.perf_counter() - t0)
    path = workdir / "lotura.html"
    path.write_text(html, encoding="utf-8")
    n, m = data.graph.number_of_nodes(), data.graph.number_of_edges()
    base = {"nodes": n, "edges": m, "html_mb": round(len(html.encode()) / 1e6, 2)}
    rows = [
        {"case": "lotura cold (reduce+layout+HTML)", **base, "generate_s": _median(cold),
         "layout_s": round(data.timings.get("layout_s", 0.0), 3)},
        {"case": "lotura warm (cached layout)", **base, "generate_s": _median(warm), "layout_s": 0.0},
    ]
    return rows, path, data.graph


def bench_pyvis(G: nx.Graph, runs: int, workdir: Path, cdn_resources: str = "local") -> tuple[dict[str, Any], Path]:
    from pyvis.network import Network

    plain = nx.Graph()
    plain.add_nodes_from((v, {"label": str(d.get("short_name") or d.get("name") or v), "title": str(d.get("name") or v)})
                         for v, d in G.nodes(data=True))
    plain.add_edges_from((a, b, {"weight": d.get("weight", 1)}) for a, b, d in G.edges(data=True))
    times: list[float] = []
    here = Path.cwd()
    os.chdir(workdir)  # pyvis writes its lib/ folder into the working directory
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            net = Network(cdn_resources=cdn_resources)
            net.from_nx(plain)
            net.write_html(f"pyvis-{cdn_resources}.html")
            times.append(time.perf_counter() - t0)
    finally:
        os.chdir(here)
    path = workdir / f"pyvis-{cdn_resources}.html"
    label = "pyvis defaults (from_nx+write_html, physics on)" if cdn_resources == "local" else \
        f"pyvis cdn_resources={cdn_resources!r} (physics on)"
    return {"case": label, "nodes": plain.number_of_nodes(),
            "edges": plain.number_of_edges(), "html_mb": round(path.stat().st_size / 1e6, 2),
            "generate_s": _median(times), "layout_s": ""}, path


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, default=2000, help="organisations in the synthetic graph")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for a still map")
    p.add_argument("--no-browser", action="store_true")
    p.add_argument("--no-pyvis", action="store_true")
    p.add_argument("--neo4j", action="store_true", help="use a selection of the graph at NEO4J_URI")
    p.add_argument("--selection", default="whole")
    p.add_argument("--hops", type=int, default=1)
    args = p.parse_args()

    graph = None
    if args.neo4j:
        from graphsvc.db import Graph
        from graphsvc.maps.select import fetch_selection
        from graphsvc.settings import Settings

        graph = Graph.from_settings(Settings.from_env())
        selection = parse_selection(args.selection, args.hops)
        G = fetch_selection(graph, selection, max_nodes=2000, max_edges=DEFAULT_MAX_EDGES).graph
        source = f"neo4j {args.selection} (hops {args.hops})"
    else:
        selection = Selection()
        G = synthetic_graph(args.nodes, seed=args.seed)
        source = f"synthetic {args.nodes} organisations, seed {args.seed}"

    with tempfile.TemporaryDirectory(prefix="lotura-bench-maps-") as tmp:
        work = Path(tmp)
        rows, lotura_html, drawn = bench_lotura(G, selection, args.runs, work, graph)
        if not args.no_browser:
            shot = time_in_browser(lotura_html, args.timeout)
            for r in rows:
                r.update(shot)
        if not args.no_pyvis:
            # the same graph Lotura draws (after its edge backbone); pyvis' from_nx is
            # quadratic in the edges, so one run is enough. Its default ("local") page
            # still loads vis-network from cdnjs, so offline it never draws; "in_line"
            # inlines vis-network (Bootstrap still comes from a CDN) and can be timed.
            for mode in ("local", "in_line"):
                row, pyvis_html = bench_pyvis(drawn, 1, work, mode)
                if not args.no_browser:
                    row.update(time_in_browser(pyvis_html, args.timeout))
                rows.append(row)
    print(f"graph: {source}")
    finish(args, rows, {"source": source, "runs": args.runs})


if __name__ == "__main__":
    main()
