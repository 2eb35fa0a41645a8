"""One rule for topics named by people (graphsvc.topics), wherever they are typed."""

from __future__ import annotations

from typing import Any

import pytest

from graphsvc.errors import NotFound
from graphsvc.maps.model import MapNotFound, Selection
from graphsvc.maps.select import fetch_selection, resolve_selection
from graphsvc.projection import projection, topic_index
from graphsvc.suggest import _topic_cols
from graphsvc.topics import TopicIndex

INDEX = TopicIndex([("esv:1", "sensors"), ("kw:sensors", "Sensors"), ("skill:9", "sensors"),
                    ("kw:energie", "énergie"), ("kw:x", None)])


def test_an_id_is_that_topic_and_a_name_is_every_topic_of_that_name() -> None:
    assert INDEX.resolve("kw:sensors").ids == ("kw:sensors",)
    assert INDEX.resolve("kw:sensors").ref == "kw:sensors"
    for typed in ("sensors", "SENSORS", "  Sensors ", "sénsors"):
        found = INDEX.resolve(typed)
        assert found.ids == ("esv:1", "kw:sensors", "skill:9"), typed
    assert INDEX.resolve("Sensors").name == "Sensors"  # the spelling typed, when a topic has it
    assert INDEX.resolve("SENSORS").name == "sensors"  # else the first topic's (by id)
    assert INDEX.resolve("energie").ids == ("kw:energie",)
    assert INDEX.resolve("kw:x").name == "kw:x"  # a topic without a name shows its id


def test_an_unknown_topic_names_near_matches() -> None:
    assert INDEX.find("sensor networks") is None
    with pytest.raises(NotFound, match=r"no topic 'sensorss'; did you mean: sensors"):
        INDEX.resolve("sensorss")


def _orgs_of(graph: Any, name: str) -> set[str]:
    """Organisations working on any topic called ``name`` (case aside), straight from Cypher."""
    rows = graph.read_text(
        "MATCH (t:Topic) WHERE toLower(t.name) = toLower($name) "
        "MATCH (o:Organisation) WHERE EXISTS { (o)-[:PARTICIPATES_IN]->(:Project)-[:ABOUT]->(t) } "
        "OR EXISTS { (o)-[:OFFERS]->(:Capacity)-[:COVERS]->(t) } OR EXISTS { (o)-[:NEEDS]->(t) } "
        "RETURN DISTINCT o.id AS id", name=name)
    return {r["id"] for r in rows}


def test_maps_directory_and_finder_read_a_shared_name_alike(demo_graph: Any, client: Any) -> None:
    index = topic_index(demo_graph)
    sensors = index.resolve("Sensors")
    assert len(sensors.ids) >= 2  # the demo data has a euroSciVoc field and a keyword of that name
    expected = _orgs_of(demo_graph, "sensors")
    one_topic = _orgs_of_one(demo_graph, sensors.ids[0])
    assert one_topic < expected  # the other topics of the name add organisations

    # maps: the selection keeps the name; its organisations are every topic's
    chosen = resolve_selection(demo_graph, Selection("topic", "SENSORS"))
    assert chosen.value == sensors.name
    fetched = fetch_selection(demo_graph, Selection("topic", "SENSORS"))
    assert {str(n) for n in fetched.graph.nodes} == expected

    # the directory's topic filter, via the JSON API (total over every page)
    api = client.get("/api/v1/organisations?territory=all&topic=sensors&per_page=100").get_json()
    assert api["total"] == len(expected), api.get("total")
    page = client.get("/directory?territory=all&topic=SENSORS").get_data(as_text=True)
    assert f"{len(expected):,} organisations found" in page

    # the partner finder's topic columns: the same topics
    proj = projection(demo_graph)
    assert {proj.topic_ids[c] for c in _topic_cols(proj, ["sensors"])} == set(sensors.ids) & set(proj.topic_ids)


def _orgs_of_one(graph: Any, topic_id: str) -> set[str]:
    return {r["id"] for r in graph.read("maps/organisations_by_topic", topics=[topic_id])}


def test_an_unknown_topic_is_the_same_error_everywhere(demo_graph: Any, client: Any) -> None:
    with pytest.raises(MapNotFound):
        resolve_selection(demo_graph, Selection("topic", "no such topic at all"))
    assert client.get("/directory?topic=no+such+topic+at+all").status_code == 400
    assert client.get("/api/v1/organisations?topic=no+such+topic+at+all").status_code == 404


def test_a_need_named_by_a_topic_some_of_whose_namesakes_nobody_uses(demo_graph: Any, client: Any) -> None:
    # "sensors" is also an ESCO skill no capacity covers: it has no column in the projection
    proj = projection(demo_graph)
    sensors = topic_index(demo_graph).resolve("sensors")
    unused = [t for t in sensors.ids if t not in proj.topic_index]
    assert unused and len(unused) < len(sensors.ids)
    body = client.get("/api/v1/suggestions?topics=sensors&limit=5").get_json()
    assert body["query"]["topics"] == list(sensors.ids) and len(body["items"]) == 5
    page = client.get("/finder?mode=need&topics=sensors&lang=en")
    assert page.status_code == 200 and "Organisations that could meet this need" in page.get_data(as_text=True)
    # a topic of the graph that nobody works on: no candidate, and no error
    for ref in unused:
        assert client.get(f"/api/v1/suggestions?topics={ref}").get_json()["items"] == []
        assert client.get(f"/api/v1/organisations/pic:999604110/suggestions?topic={ref}").get_json()["items"] == []
    # a name given twice, in two spellings, is one topic to the reader
    twice = client.get("/api/v1/suggestions?topics=Green+filming&topics=green+FILMING&limit=5").get_json()
    assert twice["query"]["topics"] == ["ccs:green-filming", "kw:green-filming"]
    for item in twice["items"]:
        for reason in item["reason_data"]:
            if reason["code"] in ("matches_topics", "shared_topics"):
                folded = [n.casefold() for n in reason["names"]]
                assert len(folded) == len(set(folded)), reason
    page = client.get("/finder?mode=need&topics=Green+filming&topics=green+FILMING&lang=en").get_data(as_text=True)
    assert page.count("Green filming") + page.count("green filming") >= 1
    assert "Green filming, green filming" not in page and "green filming, Green filming" not in page
