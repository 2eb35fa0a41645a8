"""The JSON API over the demo data, and its OpenAPI document."""

from __future__ import annotations

import re
from typing import Any

import pytest

TECNALIA = "pic:999604110"


def test_openapi_document_describes_every_route(client: Any) -> None:
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    doc = resp.get_json()
    assert doc["openapi"].startswith("3.")
    paths = doc["paths"]
    app = client.application
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi_json":
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", "{id}", rule.rule[len("/api/v1"):])
            routes.add(path)
    assert routes == set(paths), "every API route is documented, and nothing else"
    for path, item in paths.items():
        get = item["get"]
        assert get["summary"] and get["operationId"]
        assert "200" in get["responses"] and "400" in get["responses"] and "503" in get["responses"]
        for p in get["parameters"]:
            assert p["schema"], (path, p["name"])
    # Every $ref resolves.
    text = resp.get_data(as_text=True)
    for name in set(re.findall(r'"#/components/schemas/(\w+)"', text)):
        assert name in doc["components"]["schemas"], name


def test_organisations_search_and_paging(client: Any) -> None:
    body = client.get("/api/v1/organisations?q=tecnalia&territory=all").get_json()
    assert body["total"] >= 1 and body["page"] == 1
    ids = [o["id"] for o in body["items"]]
    assert TECNALIA in ids
    tec = next(o for o in body["items"] if o["id"] == TECNALIA)
    assert tec["territory"] == "ES21" and tec["kind"] == "research" and tec["projects"] > 100
    page2 = client.get("/api/v1/organisations?per_page=5&page=2").get_json()
    page1 = client.get("/api/v1/organisations?per_page=5").get_json()
    assert page1["pages"] == page2["pages"] > 2
    assert {o["id"] for o in page1["items"]}.isdisjoint(o["id"] for o in page2["items"])


def test_organisation_detail(client: Any) -> None:
    body = client.get(f"/api/v1/organisations/{TECNALIA}").get_json()
    assert body["organisation"]["name"] == "FUNDACION TECNALIA RESEARCH & INNOVATION"
    assert body["counts"]["projects"] > 100
    assert body["region"]["code"].startswith("ES21")
    groups = {g["group"]: g for g in body["partners_by_territory"]}
    assert {"ES21", "FRI", "other"} <= set(groups)
    assert all(p["shared_projects"] >= 1 for g in groups.values() for p in g["top"])
    assert re.match(r"\d{4}-\d\d-\d\d", body["projects"][0]["start"])
    # The PIC alone works too.
    assert client.get("/api/v1/organisations/999604110").get_json()["organisation"]["id"] == TECNALIA


def test_project_detail(client: Any) -> None:
    org = client.get(f"/api/v1/organisations/{TECNALIA}").get_json()
    pid = org["projects"][0]["id"]
    body = client.get(f"/api/v1/projects/{pid}").get_json()
    assert body["project"]["id"] == pid
    assert any(p["id"] == TECNALIA for p in body["participants"])


def test_topics_search(client: Any) -> None:
    body = client.get("/api/v1/topics?q=green+film").get_json()
    assert any(t["id"] == "ccs:green-filming" for t in body)


def test_suggestions_for_an_organisation_have_reasons_in_the_requested_language(client: Any) -> None:
    en = client.get(f"/api/v1/organisations/{TECNALIA}/suggestions?limit=5", headers={"Accept-Language": "en"})
    eu = client.get(f"/api/v1/organisations/{TECNALIA}/suggestions?limit=5", headers={"Accept-Language": "eu"})
    assert en.status_code == eu.status_code == 200
    a, b = en.get_json(), eu.get_json()
    assert a["organisation"]["id"] == TECNALIA and len(a["items"]) == 5
    # Language-neutral except the sentences.
    assert [i["id"] for i in a["items"]] == [i["id"] for i in b["items"]]
    assert [i["reason_data"] for i in a["items"]] == [i["reason_data"] for i in b["items"]]
    assert a["items"][0]["reasons"] != b["items"][0]["reasons"]
    assert eu.headers["Content-Language"] == "eu"
    # Default scope: another territory of the Euroregion.
    assert all(i["territory"] in ("ES22", "FRI") for i in a["items"])


def test_suggestions_for_a_described_need(client: Any) -> None:
    body = client.get("/api/v1/suggestions?topics=Green+filming&text=virtual+production&limit=3").get_json()
    assert body["organisation"] is None and 1 <= len(body["items"]) <= 3
    # a name stands for every topic of that name: the curated one and the keyword
    assert body["query"]["topics"] == ["ccs:green-filming", "kw:green-filming"]
    assert client.get("/api/v1/suggestions?topics=ccs:green-filming").get_json()["query"]["topics"] == [
        "ccs:green-filming"]  # an id is that topic alone
    assert client.get("/api/v1/suggestions").get_json()["items"] == []


def test_analytics_and_stats(client: Any) -> None:
    kpis = client.get("/api/v1/analytics/kpis").get_json()
    assert {k["key"] for k in kpis} >= {"capacities", "organisations", "euroregional_projects"}
    assert next(k for k in kpis if k["key"] == "capacities")["target"] == 100
    for url in ("/api/v1/analytics/communities", "/api/v1/analytics/brokers?territory=FRI",
                "/api/v1/analytics/gaps?territory=ES21"):
        resp = client.get(url)
        assert resp.status_code == 200 and isinstance(resp.get_json(), list), url
    stats = client.get("/api/v1/stats").get_json()
    assert stats["organisations"]["total"] > 1000 and stats["labels"]["Project"] > 100


@pytest.mark.parametrize("url, field", [
    ("/api/v1/organisations?page=0", "page"),
    ("/api/v1/organisations?per_page=abc", "per_page"),
    ("/api/v1/organisations?territory=", "territory"),
    ("/api/v1/organisations?has_capacities=1", "has_capacities"),
    ("/api/v1/organisations?nuts3=ES2", "nuts3"),
    ("/api/v1/organisations?colour=blue", "colour"),
    ("/api/v1/organisations?page=1&page=2", "page"),
    (f"/api/v1/organisations/{TECNALIA}/suggestions?scope=moon", "scope"),
    (f"/api/v1/organisations/{TECNALIA}/suggestions?min_score=-1", "min_score"),
    ("/api/v1/suggestions?topics=", "topics"),
    ("/api/v1/topics", "q"),
    ("/api/v1/analytics/brokers?territory=ES99", "territory"),
])
def test_bad_parameters_are_400_json_naming_the_field(client: Any, url: str, field: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"]["status"] == 400 and body["error"]["field"] == field


@pytest.mark.parametrize("url", [
    "/api/v1/organisations/pic:000", "/api/v1/projects/he:0", "/api/v1/organisations/pic:000/suggestions",
    "/api/v1/suggestions?topics=no+such+topic+at+all", "/api/v1/nothing-here",
])
def test_unknown_ids_are_404_json(client: Any, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 404
    assert resp.get_json()["error"]["status"] == 404


def test_other_methods_are_405_with_allow(client: Any) -> None:
    resp = client.post("/api/v1/organisations")
    assert resp.status_code == 405
    assert "GET" in resp.headers["Allow"]
    assert resp.get_json()["error"]["status"] == 405
