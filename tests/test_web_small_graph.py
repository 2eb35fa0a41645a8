"""Pages and API over a small hand-made graph (tests/fixtures/web/graph.cypher) whose
answers are known exactly: escaping, CSV neutralisation, counts, partners, reasons,
plural forms, and the analytics after ``analyse``."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from webdata import (
    BORDEAUX,
    CLUSTER_NAV,
    EVIL_CSV,
    EVIL_HTML,
    FRAUNHOFER,
    GREENAV,
    PAU,
    TXORIERRI,
    UPV,
    ensure_compiled,
    load_web_fixture,
)

from graphsvc.db import Graph
from graphsvc.settings import Settings


@pytest.fixture()
def web_graph(session_graph: Graph) -> Graph:
    from conftest import GraphState

    if GraphState.loaded != "web-fixture-analysed":
        load_web_fixture(session_graph)
        from graphsvc import analytics

        analytics.analyse(session_graph)
        GraphState.loaded = "web-fixture-analysed"
    return session_graph


@pytest.fixture()
def fx(web_graph: Graph, neo4j_settings: Settings) -> Any:
    from web import create_app

    ensure_compiled()
    app = create_app({"TESTING": True, "LOTURA_GRAPH": web_graph, "SECRET_KEY": "test"}, settings=neo4j_settings)
    return app.test_client()


def page(client: Any, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    return resp.get_data(as_text=True)


def test_dashboard_counts_per_territory_and_kind(fx: Any) -> None:
    html = page(fx, "/dashboard")
    row = re.search(r'<th scope="row"><a href="/directory\?kind=university">University</a></th>(.*?)</tr>', html, re.S)
    assert row
    assert re.findall(r">(\d+)</a></td>|<td class=\"num\">(\d+)</td>", row.group(1))
    cells = re.findall(r">(\d+)<", row.group(1))
    assert cells == ["1", "1", "3", "5"]  # ES21, ES22, FRI, total
    assert re.search(r'<span class="n">10</span>\s*organisations in the Euroregion', html)
    assert re.search(r'<span class="n">3</span>\s*cross-border projects', html)
    assert "cordis-he" in html and "curated" in html  # the latest loads


def test_html_in_names_is_shown_as_text_everywhere(fx: Any) -> None:
    for url in ("/directory?q=zentroa", f"/org/{EVIL_HTML}", "/directory?territory=ES22",
                "/finder?org=zentroa", f"/org/{UPV}"):
        html = fx.get(url).get_data(as_text=True)
        assert "<img src=x" not in html, url
    html = page(fx, "/directory?q=zentroa")
    assert "&lt;img src=x onerror=alert(1)&gt; Zentroa" in html


def test_csv_cells_that_look_like_formulas_are_neutralised(fx: Any) -> None:
    resp = fx.get("/directory?territory=all&format=csv")
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    names = {r[0]: r[2] for r in rows[1:]}
    assert names[EVIL_CSV] == "'=HYPERLINK(\"http://evil.example\")"
    assert len(rows) == 12  # the header and the 11 organisations
    resp = fx.get("/queries/organisations_in_region?run=1&nuts3=FRI12&format=csv")
    assert "'=HYPERLINK" in resp.get_data(as_text=True)


def test_directory_plural_forms_on_the_page(fx: Any) -> None:
    assert "1 organisation found" in page(fx, "/directory?q=txorierri")
    assert "4 organisations found" in page(fx, "/directory?q=univ")
    assert "1 organisation trouvée" in page(fx, "/directory?q=txorierri&lang=fr")
    assert "erakunde 1 aurkitu da" in page(fx, "/directory?q=txorierri&lang=eu")
    assert "4 erakunde aurkitu dira" in page(fx, "/directory?q=univ&lang=eu")


def test_directory_filters_exactly(fx: Any) -> None:
    def ids(url: str) -> list[str]:
        return re.findall(r'<a class="org" href="/org/([^"]+)"', page(fx, url))

    # Sorted by normalised name: ESTIA, Politeknika Txorierri, Universidad del País Vasco, Université de Bordeaux
    assert ids("/directory?has_capacities=1&territory=all") == ["pic:999990008", TXORIERRI, UPV, BORDEAUX]
    assert set(ids("/directory?territory=outside")) == {FRAUNHOFER}
    assert set(ids("/directory?topic=ccs:audiovisual")) == {TXORIERRI, PAU, UPV, BORDEAUX, CLUSTER_NAV}
    # Two projects each for four of them; ties by normalised name: Tecnalia, then UPV/EHU.
    assert ids("/directory?sort=projects&per_page=2") == ["pic:999990002", UPV]


def test_organisation_page_groups_partners_by_territory(fx: Any) -> None:
    html = page(fx, f"/org/{UPV}")
    groups = dict(re.findall(r'<div class="card partners ?(t-\w+)?">\s*<h3>(.*?)<span', html, re.S))
    assert set(groups) == {"t-ES21", "t-ES22", "t-FRI", ""}
    other = html.split("Outside the Euroregion\n")[-1]
    assert "Fraunhofer" in html and '<span class="tag">DE</span>' in html
    assert other  # the group outside the Euroregion
    assert re.search(r'<h3 class="year">2023</h3>.*<h3 class="year">2019</h3>', html, re.S)
    assert "Digital skills for creative industries" in html  # a capacity, with its topic
    assert 'href="/topic/ccs:digital-skills"' in html


def test_suggestions_name_real_shared_partners_and_who_could_introduce(fx: Any) -> None:
    html = page(fx, f"/org/{UPV}")
    sugg = html.split('data-testid="suggestions"')[1]
    items = sugg.split('<li class="suggestion">')[1:]
    pau = next(item for item in items if "Université de Pau" in item)
    assert items.index(pau) <= 1  # among the first two
    assert ("shares 3 partners with you: Fraunhofer Gesellschaft zur Förderung der angewandten Forschung, "
            "Fundación Tecnalia Research &amp; Innovation, Université de Bordeaux") in pau
    assert "Who could introduce you:" in pau
    # Never a partner already, never one of its own territory (default scope).
    for done in (BORDEAUX, CLUSTER_NAV, "pic:999990002"):
        assert f'<a class="button" href="/org/{done}"' not in sugg
    eu = page(fx, f"/org/{UPV}?lang=eu")
    assert "3 bazkide partekatzen ditu zurekin" in eu


def test_project_and_topic_pages(fx: Any) -> None:
    html = page(fx, f"/project/{GREENAV}")
    assert "Green audiovisual production across borders" in html
    assert html.index("Basque Country") < html.index("Navarre") < html.index("Nouvelle-Aquitaine")
    html = page(fx, "/topic/ccs:audiovisual")
    assert "Audiovisual production training" in html  # offered by Txorierri
    assert "film school partners" in html  # needed by Pau


def test_communities_brokers_and_gaps_after_analyse(fx: Any) -> None:
    html = page(fx, "/analytics/communities")
    assert re.search(r"<tr data-community=\"\d+\">", html)
    assert "Cross-border brokers" in html
    html = page(fx, "/analytics/gaps")
    fri = html.split('id="h-gaps-FRI"')[1]
    assert "Audiovisual production" in fri and "Université de Pau" in fri and "Politeknika Txorierri" in fri
    es22 = html.split('id="h-gaps-ES22"')[1].split('id="h-gaps-FRI"')[0]
    assert "Digital skills" in es22 and "Clúster Audiovisual de Navarra" in es22
    es21 = html.split('id="h-gaps-ES21"')[1].split('id="h-gaps-ES22"')[0]
    assert "Green skills" not in es21  # Txorierri's need is offered at home (UPV/EHU)
    brokers = fx.get("/api/v1/analytics/brokers").get_json()
    assert brokers and all(b["broker_score"] > 0 for b in brokers)
    communities = fx.get("/api/v1/analytics/communities?top=2").get_json()
    assert communities and all(len(c["top"]) <= 2 for c in communities)
    gaps = fx.get("/api/v1/analytics/gaps?territory=FRI").get_json()
    assert {g["topic"] for g in gaps} == {"ccs:audiovisual"}


def test_api_matches_the_pages(fx: Any) -> None:
    body = fx.get("/api/v1/organisations?q=univ").get_json()
    assert body["total"] == 4
    org = fx.get(f"/api/v1/organisations/{UPV}").get_json()
    assert [c["id"] for c in org["capacities"]] == ["pic:999990001#digital-training", "pic:999990001#green-training"]
    assert {g["group"]: g["count"] for g in org["partners_by_territory"]} == {"ES21": 1, "ES22": 1, "FRI": 1, "other": 1}
    items = fx.get(f"/api/v1/organisations/{UPV}/suggestions?limit=2").get_json()["items"]
    first_on_page = page(fx, f"/org/{UPV}").split('<li class="suggestion">')[1]
    assert f'href="/org/{items[0]["id"]}"' in first_on_page
    sugg = next(s for s in items if s["id"] == PAU)
    assert sugg["reason_data"][0]["code"] == "shared_partners"
    assert sugg["introduction"] and sugg["introduction"][0]["id"] in (FRAUNHOFER, BORDEAUX, "pic:999990002")


def test_the_cache_sees_a_new_load(web_graph: Graph, neo4j_settings: Settings) -> None:
    """Pages are cached per graph version: a load (which bumps it) shows at once."""
    from conftest import mark_dirty
    from webdata import run_fixture_file

    from web import create_app

    app = create_app({"TESTING": True, "LOTURA_GRAPH": web_graph, "SECRET_KEY": "t", "LOTURA_VERSION_TTL": 0},
                     settings=neo4j_settings)
    c = app.test_client()
    assert '<span class="n">10</span>' in page(c, "/dashboard")
    assert "0 organisations found" in page(c, "/directory?q=berria")
    mark_dirty()
    run_fixture_file(web_graph, "extra.cypher")
    assert '<span class="n">11</span>' in page(c, "/dashboard")
    assert "1 organisation found" in page(c, "/directory?q=berria")
