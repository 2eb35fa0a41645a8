"""The event-mode tour stops on residency ties when the map draws them: pure steps and
captions, the event page against a real Neo4j (a plan saved by the planner), and the
tour reaching a residency step in headless Chromium."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import _serve_in_thread, mark_dirty
from test_maps import SCRIPT, Shouting, residency_overlay, small_world
from test_maps_web import PAU, PLAN_NAME, RES_APPLICANTS, RES_HOSTS, SOLO, UBX, UPV, load_maps_fixture
from webdata import ensure_compiled

from graphsvc.db import Graph
from graphsvc.maps import NULL, Selection, prepare_map, to_payload, tour_steps
from graphsvc.maps.residency import ResidencyOverlay, group_ties
from graphsvc.maps.synthetic import synthetic_graph
from graphsvc.maps.tour import residency_steps
from graphsvc.residency import plan, read_inputs
from graphsvc.residency.graphio import GraphResolver, save_plan
from graphsvc.settings import Settings

# -- pure ---------------------------------------------------------------------------------------------


def test_one_step_per_plan_and_host_with_plan_host_homes_and_period() -> None:
    m = prepare_map(small_world(), Selection(), residency=residency_overlay())
    steps = residency_steps(m, "en", NULL)
    assert [s["caption"] for s in steps] == [
        f"Residency plan {SCRIPT}: Bordeaux (Nouvelle-Aquitaine) hosts 3 residents from UPV/EHU (Basque Country), "
        "Txorierri (Basque Country) · period 2026-1",
        "Residency plan Autumn: UPV/EHU (Basque Country) hosts 1 resident from Bordeaux (Nouvelle-Aquitaine) "
        "· period 2026-2",
    ]
    assert [(s["kind"], s["nodes"], s["focus"]) for s in steps] == [
        ("residency", ["pic:7", "pic:1", "eus:8"], "pic:7"), ("residency", ["pic:1", "pic:7"], "pic:1")]
    # the edges are the payload's dashed residency edges between those organisations
    res = {e["id"]: {e["from"], e["to"]} for e in to_payload(m, "en", NULL)["edges"] if e.get("kind") == "residency"}
    for s in steps:
        assert s["edges"] and all(res[e] <= set(s["nodes"]) for e in s["edges"])
    assert [len(s["edges"]) for s in steps] == [2, 1]


def test_residency_captions_follow_the_translator_and_the_limit() -> None:
    m = prepare_map(small_world(), Selection(), residency=residency_overlay())
    steps = residency_steps(m, "fr", Shouting(), limit=1)
    assert [s["caption"] for s in steps] == [
        f"RESIDENCY PLAN {SCRIPT}: Bordeaux (Nouvelle-Aquitaine) HOSTS 3 RESIDENTS FROM UPV/EHU (Pays basque), "
        "Txorierri (Pays basque) · PERIOD 2026-1"]


def test_the_tour_stops_on_residency_ties_only_when_they_are_drawn() -> None:
    off = prepare_map(small_world(), Selection())
    on = prepare_map(small_world(), Selection(), residency=residency_overlay())
    assert residency_steps(off, "en", NULL) == []
    for mode in ("both", "communities", "cross-border"):
        steps = tour_steps(on, "en", NULL, mode)
        assert [s["kind"] for s in steps].count("residency") == 2, mode
        assert "residency" not in {s["kind"] for s in tour_steps(off, "en", NULL, mode)}, mode
    # the residency steps join the turn: community, tie, residency, community, tie, ...
    big = prepare_map(synthetic_graph(120, seed=8), Selection())
    before = tour_steps(big, "en", NULL, "both", limit=3)
    hosts = sorted(big.graph, key=str)[:2]
    ties = group_ties([{"plan": "p", "plan_name": "P", "period": "1", "host": h, "home": next(iter(big.graph[h])),
                        "residents": 1} for h in hosts])
    after = tour_steps(dataclasses.replace(big, residency_ties=ties), "en", NULL, "both", limit=3)
    assert [s["kind"] for s in after] == ["community", "tie", "residency"] * 2 + ["community", "tie"]
    assert [s for s in after if s["kind"] != "residency"] == before, "the other steps are unchanged"


def test_an_aggregated_map_has_no_residency_step() -> None:
    ties = group_ties([{"plan": "p", "plan_name": "P", "period": "1", "host": "s:1", "home": "s:224", "residents": 1}])
    whole = prepare_map(synthetic_graph(300, seed=3), Selection(), residency=ResidencyOverlay("p", ties))
    assert [s["kind"] for s in tour_steps(whole, "en", NULL)].count("residency") == 1
    m = prepare_map(synthetic_graph(300, seed=3), Selection(), max_nodes=100, degrade="community",
                    residency=ResidencyOverlay("p", ties))
    assert m.aggregated and m.residency_ties == []
    assert "residency" not in {s["kind"] for s in tour_steps(m, "en", NULL)}


# -- the event page, with a plan saved by the planner ----------------------------------------------------


@pytest.fixture()
def mgraph(session_graph: Graph) -> Graph:
    return load_maps_fixture(session_graph)


@pytest.fixture()
def planned(mgraph: Graph) -> Iterator[str]:
    """Bordeaux hosts Ane from UPV/EHU, Pau hosts Mikel from Solo; Nora has no
    organisation (no tie). Yields the plan id."""
    inputs = read_inputs(RES_HOSTS, RES_APPLICANTS, resolver=GraphResolver(mgraph))
    saved = save_plan(mgraph, plan(inputs.hosts, inputs.applicants), inputs, plan_id="tour-maps", name=PLAN_NAME)
    yield saved["plan"]
    mark_dirty()


@pytest.fixture()
def app(mgraph: Graph, neo4j_settings: Settings) -> Any:
    from web import create_app

    return create_app({"TESTING": True, "LOTURA_GRAPH": mgraph, "SECRET_KEY": "test"}, settings=neo4j_settings)


def tour_of(html: str) -> dict[str, Any]:
    m = re.search(r'id="tour-data" nonce="[^"]+">(.*?)</script>', html, re.S)
    assert m, "no tour data in the page"
    return json.loads(m.group(1))


def test_event_page_tours_the_residency_ties_in_the_page_language(planned: str, app: Any) -> None:
    ensure_compiled()
    client = app.test_client()
    html = client.get(f"/maps/event?selection=territory:FRI&residencies={planned}&lang=fr").get_data(as_text=True)
    steps = [s for s in tour_of(html)["steps"] if s["kind"] == "residency"]
    assert [s["caption"] for s in steps] == [
        f"Plan de résidences {PLAN_NAME}: UBx (Nouvelle-Aquitaine) accueille 1 résident de UPV/EHU (Pays basque) "
        "· période 2026-1",
        f"Plan de résidences {PLAN_NAME}: Université de Pau (Nouvelle-Aquitaine) accueille 1 résident de Solo "
        "(Navarre) · période 2026-1",
    ]
    assert [s["nodes"] for s in steps] == [[UBX, UPV], [PAU, SOLO]]
    assert [s["qr"] for s in steps] == [UBX, PAU] and f'data-qr="{UBX}"' in html and f'data-qr="{PAU}"' in html
    assert PLAN_NAME not in html, "the plan name travels escaped in JSON only"
    # Basque, with every saved plan
    eu = tour_of(client.get("/maps/event?selection=territory:FRI&residencies=all&lang=eu").get_data(as_text=True))
    assert [s["caption"] for s in eu["steps"] if s["kind"] == "residency"][0] == (
        f"{PLAN_NAME} egonaldi-plana: UBx (Akitania Berria) harrera-erakundean egoiliar 1, jatorria: "
        "UPV/EHU (Euskadi) · 2026-1 aldia")


def test_event_page_without_residency_ties_tours_as_before(planned: str, app: Any) -> None:
    client = app.test_client()
    for args in ("selection=territory:FRI", "selection=whole&tour=cross-border", "selection=whole&residencies=none"):
        steps = tour_of(client.get(f"/maps/event?{args}").get_data(as_text=True))["steps"]
        assert steps and "residency" not in {s["kind"] for s in steps}, args


@pytest.mark.browser
def test_the_tour_reaches_a_residency_step_in_the_browser(planned: str, app: Any, page: Any) -> None:
    url, srv = _serve_in_thread(app)
    try:
        page.goto(f"{url}/maps/event?selection=territory:FRI&residencies={planned}&tour=cross-border&lang=es")
        page.wait_for_function("() => window.LoturaTour && LoturaMaps.instances[0] && LoturaMaps.instances[0].drawn")
        kinds = page.evaluate("() => LoturaTour.steps.map(s => s.kind)")
        assert "residency" in kinds
        at = kinds.index("residency")
        for _ in range(at + 1):
            page.locator("#tour-next").click()
        caption = page.locator("#tour-caption")
        assert caption.get_attribute("data-kind") == "residency"
        assert caption.inner_text().startswith(f"Plan de estancias {PLAN_NAME}: UBx (Nueva Aquitania) acoge a 1 ")
        # the step's residency edge is lit, the others dimmed
        lit = page.evaluate("""() => LoturaMaps.instances[0].edges.get()
            .filter(e => e.kind === "residency").map(e => [e.id, e.color.opacity])""")
        assert sorted(o for _, o in lit) == [0.04, 0.95]
        assert page.locator(".qr-panel figure:not([hidden])").get_attribute("data-qr") == UBX
    finally:
        srv.close()  # type: ignore[attr-defined]
