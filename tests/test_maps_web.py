"""Maps against a real Neo4j: selections, the cache keyed by the graph version, the
pages, downloads, event mode, geographic view and ``lotura map``.

The graph is a small world written here: the 16 NUTS-3 regions with the bundled
outlines (data/regions/nuts_2021.csv), ten organisations in the three territories and
abroad (two with hostile names), projects, a topic and communities.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import ROOT, GraphState, _serve_in_thread, mark_dirty

from graphsvc.db import Graph
from graphsvc.errors import NotFound
from graphsvc.geo import NUTS3_CODES
from graphsvc.maps import LRUCache, build_map, parse_selection
from graphsvc.maps.select import fetch_selection
from graphsvc.residency import plan, read_inputs
from graphsvc.residency.graphio import GraphResolver, save_plan
from graphsvc.settings import Settings

NAME = "maps-fixture"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
UPV, TEC, UPNA, UBX, PAU, EVIL_S, EVIL_I, FHG, LONELY, SOLO = (
    "pic:1", "pic:2", "pic:3", "pic:4", "pic:5", "pic:6", "pic:7", "pic:8", "eus:9", "pic:10")
ORGS = [
    {"id": UPV, "name": "Universidad del País Vasco", "short_name": "UPV/EHU", "kind": "university", "territory": "ES21",
     "country": "ES", "city": "Leioa", "nuts3": "ES213", "lat": 43.33, "lon": -2.97, "community": 1},
    {"id": TEC, "name": "Tecnalia", "short_name": "TECNALIA", "kind": "research", "territory": "ES21", "country": "ES",
     "city": "Donostia", "nuts3": "ES212", "lat": 43.29, "lon": -1.98, "community": 1},
    {"id": UPNA, "name": "Universidad Pública de Navarra", "short_name": "UPNA", "kind": "university",
     "territory": "ES22", "country": "ES", "nuts3": "ES220", "lat": 42.80, "lon": -1.63, "community": 2},
    {"id": UBX, "name": "Université de Bordeaux", "short_name": "UBx", "kind": "university", "territory": "FRI",
     "country": "FR", "nuts3": "FRI12", "lat": 44.81, "lon": -0.59, "community": 2},
    {"id": PAU, "name": "Université de Pau", "kind": "university", "territory": "FRI", "country": "FR",
     "nuts3": "FRI15", "lat": 43.31, "lon": -0.36, "community": 2},
    {"id": EVIL_S, "name": SCRIPT, "kind": "company", "territory": "FRI", "country": "FR", "nuts3": "FRI15",
     "lat": 43.49, "lon": -1.47, "community": 1},
    {"id": EVIL_I, "name": IMG, "short_name": IMG, "kind": "cluster", "territory": "ES21", "country": "ES",
     "nuts3": "ES211", "community": 1},
    {"id": FHG, "name": "Fraunhofer", "kind": "research", "territory": None, "country": "DE", "community": 2},
    {"id": LONELY, "name": "Politeknika Txorierri", "kind": "vet", "territory": "ES21", "country": "ES",
     "nuts3": "ES213", "lat": 43.30, "lon": -2.88, "community": 3},
    {"id": SOLO, "name": "Solo", "kind": "company", "territory": "ES22", "country": "ES", "nuts3": "ES220",
     "lat": 42.81, "lon": -1.64, "community": 3},
]
PROJECTS = {
    "he:1": [UPV, TEC, EVIL_S, EVIL_I],
    "he:2": [UPV, UBX, FHG],
    "he:3": [UPNA, UBX, PAU],
    "he:4": [UPNA, PAU],
    "he:5": [UPV, UPNA],
    "he:6": [LONELY, SOLO],
}
TOPIC = "ccs:audiovisual"


def nuts3_rows() -> list[dict[str, Any]]:
    with (ROOT / "data" / "regions" / "nuts_2021.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["code"] in NUTS3_CODES]
    for r in rows:
        r["territory"] = r["code"][:4] if r["code"].startswith("ES2") else "FRI"
    return rows


def load_maps_fixture(graph: Graph) -> Graph:
    if GraphState.loaded == NAME:
        return graph
    graph.clear()
    regions = [{"code": r["code"], "name": r["name"], "territory": r["territory"], "geometry": r["geometry"]}
               for r in nuts3_rows()]
    with graph.driver.session(database=graph.database) as s:
        s.run("UNWIND $rows AS r CREATE (:Region {code: r.code, name: r.name, level: 3, territory: r.territory, "
              "geometry: r.geometry})", rows=regions).consume()
        s.run("UNWIND $rows AS r CREATE (o:Organisation) SET o = r", rows=ORGS).consume()
        s.run("CREATE (:Topic {id: $t, name: 'Audiovisual', kind: 'curated'})", t=TOPIC).consume()
        s.run("UNWIND keys($p) AS pid CREATE (p:Project {id: pid, acronym: pid, start_year: 2023}) "
              "WITH p, $p[p.id] AS members UNWIND members AS m MATCH (o:Organisation {id: m}) "
              "CREATE (o)-[:PARTICIPATES_IN {role: 'participant'}]->(p)", p=PROJECTS).consume()
        s.run("MATCH (p:Project {id: 'he:1'}), (t:Topic {id: $t}) CREATE (p)-[:ABOUT]->(t)", t=TOPIC).consume()
    graph.bump_version()
    GraphState.loaded = NAME
    return graph


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


def map_json(html: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="map-data" nonce="[^"]+">(.*?)</script>', html, re.S)
    assert m, "the page carries its map as JSON"
    return json.loads(m.group(1))


# -- selections on the real graph -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selection", "hops", "nodes", "edges"),
    [
        ("whole", 1, 9, 12),  # Fraunhofer is abroad
        ("territory:ES21", 1, 4, 3),
        ("territory:FRI", 1, 3, 1),
        ("community:2", 1, 4, 4),
        (f"topic:{TOPIC}", 1, 4, 6),
        (f"ego:{PAU}", 1, 3, 3),
        (f"ego:{PAU}", 2, 5, 7),
        ("cross-border", 1, 9, 8),  # Basque-Navarre ties cross a border too
    ],
)
def test_selections(mgraph: Graph, selection: str, hops: int, nodes: int, edges: int) -> None:
    f = fetch_selection(mgraph, parse_selection(selection, hops))
    assert (f.graph.number_of_nodes(), f.graph.number_of_edges()) == (nodes, edges)
    assert f.note is None


def test_cross_border_ties_only_cross_borders(mgraph: Graph) -> None:
    G = fetch_selection(mgraph, parse_selection("cross-border")).graph
    for a, b in G.edges():
        assert G.nodes[a]["territory"] != G.nodes[b]["territory"]
    assert G[UPV][UPNA]["weight"] == 1 and G[UPNA][PAU]["weight"] == 2


def test_unknown_organisation_and_topic(mgraph: Graph) -> None:
    with pytest.raises(NotFound):
        fetch_selection(mgraph, parse_selection("ego:pic:404"))
    with pytest.raises(NotFound):
        fetch_selection(mgraph, parse_selection("topic:nope"))


def test_large_selection_is_reduced_with_a_note(mgraph: Graph) -> None:
    m = build_map(mgraph, parse_selection("whole"), max_nodes=4, size_by="degree", cache=LRUCache())
    assert m.graph.number_of_nodes() == 4 and m.note == {"kind": "top", "shown": 4, "total": 9, "by": "degree"}
    assert UPV in m.graph and UPNA in m.graph
    c = build_map(mgraph, parse_selection("whole"), max_nodes=4, degrade="community", cache=LRUCache())
    assert c.note and c.note["kind"] == "community" and c.graph.number_of_nodes() == 3
    assert sorted(d["members"] for _, d in c.graph.nodes(data=True)) == [2, 3, 4]


def test_cache_is_keyed_by_graph_version(mgraph: Graph) -> None:
    cache = LRUCache()
    a = build_map(mgraph, parse_selection("territory:FRI"), cache=cache)
    assert build_map(mgraph, parse_selection("territory:FRI"), cache=cache) is a
    assert build_map(mgraph, parse_selection("territory:ES21"), cache=cache) is not a
    mgraph.bump_version()
    b = build_map(mgraph, parse_selection("territory:FRI"), cache=cache)
    assert b is not a and b.version == a.version + 1
    assert {v: (d["x"], d["y"]) for v, d in b.graph.nodes(data=True)} == {
        v: (d["x"], d["y"]) for v, d in a.graph.nodes(data=True)}, "same graph, same seed, same layout"


# -- pages ----------------------------------------------------------------------------------------------------


def test_map_page_renders_the_map_as_escaped_json(client: Any) -> None:
    r = client.get("/maps/?selection=whole&size_by=pagerank")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert SCRIPT not in html and IMG not in html
    data = map_json(html)
    assert data["counts"]["nodes"] == 9 and len(data["nodes"]) == 9
    assert {n["id"]: n["url"] for n in data["nodes"]}[PAU].endswith("/org/pic:5")
    assert "/maps/download/html?" in html and "/maps/download/gexf?" in html


def test_map_page_in_basque(client: Any) -> None:
    html = client.get("/maps/?selection=territory&territory=ES21&lang=eu").get_data(as_text=True)
    assert '<html lang="eu">' in html
    data = map_json(html)
    assert data["lang"] == "eu" and data["legend"]["territories"][0]["label"] == "Euskadi"
    assert data["counts"]["nodes"] == 4


def test_map_page_errors_keep_the_form(client: Any) -> None:
    r = client.get("/maps/?selection=territory:XX")
    assert r.status_code == 400 and 'data-testid="map-error"' in r.get_data(as_text=True)
    r = client.get("/maps/?selection=ego&org=pic:404")
    assert r.status_code == 404 and "<form" in r.get_data(as_text=True)


def test_ego_page_and_json(client: Any) -> None:
    r = client.get(f"/maps/ego/{EVIL_S}?hops=2")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert SCRIPT not in html
    data = map_json(html)
    assert data["center"] == EVIL_S and data["counts"]["nodes"] == 7
    j = client.get(f"/maps/data.json?selection=ego:{UPNA}").get_json()
    assert sorted(n["id"] for n in j["nodes"]) == sorted([UPNA, UBX, PAU, UPV])


def test_downloads(client: Any, tmp_path: Path) -> None:
    args = "selection=cross-border&lang=fr"
    r = client.get(f"/maps/download/gexf?{args}")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    path = tmp_path / "m.gexf"
    path.write_bytes(r.data)
    G = nx.read_gexf(path)
    assert (G.number_of_nodes(), G.number_of_edges()) == (9, 8)
    r = client.get(f"/maps/download/graphml?{args}")
    assert nx.read_graphml(io.BytesIO(r.data)).number_of_edges() == 8
    r = client.get(f"/maps/download/zip?{args}")
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        nodes = list(csv.reader(io.StringIO(z.read("nodes.csv").decode("utf-8-sig"))))
    assert len(nodes) == 10
    assert not [c for row in nodes for c in row if c[:1] in ("=", "+", "@")]
    r = client.get(f"/maps/download/html?{args}")
    assert r.mimetype == "text/html" and "sandbox" in r.headers["Content-Security-Policy"]
    html = r.get_data(as_text=True)
    assert '<html lang="fr">' in html and "vis-network" in html and SCRIPT not in html
    assert client.get("/maps/download/pdf").status_code == 404


def test_event_page_has_tour_and_qr_codes(client: Any) -> None:
    r = client.get(f"/maps/event?selection=whole&org={UPV}&lang=es")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert '<html lang="es">' in html and 'class="event"' in html
    tour = json.loads(re.search(r'id="tour-data" nonce="[^"]+">(.*?)</script>', html, re.S).group(1))
    assert tour["steps"] and {s["kind"] for s in tour["steps"]} == {"community", "tie"}
    assert html.count('class="segno"') >= 1 and f'data-qr="{UPV}"' in html
    assert SCRIPT not in html and IMG not in html
    assert client.get("/maps/event?org=pic:404").status_code == 404


def test_event_page_warns_when_its_qr_codes_point_to_this_computer(
    mgraph: Graph, neo4j_settings: Settings, client: Any
) -> None:
    from web import create_app

    url = f"/maps/event?selection=whole&org={UPV}"
    page = client.get(url).get_data(as_text=True)  # asked for as http://localhost/
    assert 'data-testid="qr-warning"' in page and "LOTURA_PUBLIC_URL" in page
    # asked for by the address people use, or with a public address configured: no warning
    page = client.get(url, base_url="http://lotura.example.org").get_data(as_text=True)
    assert 'data-testid="qr-warning"' not in page
    public = create_app({"TESTING": True, "LOTURA_GRAPH": mgraph, "SECRET_KEY": "test",
                         "LOTURA_PUBLIC_URL": "https://lotura.example.org"}, settings=neo4j_settings)
    # (another URL: rendered pages are cached per process and URL, and a process has one config)
    page = public.test_client().get(url + "&interval=10").get_data(as_text=True)
    assert 'data-testid="qr-warning"' not in page and 'class="segno"' in page


def test_geo_page_holds_the_16_regions_and_arcs(client: Any) -> None:
    r = client.get("/maps/geo")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    codes = re.findall(r'<path class="region t-[A-Z0-9]+" data-code="([A-Z0-9]+)"', html)
    assert sorted(codes) == sorted(NUTS3_CODES)
    assert 'data-testid="geo-missing"' not in html
    assert html.count('class="arc"') >= 3
    assert SCRIPT not in html and IMG not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.search(r'<a class="org" href="/org/pic:4"', html)
    svg = client.get("/maps/geo.svg")
    assert svg.mimetype == "image/svg+xml"
    root = ET.fromstring(svg.data)
    regions = root.findall(".//{http://www.w3.org/2000/svg}path[@class]")
    assert len([p for p in regions if p.get("class", "").startswith("region")]) == 16


# -- in the browser ----------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_event_mode_tour_advances(page: Any, server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/maps/event?selection=whole&interval=2&lang=fr")
    page.wait_for_function("() => window.LoturaMaps && LoturaMaps.instances[0] && LoturaMaps.instances[0].drawn")
    assert page.evaluate("() => LoturaMaps.instances[0].nodes.length") == 9
    caption = page.locator("#tour-caption")
    page.wait_for_function("() => document.getElementById('tour-caption').dataset.step === '0'", timeout=6000)
    first = caption.inner_text()
    page.wait_for_function("() => document.getElementById('tour-caption').dataset.step === '1'", timeout=6000)
    assert caption.inner_text() != first
    page.locator("#tour-next").click()
    assert caption.get_attribute("data-step") == "2"
    assert page.locator(".qr-panel figure:not([hidden]) svg").count() == 1
    assert dialogs == []


@pytest.mark.browser
def test_event_mode_reframes_once_a_resize_pauses(page: Any, server: str) -> None:
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{server}/maps/event?selection=whole&interval=120")
    page.wait_for_function("() => window.LoturaMaps && LoturaMaps.instances[0] && LoturaMaps.instances[0].drawn")
    page.click("#tour-pause")
    # count the DataSet updates (each one re-derives every node of the map)
    page.evaluate("""() => { const st = LoturaMaps.instances[0], update = st.nodes.update.bind(st.nodes);
        window.updates = 0; st.nodes.update = (x) => { window.updates++; return update(x); }; }""")
    scale = page.evaluate("() => LoturaMaps.instances[0].eventFrame.scale")
    for width in range(1000, 1400, 20):  # dragging the window's edge
        page.set_viewport_size({"width": width, "height": 700})
    page.wait_for_function("() => window.updates > 0", timeout=5000)
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.updates") == 1
    assert page.evaluate("() => LoturaMaps.instances[0].eventFrame.scale") != scale, "framed for the new size"
    page.locator("#tour-next").click()
    assert page.evaluate("() => window.updates") == 2, "a new step shows at once"


@pytest.mark.browser
def test_map_page_and_geo_click_in_the_browser(page: Any, server: str) -> None:
    page.goto(f"{server}/maps/?selection=whole")
    page.wait_for_function("() => window.LoturaMaps && LoturaMaps.instances[0] && LoturaMaps.instances[0].drawn")
    assert page.evaluate("() => LoturaMaps.instances[0].nodes.length") == 9
    assert page.evaluate("() => LoturaMaps.instances[0].network.physics.physicsEnabled") is False
    page.goto(f"{server}/maps/geo")
    group = page.locator(".geo-map .group").first
    if group.count():
        group.click()
        assert page.locator("#geo-list").is_visible()
    link = page.locator(".geo-map a.org").first
    href = link.get_attribute("href")
    assert href and href.startswith("/org/")


@pytest.mark.browser
def test_ego_macro_on_the_organisation_page(page: Any, server: str, app: Any) -> None:
    if "organisation.show" not in app.view_functions:
        pytest.skip("no organisation page in this build")
    resp = page.goto(f"{server}/org/{UPNA}")
    if resp is None or resp.status != 200:
        pytest.skip("the organisation page does not serve this small graph")
    box = page.locator("[data-testid=ego-map] .lotura-map")
    if not box.count():
        pytest.skip("the organisation page does not include maps/_ego.html")
    page.wait_for_function("() => document.querySelector('[data-testid=ego-map] .lotura-map').dataset.state === 'drawn'")
    assert page.evaluate("() => LoturaMaps.instances[0].nodes.length") == 4


# -- the command line ------------------------------------------------------------------------------------------------


def test_lotura_map_command(mgraph: Graph, neo4j_settings: Settings, tmp_path: Path) -> None:
    from lotura.cli import main

    runner = CliRunner()
    env = {"NEO4J_URI": neo4j_settings.uri}
    out = tmp_path / "es21.gexf"
    r = runner.invoke(main, ["map", "--selection", "territory:ES21", "--lang", "eu", "--out", str(out)], env=env)
    assert r.exit_code == 0, r.output
    assert nx.read_gexf(out).number_of_nodes() == 4
    r = runner.invoke(main, ["map", "-s", f"ego:{PAU}", "--hops", "2", "--out", str(tmp_path / "pau.csv")], env=env)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "pau-nodes.csv").is_file() and (tmp_path / "pau-edges.csv").is_file()
    r = runner.invoke(main, ["map", "--selection", "ego:pic:404", "--out", str(tmp_path / "x.html")], env=env)
    assert r.exit_code == 1 and "Error: no organisation 'pic:404'" in r.output
    r = runner.invoke(main, ["map", "--out", str(tmp_path / "x.pdf")], env=env)
    assert r.exit_code == 1 and ".gexf" in r.output


# -- residency ties from saved plans ----------------------------------------------------------------------------

RES_HOSTS = f"""id,organisation,places,periods,languages,topics
ubx,{UBX},2,2026-1,fr|en|eu,audiovisual
pau,{PAU},1,2026-1,fr|es,audiovisual
"""
RES_APPLICANTS = f"""id,name,organisation,territory,languages,periods,topics,preferences
a1,Ane,{UPV},,eu|en,2026-1,audiovisual,ubx
a2,Mikel,{SOLO},,es,2026-1,audiovisual,pau
a3,Nora,,Navarra,eu,2026-1,audiovisual,
"""
PLAN_NAME = "Printemps <2026>"


@pytest.fixture()
def planned(mgraph: Graph) -> Iterator[str]:
    """The maps graph with one saved residency plan, written by the planner's own
    save_plan: Bordeaux hosts Ane from UPV/EHU, Pau hosts Mikel from Solo, and Nora
    (no organisation) goes to Bordeaux. Yields the plan id."""
    inputs = read_inputs(RES_HOSTS, RES_APPLICANTS, resolver=GraphResolver(mgraph))
    result = plan(inputs.hosts, inputs.applicants)
    assert {(a.applicant, a.host) for a in result.assignments} == {("a1", "ubx"), ("a2", "pau"), ("a3", "ubx")}
    saved = save_plan(mgraph, result, inputs, plan_id="spring-maps", name=PLAN_NAME)
    yield saved["plan"]
    mark_dirty()


def _residency_edges(payload: dict[str, Any]) -> dict[frozenset[str], dict[str, Any]]:
    return {frozenset((e["from"], e["to"])): e for e in payload["edges"] if e.get("kind") == "residency"}


def test_saved_plan_draws_residency_ties_on_the_map(planned: str, mgraph: Graph) -> None:
    from graphsvc.maps import NULL, to_payload

    cache = LRUCache()
    off = build_map(mgraph, parse_selection("territory:FRI"), cache=cache)
    assert sorted(off.graph) == sorted([UBX, PAU, EVIL_S]) and off.residency_ties == []
    assert not _residency_edges(to_payload(off, "en", NULL))
    on = build_map(mgraph, parse_selection("territory:FRI"), cache=cache, residencies="all")
    assert on is not off, "the option is part of the cache key"
    assert build_map(mgraph, parse_selection("territory:FRI"), cache=cache, residencies="all") is on
    # UPV/EHU and Solo are not in Nouvelle-Aquitaine: they join the map for their residents
    assert sorted(on.graph) == sorted([UBX, PAU, EVIL_S, UPV, SOLO])
    assert on.graph.number_of_edges() == off.graph.number_of_edges()
    p = to_payload(on, "en", NULL)
    ties = _residency_edges(p)
    assert set(ties) == {frozenset((UBX, UPV)), frozenset((PAU, SOLO))}, "Nora has no organisation: no tie"
    assert ties[frozenset((UBX, UPV))]["title"].splitlines() == [
        "Residency tie", "Université de Bordeaux — Universidad del País Vasco",
        f"{PLAN_NAME}, period 2026-1: 1 resident from Universidad del País Vasco at Université de Bordeaux"]
    assert all(x in on.graph for e in p["edges"] for x in (e["from"], e["to"]))
    one = build_map(mgraph, parse_selection("territory:FRI"), cache=cache, residencies=planned)
    assert set(_residency_edges(to_payload(one, "en", NULL))) == set(ties)
    with pytest.raises(NotFound):
        build_map(mgraph, parse_selection("territory:FRI"), cache=cache, residencies="no-such-plan")


def test_a_map_of_communities_draws_no_residency_ties_but_checks_the_plan(planned: str, mgraph: Graph) -> None:
    c = build_map(mgraph, parse_selection("whole"), max_nodes=4, degrade="community", cache=LRUCache(),
                  residencies=planned)
    assert c.aggregated and c.residencies == planned and c.residency_ties == []
    with pytest.raises(NotFound):
        build_map(mgraph, parse_selection("whole"), max_nodes=4, degrade="community", cache=LRUCache(),
                  residencies="no-such-plan")


def test_map_page_form_offers_the_saved_plans(planned: str, client: Any) -> None:
    html = client.get("/maps/?selection=territory&territory=FRI").get_data(as_text=True)
    assert '<select name="residencies"' in html and f'<option value="{planned}">' in html
    assert PLAN_NAME not in html and "Printemps &lt;2026&gt; (3)" in html
    assert not _residency_edges(map_json(html))
    r = client.get(f"/maps/?selection=territory&territory=FRI&residencies={planned}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert f'<option value="{planned}" selected>' in html
    data = map_json(html)
    assert len(_residency_edges(data)) == 2 and data["legend"]["residency"]["label"] == "Residency tie"
    assert f"residencies={planned}" in html, "the downloads and event mode carry the option"
    j = client.get("/maps/data.json?selection=territory:FRI&residencies=all").get_json()
    assert len(_residency_edges(j)) == 2 and j["counts"]["nodes"] == 5
    assert client.get(f"/maps/event?selection=whole&residencies={planned}").status_code == 200
    r = client.get("/maps/?selection=whole&residencies=nope")
    assert r.status_code == 404 and 'data-testid="map-error"' in r.get_data(as_text=True)


def test_the_form_shows_the_residency_overlay_the_map_draws(planned: str, client: Any) -> None:
    html = client.get("/maps/?selection=territory&territory=FRI&residencies=ALL").get_data(as_text=True)
    assert len(_residency_edges(map_json(html))) == 2
    assert '<option value="all" selected>' in html and '<option value="" selected>' not in html


def test_downloads_carry_residency_ties(planned: str, client: Any, tmp_path: Path) -> None:
    args = "selection=whole&residencies=all"
    path = tmp_path / "r.gexf"
    path.write_bytes(client.get(f"/maps/download/gexf?{args}").data)
    G = nx.read_gexf(path)
    kinds = [(frozenset((a, b)), d["kind"]) for a, b, d in G.edges(data=True)]
    assert sum(k == "residency" for _, k in kinds) == 2 and sum(k == "co-participation" for _, k in kinds) == 12
    # UPV/EHU and Bordeaux share a project and a residency: two edges
    assert sorted(k for pair, k in kinds if pair == {UPV, UBX}) == ["co-participation", "residency"]
    (res,) = [d for pair, d in [(frozenset((a, b)), d) for a, b, d in G.edges(data=True)]
              if pair == {PAU, SOLO}]
    assert res["kind"] == "residency" and res["plans"] == PLAN_NAME and res["periods"] == "2026-1"
    G2 = nx.read_graphml(io.BytesIO(client.get(f"/maps/download/graphml?{args}").data))
    assert sum(d["kind"] == "residency" for *_, d in G2.edges(data=True)) == 2
    with zipfile.ZipFile(io.BytesIO(client.get(f"/maps/download/zip?{args}").data)) as z:
        edges = list(csv.reader(io.StringIO(z.read("edges.csv").decode("utf-8-sig"))))
    assert [r[6] for r in edges[1:]].count("residency") == 2
    html = client.get(f"/maps/download/html?{args}").get_data(as_text=True)
    assert "Residency tie" in html and "Printemps \\u003c2026\\u003e" in html and PLAN_NAME not in html
    plain = nx.read_gexf(io.BytesIO(client.get("/maps/download/gexf?selection=whole").data))
    assert {d["kind"] for *_, d in plain.edges(data=True)} == {"co-participation"}


def test_lotura_map_residencies(planned: str, neo4j_settings: Settings, tmp_path: Path) -> None:
    from lotura.cli import main

    runner = CliRunner()
    env = {"NEO4J_URI": neo4j_settings.uri}
    out = tmp_path / "fri.gexf"
    r = runner.invoke(main, ["map", "-s", "territory:FRI", "--residencies", "--out", str(out)], env=env)
    assert r.exit_code == 0, r.output
    G = nx.read_gexf(out)
    assert G.number_of_nodes() == 5 and sum(d["kind"] == "residency" for *_, d in G.edges(data=True)) == 2
    out2 = tmp_path / "plan.csv"
    r = runner.invoke(main, ["map", "--residencies", planned, "-s", "territory:FRI", "--out", str(out2)], env=env)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "plan-edges.csv").read_text(encoding="utf-8-sig").count(",residency,") == 2
    r = runner.invoke(main, ["map", "--residencies", "nope", "--out", str(tmp_path / "x.html")], env=env)
    assert r.exit_code == 1 and "Error: no saved residency plan 'nope'" in r.output
