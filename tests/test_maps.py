"""Maps without a database: selections, layout, degradation, styling, payload, tour and
the file exports (GEXF/GraphML round trips, CSV neutralisation, an HTML file with no
request to anywhere)."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from graphsvc.errors import InvalidInput, NotFound
from graphsvc.maps import (
    NULL,
    LRUCache,
    Selection,
    export_map,
    layout_graph,
    parse_selection,
    prepare_map,
    render_html,
    to_payload,
    tour_steps,
)
from graphsvc.maps.export import csv_tables, gexf_bytes, graphml_bytes
from graphsvc.maps.payload import json_for_html
from graphsvc.maps.residency import ResidencyOverlay, group_ties, parse_residencies
from graphsvc.maps.select import backbone, build_graph, cross_border_only, ego_subgraph
from graphsvc.maps.synthetic import synthetic_graph

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


class Shouting:
    """A fake catalogue: every message upper-cased (placeholders kept), so a test sees
    what was translated."""

    def gettext(self, message: str) -> str:
        return "".join(p if p.startswith("%(") else p.upper() for p in re.split(r"(%\([a-z_]+\)[sd])", message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def small_world() -> nx.Graph:
    """Seven organisations in the three territories and abroad, two of them hostile."""
    nodes = [
        {"id": "pic:1", "name": "Universidad del País Vasco", "short_name": "UPV/EHU", "kind": "university",
         "territory": "ES21", "country": "ES", "city": "Leioa", "lat": 43.33, "lon": -2.97},
        {"id": "pic:2", "name": SCRIPT, "kind": "company", "territory": "FRI", "country": "FR", "lat": 44.8, "lon": -0.6},
        {"id": "pic:3", "name": IMG, "short_name": IMG, "kind": "research", "territory": "ES22", "country": "ES"},
        {"id": "pic:4", "name": "=HYPERLINK(\"http://evil.example\")", "kind": "cluster", "territory": "ES21"},
        {"id": "pic:5", "name": "Fraunhofer", "kind": "research", "territory": None, "country": "DE"},
        {"id": "pic:6", "name": "Lonely", "kind": "vet", "territory": "FRI"},
        {"id": "pic:7", "name": "Bordeaux", "kind": "university", "territory": "FRI"},
    ]
    edges = [
        {"source": "pic:1", "target": "pic:2", "weight": 3},
        {"source": "pic:1", "target": "pic:3", "weight": 1},
        {"source": "pic:1", "target": "pic:4", "weight": 2},
        {"source": "pic:2", "target": "pic:5", "weight": 1},
        {"source": "pic:3", "target": "pic:7", "weight": 4},
        {"source": "pic:5", "target": "pic:7", "weight": 1},
    ]
    return build_graph(nodes, edges)


# -- selections --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hops", "expected"),
    [
        (None, 1, Selection("whole")),
        ("territory:fri", 1, Selection("territory", "FRI")),
        ("community:12", 1, Selection("community", "12")),
        ("topic:esv:/29/97", 1, Selection("topic", "esv:/29/97")),
        ("ego:pic:999", 2, Selection("ego", "pic:999", 2)),
        ("cross_border", 1, Selection("cross-border")),
    ],
)
def test_selections_parse(text: str | None, hops: int, expected: Selection) -> None:
    assert parse_selection(text, hops) == expected


@pytest.mark.parametrize(
    ("text", "hops", "field"),
    [("territory:ES30", 1, "territory"), ("community:x", 1, "community"), ("ego", 1, "org"),
     ("whole:1", 1, "selection"), ("ego:a", 3, "hops"), ("mars", 1, "selection")],
)
def test_bad_selections_name_the_field(text: str, hops: int, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_selection(text, hops)
    assert err.value.field == field


def test_cross_border_and_ego_selections() -> None:
    G = small_world()
    cb = cross_border_only(G)
    assert sorted(map(tuple, map(sorted, cb.edges()))) == [("pic:1", "pic:2"), ("pic:1", "pic:3"), ("pic:3", "pic:7")]
    assert sorted(ego_subgraph(G, "pic:4", 1)) == ["pic:1", "pic:4"]
    assert sorted(ego_subgraph(G, "pic:4", 2)) == ["pic:1", "pic:2", "pic:3", "pic:4"]
    with pytest.raises(NotFound):
        ego_subgraph(G, "pic:404", 1)


# -- layout ---------------------------------------------------------------------------------------


def test_layout_is_deterministic_complete_and_spread() -> None:
    G = synthetic_graph(400, seed=7)
    a = layout_graph(G, seed=42)
    b = layout_graph(G.copy(), seed=42)
    assert a == b
    assert set(a) == set(G)
    xs = [p[0] for p in a.values()]
    ys = [p[1] for p in a.values()]
    assert all(map(lambda v: v == v, xs + ys)), "no NaN"
    # nodes do not pile up: few share a position within 5 px
    rounded = {(round(x / 5), round(y / 5)) for x, y in a.values()}
    assert len(rounded) > 0.9 * len(a)


@pytest.mark.parametrize("algorithm", ["spring", "kamada-kawai", "forceatlas2", "circular"])
def test_other_layouts_for_small_maps(algorithm: str) -> None:
    G = synthetic_graph(40, seed=2)
    pos = layout_graph(G, algorithm, seed=1)
    assert set(pos) == set(G) and pos == layout_graph(G, algorithm, seed=1)


def test_layout_of_2000_nodes_is_fast() -> None:
    G = synthetic_graph(2000)
    t0 = time.perf_counter()
    pos = layout_graph(G)
    elapsed = time.perf_counter() - t0
    assert len(pos) == 2000
    assert elapsed < 6.0, f"layout took {elapsed:.1f}s"  # about 0.7 s alone on one core


def test_cache_computes_once() -> None:
    cache = LRUCache(2)
    calls = []
    for _ in range(3):
        cache.get_or_compute(("map", 1, "whole"), lambda: calls.append(1) or "m")
    cache.get_or_compute(("map", 2, "whole"), lambda: calls.append(1) or "m")  # new version: new map
    assert len(calls) == 2 and cache.hits == 2


# -- degradation -------------------------------------------------------------------------------------


def test_large_selection_keeps_the_most_central_and_says_so() -> None:
    G = synthetic_graph(300, seed=5)
    m = prepare_map(G, Selection(), max_nodes=50, size_by="pagerank")
    assert m.graph.number_of_nodes() == 50
    assert m.note == {"kind": "top", "shown": 50, "total": 300, "by": "pagerank"}
    kept_min = min(G.nodes[v].get("pagerank") or m.graph.nodes[v]["pagerank"] for v in m.graph)
    assert kept_min > 0
    text = to_payload(m, "en", NULL)["note"]
    assert "50 most central of 300" in text


def test_ego_centre_is_kept_when_reducing() -> None:
    G = synthetic_graph(200, seed=9)
    quiet = min(G, key=lambda v: (G.degree(v), v))
    m = prepare_map(G, Selection("ego", quiet), max_nodes=20)
    assert quiet in m.graph


def test_community_aggregation() -> None:
    G = synthetic_graph(300, seed=3)
    m = prepare_map(G, Selection(), max_nodes=100, degrade="community")
    assert m.note and m.note["kind"] == "community"
    assert sum(d["members"] for _, d in m.graph.nodes(data=True)) == 300
    payload = to_payload(m, "en", NULL)
    assert all(n["label"].startswith("Community ") for n in payload["nodes"])


def test_edge_backbone_keeps_every_organisations_strongest_tie() -> None:
    r = [0, 0, 0, 1, 1, 2]
    c = [1, 2, 3, 2, 3, 3]
    w = [5.0, 1, 1, 1, 1, 9]
    import numpy as np

    keep = backbone(np.array(r), np.array(c), np.array(w), max_edges=2, per_node=1)
    kept = {(r[i], c[i]) for i in keep}
    assert kept == {(0, 1), (2, 3)}
    G = synthetic_graph(300, seed=4, projects_per_org=2.0)
    m = prepare_map(G, Selection(), max_edges=500)
    # about max_edges: each organisation keeps its two strongest ties even beyond it
    assert m.graph.number_of_edges() <= 2 * 300 and m.note and m.note["edges_total"] == G.number_of_edges()
    assert m.graph.number_of_edges() < G.number_of_edges() / 4
    assert all(m.graph.degree(v) > 0 for v in G if G.degree(v) > 0)


# -- styling and payload ----------------------------------------------------------------------------------


def test_payload_styles_and_keeps_names_as_plain_text() -> None:
    m = prepare_map(small_world(), Selection(), size_by="degree")
    p = to_payload(m, "eu", NULL, org_url=lambda i: f"/org/{i}")
    by_id = {n["id"]: n for n in p["nodes"]}
    assert by_id["pic:1"]["color"]["background"] == "#c8102e" and by_id["pic:1"]["shape"] == "dot"
    assert by_id["pic:2"]["shape"] == "square" and by_id["pic:5"]["territory"] == "abroad"
    assert by_id["pic:1"]["value"] == 1.0, "the hub is the largest"
    assert by_id["pic:2"]["title"].splitlines()[0] == SCRIPT, "tooltips are the raw text, for innerText"
    assert by_id["pic:3"]["label"] == IMG
    assert by_id["pic:1"]["url"] == "/org/pic:1"
    widths = {(e["from"], e["to"]): e["width"] for e in p["edges"]}
    assert widths[("pic:3", "pic:7")] > widths[("pic:1", "pic:3")]
    assert p["options"]["physics"]["enabled"] is False
    assert [t["label"] for t in p["legend"]["territories"]][:3] == ["Euskadi", "Nafarroa", "Akitania Berria"]
    assert p["strings"]["shared"]["3"] == "3 shared projects"
    embedded = json_for_html(p)
    assert "<" not in embedded and ">" not in embedded
    assert json.loads(embedded) == p


def test_legend_tooltips_and_captions_follow_the_translator() -> None:
    m = prepare_map(small_world(), Selection("cross-border"))
    p = to_payload(m, "fr", Shouting())
    assert p["legend"]["title"] == "LEGEND"
    assert p["strings"]["shared"]["1"] == "1 SHARED PROJECT"
    assert p["title"] == "CROSS-BORDER TIES"
    steps = tour_steps(m, "fr", Shouting(), "cross-border")
    assert steps and steps[0]["caption"].startswith("CROSS-BORDER TIE: ")
    assert "(Pays basque)" in steps[0]["caption"] or "(Navarre)" in steps[0]["caption"]


def test_tour_spotlights_communities_and_ties_in_turn() -> None:
    m = prepare_map(synthetic_graph(120, seed=8), Selection())
    steps = tour_steps(m, "en", NULL, "both", limit=3)
    assert [s["kind"] for s in steps] == ["community", "tie"] * 3
    edge_ids = {f"e{i}" for i in range(m.graph.number_of_edges())}
    for s in steps:
        assert s["nodes"] and set(s["edges"]) <= edge_ids and s["focus"] in s["nodes"]
    tie = steps[1]
    a, b = tie["nodes"]
    assert m.graph[a][b]["cross_border"]


# -- exports -----------------------------------------------------------------------------------------------


def test_gexf_and_graphml_reopen_with_the_same_counts(tmp_path: Path) -> None:
    m = prepare_map(small_world(), Selection())
    gexf = tmp_path / "m.gexf"
    gexf.write_bytes(gexf_bytes(m))
    back = nx.read_gexf(gexf)
    assert back.number_of_nodes() == 7 and back.number_of_edges() == 6
    assert back.nodes["pic:2"]["name"] == SCRIPT
    assert back.nodes["pic:1"]["viz"]["position"]["x"] == m.graph.nodes["pic:1"]["x"]
    graphml = tmp_path / "m.graphml"
    graphml.write_bytes(graphml_bytes(m))
    back2 = nx.read_graphml(graphml)
    assert back2.number_of_nodes() == 7 and back2.number_of_edges() == 6
    assert back2["pic:3"]["pic:7"]["weight"] == 4.0


def test_gexf_survives_control_characters_and_mixed_types() -> None:
    G = small_world()
    G.nodes["pic:6"]["name"] = "bad\x00\x07name"
    G.nodes["pic:6"]["community"] = "x"
    G.nodes["pic:7"]["community"] = 3
    back = nx.read_gexf(io.BytesIO(gexf_bytes(prepare_map(G, Selection()))))
    assert back.nodes["pic:6"]["name"] == "badname" and back.number_of_nodes() == 7


def test_csv_export_translates_headers_and_neutralises_formulas(tmp_path: Path) -> None:
    m = prepare_map(small_world(), Selection())
    nodes_csv, edges_csv = csv_tables(m, "en", Shouting())
    rows = list(csv.reader(io.StringIO(nodes_csv)))
    assert rows[0][:3] == ["ID", "NAME", "SHORT NAME"]
    cells = [c for row in rows[1:] for c in row]
    assert "'=HYPERLINK(\"http://evil.example\")" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@")]
    assert any(c.startswith("-") for c in cells), "negative numbers stay numbers"
    erows = list(csv.reader(io.StringIO(edges_csv)))
    assert len(erows) == 7 and erows[0][4] == "SHARED PROJECTS"
    written = export_map(m, tmp_path / "m.csv", "en", NULL)
    assert [p.name for p in written] == ["m-nodes.csv", "m-edges.csv"]
    export_map(m, tmp_path / "m.zip", "en", NULL)
    with zipfile.ZipFile(tmp_path / "m.zip") as z:
        assert sorted(z.namelist()) == ["edges.csv", "nodes.csv"]


def test_html_export_is_one_offline_file() -> None:
    m = prepare_map(small_world(), Selection())
    html = render_html(m, "es", NULL)
    assert html.startswith("<!doctype html>") and '<html lang="es">' in html
    assert "default-src 'none'" in html, "a CSP forbids every request"
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "no CDN or remote asset"
    assert "<link" not in html and 'src="' not in html.replace('data-src="', "")
    assert SCRIPT not in html and IMG not in html, "data only as escaped JSON"
    assert html.count("</script>") == 3, "the JSON, vis-network and the map code, all inline"
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html


def test_export_rejects_unknown_formats(tmp_path: Path) -> None:
    m = prepare_map(small_world(), Selection())
    with pytest.raises(InvalidInput):
        export_map(m, tmp_path / "m.pdf", "en", NULL)


# -- residency ties -----------------------------------------------------------------------------------------


def residency_overlay() -> ResidencyOverlay:
    """Bordeaux (pic:7) hosts residents from UPV/EHU (pic:1, already on the map) and from
    a VET centre that is on no map until its residency (eus:8); a hostile plan name."""
    rows = [
        {"plan": "p1", "plan_name": SCRIPT, "period": "2026-1", "host": "pic:7", "home": "pic:1", "residents": 2},
        {"plan": "p2", "plan_name": "Autumn", "period": "2026-2", "host": "pic:1", "home": "pic:7", "residents": 1},
        {"plan": "p1", "plan_name": SCRIPT, "period": "2026-1", "host": "pic:7", "home": "eus:8", "residents": 1},
        {"plan": "p1", "plan_name": SCRIPT, "period": "2026-1", "host": "pic:99", "home": "pic:98", "residents": 1},
    ]
    orgs = {"eus:8": {"id": "eus:8", "name": "Txorierri", "kind": "vet", "territory": "ES21"},
            "pic:98": {"id": "pic:98", "name": "Far"}, "pic:99": {"id": "pic:99", "name": "Away"}}
    return ResidencyOverlay("all", group_ties(rows), orgs)


def test_parse_residencies() -> None:
    assert [parse_residencies(x) for x in (None, "", "none", "ALL", "*", "plan-0a1b")] == [
        None, None, None, "all", "all", "plan-0a1b"]
    with pytest.raises(InvalidInput) as err:
        parse_residencies("../etc")
    assert err.value.field == "residencies"


def test_residency_ties_are_drawn_dashed_with_a_plain_text_tooltip() -> None:
    m = prepare_map(small_world(), Selection(), residency=residency_overlay())
    assert "eus:8" in m.graph and m.graph.nodes["eus:8"]["name"] == "Txorierri", "joins the map for its tie"
    assert "pic:99" not in m.graph, "a tie with neither end on the map is not drawn"
    assert m.graph.number_of_edges() == 6, "co-participation ties unchanged"
    p = to_payload(m, "en", NULL)
    res = [e for e in p["edges"] if e.get("kind") == "residency"]
    assert sorted((e["from"], e["to"], e["w"]) for e in res) == [("pic:7", "eus:8", 1), ("pic:7", "pic:1", 3)]
    assert all(e["dashes"] and e["color"]["color"] == "#0f8a5f" for e in res)
    tip = {e["to"]: e["title"] for e in res}["pic:1"].splitlines()
    assert tip == ["Residency tie", "Bordeaux — Universidad del País Vasco",
                   f"{SCRIPT}, period 2026-1: 2 residents from Universidad del País Vasco at Bordeaux",
                   "Autumn, period 2026-2: 1 resident from Bordeaux at Universidad del País Vasco"]
    assert p["legend"]["residency"]["label"] == "Residency tie" and p["counts"]["residencies"] == 2
    assert to_payload(m, "fr", Shouting())["legend"]["residency"]["label"] == "RESIDENCY TIE"
    html = render_html(m, "en", NULL)
    assert SCRIPT not in html and "Residency tie" in html
    # the same map without the option: no residency edge, no extra node, no legend entry
    off = to_payload(prepare_map(small_world(), Selection()), "en", NULL)
    assert not [e for e in off["edges"] if e.get("kind")] and "residency" not in off["legend"]
    assert len(off["nodes"]) == 7


def test_residency_ties_in_gexf_graphml_and_csv() -> None:
    m = prepare_map(small_world(), Selection(), residency=residency_overlay())
    back = nx.read_gexf(io.BytesIO(gexf_bytes(m)))
    kinds = sorted((frozenset((a, b)), d["kind"]) for a, b, d in back.edges(data=True))
    assert [k for _, k in kinds].count("residency") == 2 and [k for _, k in kinds].count("co-participation") == 6
    both = [k for pair, k in kinds if pair == frozenset(("pic:1", "pic:7"))]
    assert both == ["residency"], "pic:1 and pic:7 share no project in this world"
    res = {frozenset((a, b)): d for a, b, d in back.edges(data=True) if d["kind"] == "residency"}
    assert res[frozenset(("pic:1", "pic:7"))]["plans"] == f"{SCRIPT}; Autumn"
    assert res[frozenset(("pic:1", "pic:7"))]["residents"] == 3
    g = nx.read_graphml(io.BytesIO(graphml_bytes(m)))
    assert sorted(d["kind"] for *_, d in g.edges(data=True)).count("residency") == 2
    _nodes, edges_csv = csv_tables(m, "en", Shouting())
    erows = list(csv.reader(io.StringIO(edges_csv)))
    assert erows[0][-2:] == ["KIND", "RESIDENCIES"]
    assert sorted(r[6] for r in erows[1:]) == ["co-participation"] * 6 + ["residency"] * 2
    # a pair with both a shared project and a residency keeps both edges
    m2 = prepare_map(small_world(), Selection(), residency=ResidencyOverlay("p", group_ties([
        {"plan": "p", "plan_name": "P", "period": "1", "host": "pic:2", "home": "pic:1", "residents": 1}])))
    two = nx.read_gexf(io.BytesIO(gexf_bytes(m2)))
    assert sorted(d["kind"] for a, b, d in two.edges(data=True) if {a, b} == {"pic:1", "pic:2"}) == [
        "co-participation", "residency"]
    assert csv_tables(prepare_map(small_world(), Selection()), "en", NULL)[1].splitlines()[0].endswith(
        "Cross-border"), "without the option the CSV keeps its columns"


def test_community_captions_count_the_organisations_on_the_map() -> None:
    m = prepare_map(synthetic_graph(120, seed=8), Selection())
    step = next(s for s in tour_steps(m, "en", NULL, "communities", limit=1) if s["kind"] == "community")
    assert re.match(rf"Community \S+: {len(step['nodes'])} organisations on this map · Most central: ",
                    step["caption"]), step["caption"]
