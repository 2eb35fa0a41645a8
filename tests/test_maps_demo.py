"""Maps on the bundled demo graph: the documented examples work, names are read like
ids, errors come in the page's language (JSON from /maps/data.json), unknown
communities and empty selections say so, and the pages are laid out so that people can
read them: the organisation page's map is wider than its legend, and event mode at
1920x1080 keeps its views and captions clear of the legend, caption bar and QR card."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graphsvc.db import Graph
from graphsvc.maps import MapNotFound, Selection, build_map, resolve_selection
from graphsvc.settings import Settings

UPV = "pic:999865234"
UBX = "pic:949735440"
TECNALIA = "pic:999604110"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "maps.md"


def _help_examples() -> list[list[str]]:
    """The examples of ``lotura map --help`` that take no placeholder."""
    from lotura.cli.maps import map_cmd

    doc = map_cmd.help or ""
    block = doc.split("Examples", 1)[1].split("\n\n", 1)[0]
    import shlex

    return [shlex.split(line.strip())[2:] for line in block.splitlines() if line.strip().startswith("lotura map")]


def test_help_examples_name_things_in_the_bundled_data(demo_graph: Graph, neo4j_settings: Settings,
                                                        tmp_path: Path) -> None:
    from lotura.cli import main

    examples = _help_examples()
    assert len(examples) >= 6 and any("ego:pic:999865234" in a for a in examples)
    runner = CliRunner()
    env = {"NEO4J_URI": neo4j_settings.uri}
    for args in examples:
        i = args.index("--out")
        args[i + 1] = str(tmp_path / args[i + 1])
        r = runner.invoke(main, ["map", *args], env=env)
        assert r.exit_code == 0, (args, r.output)
        assert re.search(r"^[1-9]\d* nodes", r.output, re.M), (args, r.output)
        assert Path(args[i + 1]).stat().st_size > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [(f"ego:{UPV}", UPV), ("ego:999865234", UPV), ("ego:UPV/EHU", UPV), ("ego:Tecnalia", TECNALIA),
     ("topic:ccs:audiovisual-production", "ccs:audiovisual-production"),
     ("topic:Audiovisual production", "Audiovisual production")],  # a name: every topic of that name
)
def test_docs_examples_of_names_and_ids(demo_graph: Graph, text: str, expected: str) -> None:
    assert f"`{text}`" in DOCS.read_text(encoding="utf-8")
    kind, _, value = text.partition(":")
    assert resolve_selection(demo_graph, Selection(kind, value)).value == expected


def test_a_name_and_its_id_draw_the_same_map(demo_graph: Graph) -> None:
    by_name = build_map(demo_graph, Selection("ego", "Tecnalia"), max_nodes=100)
    by_id = build_map(demo_graph, Selection("ego", TECNALIA), max_nodes=100)
    assert by_name is by_id, "one cache entry: the name was read as the id"
    assert by_name.selection.value == TECNALIA


def test_unknown_community_names_the_count(demo_graph: Graph, neo4j_settings: Settings, tmp_path: Path) -> None:
    from lotura.cli import main

    with pytest.raises(MapNotFound) as err:
        build_map(demo_graph, Selection("community", "999"))
    assert err.value.code == "no_community"
    out = tmp_path / "c.html"
    r = CliRunner().invoke(main, ["map", "-s", "community:999", "--out", str(out)], env={"NEO4J_URI": neo4j_settings.uri})
    assert r.exit_code == 1 and "no community 999" in r.output and "communities" in r.output, r.output
    assert not out.exists()


# -- the pages --------------------------------------------------------------------------------------


def _error(html: str) -> str:
    m = re.search(r'data-testid="map-error">([^<]*)<', html) or re.search(r'class="error-message">([^<]*)<', html)
    assert m, html[:400]
    import html as h

    return h.unescape(m.group(1))


def test_form_takes_names(client: Any) -> None:
    r = client.get("/maps/?selection=ego&org=Tecnalia&max_nodes=100&lang=eu")
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "TECNALIA" in text and 'data-testid="map"' in text
    assert 'value="Tecnalia"' in text, "the form keeps what was typed"
    r = client.get("/maps/?selection=topic&topic=Audiovisual+production")
    assert r.status_code == 200 and 'data-testid="map"' in r.get_data(as_text=True)
    r = client.get("/maps/")
    assert "999990001" not in r.get_data(as_text=True) and "ccs:audiovisual'" not in r.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "status", "expected"),
    [
        ("/maps/?selection=ego&org=zzzqq&lang=fr", 404, "Aucune organisation ne correspond à « zzzqq »."),
        ("/maps/?selection=topic&topic=zzz&lang=fr", 404, "Il n'y a aucun thème nommé « zzz »."),
        ("/maps/?selection=community&community=abc&lang=fr", 400, "Numéro de communauté doit être un nombre entier."),
        ("/maps/?max_nodes=5&lang=fr", 400, "Au plus doit être compris entre 10 et 5000."),
        ("/maps/event?selection=ego:pic:1&lang=fr", 404, "Aucune organisation ne correspond à « pic:1 »."),
        ("/maps/event?selection=whole&org=pic:1&lang=fr", 404, "Aucune organisation ne correspond à « pic:1 »."),
    ],
)
def test_errors_in_the_page_language_with_the_form_words(client: Any, url: str, status: int, expected: str) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert _error(r.get_data(as_text=True)) == expected


def test_unknown_community_and_empty_maps_on_the_page(client: Any) -> None:
    r = client.get("/maps/?selection=community&community=999")
    assert r.status_code == 404
    text = r.get_data(as_text=True)
    assert "999" in _error(text) and "map-downloads" not in text and 'data-testid="map"' not in text


# an ESCO skill of the bundled data that no project, capacity or need refers to
UNUSED_TOPIC = "esco:70a7b3b3-31ef-4b29-a30f-bb7299dff39b"


def test_a_selection_with_no_organisations_says_so(client: Any, demo_graph: Graph, neo4j_settings: Settings,
                                                    tmp_path: Path) -> None:
    from lotura.cli import main

    r = client.get(f"/maps/?selection=topic&topic={UNUSED_TOPIC}")
    text = r.get_data(as_text=True)
    assert r.status_code == 404 and "map-downloads" not in text and 'data-testid="map"' not in text
    assert client.get(f"/maps/download/html?selection=topic:{UNUSED_TOPIC}").status_code == 404
    data = client.get(f"/maps/data.json?selection=topic:{UNUSED_TOPIC}")
    assert data.status_code == 200 and data.get_json()["nodes"] == []
    out = tmp_path / "empty.html"
    res = CliRunner().invoke(main, ["map", "-s", f"topic:{UNUSED_TOPIC}", "--out", str(out)],
                             env={"NEO4J_URI": neo4j_settings.uri})
    assert res.exit_code == 1 and "holds no organisations" in res.output and not out.exists()


def test_data_json_errors_are_json(client: Any) -> None:
    r = client.get("/maps/data.json?selection=topic:zzz&lang=es")
    assert r.status_code == 404 and r.is_json
    assert r.get_json()["error"] == {"status": 404, "title": "No encontrado", "message": "No hay ningún tema llamado «zzz»."}
    r = client.get("/maps/data.json?max_nodes=5&lang=en")
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "max_nodes"
    assert "At most" in r.get_json()["error"]["message"]


# -- in the browser -------------------------------------------------------------------------------------

DRAWN = "() => window.LoturaMaps && LoturaMaps.instances.length > 0 && LoturaMaps.instances[0].drawn"


@pytest.mark.browser
def test_organisation_page_map_is_wider_than_its_legend(page: Any, live_server: Any) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/org/{UBX}")
    page.wait_for_function(DRAWN, timeout=60000)
    note = page.locator("[data-testid=ego-map] ~ .map-note, .map-note").first
    assert note.is_visible(), "the university has more than 150 partners: the map says what it left out"
    canvas = page.locator("[data-testid=ego-map] .map-canvas").bounding_box()
    legend = page.locator("[data-testid=ego-map] .map-legend").bounding_box()
    assert canvas["width"] > 2 * legend["width"]
    assert legend["x"] >= canvas["x"] + canvas["width"], "the legend beside the map, not under it"
    assert page.locator("[data-testid=ego-map] > .map-note").count() == 0


def _rect(page: Any, selector: str) -> dict[str, float]:
    return page.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }", selector)


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and a["right"] > b["left"] and a["top"] < b["bottom"] and a["bottom"] > b["top"]


@pytest.mark.browser
def test_event_mode_views_and_captions_stay_clear_of_the_panels(page: Any, live_server: Any) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/maps/event?interval=120")
    page.wait_for_function(DRAWN, timeout=60000)
    page.click("#tour-pause")
    kinds = page.evaluate("() => LoturaTour.steps.map(s => s.kind)")
    for step in [0, kinds.index("tie")]:
        page.evaluate(f"() => LoturaTour.show({step})")
        # the move is animated: wait until the view has reached its frame
        page.wait_for_function(
            "() => { const st = LoturaMaps.instances[0]; return st.eventFrame &&"
            " Math.abs(st.network.getScale() - st.eventFrame.scale) < 1e-6; }", timeout=60000)
        page.wait_for_timeout(300)
        caption = _rect(page, "#tour-caption")
        qr = _rect(page, ".qr-panel")
        legend = _rect(page, ".map-legend")
        text = page.evaluate(
            "() => { const r = document.createRange(); r.selectNodeContents(document.getElementById('tour-caption'));"
            " const b = r.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; }")
        assert not _overlap(text, qr), "the caption's text runs into the QR card"
        shown = page.evaluate(
            """(i) => { const st = LoturaMaps.instances[0]; const ids = LoturaTour.steps[i].nodes;
                 const pos = st.network.getPositions(ids);
                 return ids.map(id => { const d = st.network.canvasToDOM(pos[id]);
                   const lm = st.network.body.nodes[id].labelModule;
                   return {x: d.x, y: d.y, label: lm.fontOptions.size * st.network.getScale(),
                           shown: lm.fontOptions.color !== "rgba(0,0,0,0)"}; }); }""", step)
        for n in shown:
            point = {"left": n["x"], "right": n["x"] + 0.1, "top": n["y"], "bottom": n["y"] + 0.1}
            assert 0 <= n["x"] <= 1920 and 0 <= n["y"] <= 1080, n
            for panel in (caption, qr, legend):
                assert not _overlap(point, panel), (n, panel)
        labelled = [n["label"] for n in shown if n["shown"]]
        assert labelled and max(labelled) <= 34.5, "labels capped at a readable screen size"
        assert min(labelled) >= 15, "no label too small to read from the back"


def test_a_name_several_organisations_contain_is_said_to_be_ambiguous(client: Any) -> None:
    r = client.get("/maps/?selection=ego&org=mondragon&lang=fr")
    assert r.status_code == 404
    message = _error(r.get_data(as_text=True))
    assert message.startswith("Plusieurs noms d'organisations contiennent « mondragon » : "), message
    assert "MONDRAGON CORPORACION COOPERATIVA SCOOP" in message


def test_map_refuses_max_nodes_out_of_range_before_asking_neo4j(tmp_path: Path) -> None:
    from lotura.cli import main

    out = tmp_path / "m.html"
    r = CliRunner().invoke(main, ["map", "-s", "whole", "--max-nodes", "5", "--out", str(out)],
                           env={"NEO4J_URI": "bolt://127.0.0.1:9", "LOTURA_HOME": str(tmp_path / "home")})
    assert r.exit_code == 2 and "'--max-nodes': 5 is not in the range 10<=x<=5000" in r.output
    assert "Neo4j" not in r.output and not out.exists()
