"""Analytics written back to the real Neo4j, on the hand-made world of test_suggest_world."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from test_suggest_world import build_world

from graphsvc import analytics
from graphsvc.db import Graph
from graphsvc.errors import InvalidInput

READ = "MATCH (o:Organisation) RETURN o.id AS id, o {.*} AS props ORDER BY id"


def metrics(g: Graph) -> dict[str, dict[str, Any]]:
    return {r["id"]: r["props"] for r in g.read_text(READ)}


@pytest.fixture()
def world(graph: Graph) -> Graph:
    return build_world(graph)


def test_analyse_networkx_writes_every_metric(world: Graph) -> None:
    before = world.graph_version()
    summary = analytics.analyse(world)
    assert summary["organisations"] == 10 and summary["engine"] == "networkx"
    m = metrics(world)
    for props in m.values():
        for key in ("community", "degree", "betweenness", "pagerank", "broker_score", "territories_reached"):
            assert key in props
    # Berlin Institute sits on most shortest paths and has the most partners.
    assert max(m, key=lambda i: m[i]["betweenness"]) == "pic:8"
    assert m["pic:8"]["degree"] == 6
    assert m["pic:8"]["territories_reached"] == ["ES21", "ES22", "FRI"]
    assert sum(p["pagerank"] for p in m.values()) == pytest.approx(1.0)
    assert world.graph_version() == before + 1
    assert analytics.analysed_at(world)["analysed_at"]
    # Same graph, same numbers (fixed seed).
    analytics.analyse(world)
    again = metrics(world)
    assert {i: again[i]["community"] for i in again} == {i: m[i]["community"] for i in m}


def test_read_functions(world: Graph) -> None:
    assert analytics.communities(world) == []  # nothing before lotura analyse
    analytics.analyse(world)
    comms = analytics.communities(world)
    assert comms and sum(c["size"] for c in comms) <= 10
    assert all(c["top"] for c in comms)
    top = analytics.brokers(world, limit=3)
    assert top[0]["name"] in {"Berlin Institute", "Alpha University"}
    assert all(b["broker_score"] > 0 for b in top)
    assert all(b["territory"] == "FRI" for b in analytics.brokers(world, territory="FRI"))
    with pytest.raises(InvalidInput):
        analytics.brokers(world, territory="XX")
    gaps = analytics.skills_gaps(world)
    assert [(g["territory"], g["topic_name"]) for g in gaps] == [("ES21", "virtual production")]
    assert gaps[0]["needed_by"][0]["name"] == "Alpha University"
    assert gaps[0]["offered_by"][0]["name"] == "Pau Tech"
    kpis = {k["key"]: k for k in analytics.kpis(world)}
    assert kpis["capacities"]["actual"] == 2 and kpis["capacities"]["target"] == 100
    assert kpis["organisations"]["target"] == 49 and kpis["hub_agents"]["target"] == 500
    assert all(k["source"] for k in kpis.values())


def test_gds_engine_agrees_with_networkx(world: Graph) -> None:
    if not world.has_procedure("gds."):
        pytest.skip("the server has no Graph Data Science plugin")
    analytics.analyse(world, engine="networkx")
    nx_m = metrics(world)
    summary = analytics.analyse(world, engine="gds")
    assert summary["engine"] == "gds" and summary["gds_nodes"] == 10
    gds_m = metrics(world)
    for i in nx_m:
        assert gds_m[i]["degree"] == nx_m[i]["degree"]
        assert gds_m[i]["betweenness"] == pytest.approx(nx_m[i]["betweenness"])
        assert gds_m[i]["pagerank"] == pytest.approx(nx_m[i]["pagerank"], abs=0.01)

    def partition(m: dict[str, dict[str, Any]]) -> set[frozenset[str]]:
        groups: dict[Any, set[str]] = {}
        for i, p in m.items():
            groups.setdefault(p["community"], set()).add(i)
        return {frozenset(g) for g in groups.values()}

    assert partition(gds_m) == partition(nx_m)
    # The in-memory projection is dropped.
    assert world.read_text("CALL gds.graph.list() YIELD graphName RETURN graphName") == []


def test_cli_analyse_suggest_evaluate(world: Graph, neo4j_settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from lotura.cli import main

    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    runner = CliRunner()
    res = runner.invoke(main, ["analyse"])
    assert res.exit_code == 0, res.output
    assert "Analysed 10 organisations" in res.output
    res = runner.invoke(main, ["suggest", "Alpha University", "--as-of", "2023", "--json"])
    assert res.exit_code == 0, res.output
    import json

    line = json.loads(res.output.strip().splitlines()[-1])
    assert line["organisation"]["id"] == "pic:1"
    first = line["candidates"][0]
    assert first["id"] == "pic:6" and "shares 1 partner with you: Berlin Institute" in first["reasons"]
    assert set(first) >= {"id", "pic", "name", "territory", "score", "parts", "reasons"}
    res = runner.invoke(main, ["suggest", "--all-in", "ES22", "--json"])
    assert res.exit_code == 0 and len(res.output.strip().splitlines()) == 2  # Navarre Cluster, Tudela VET
    res = runner.invoke(main, ["suggest", "Alpha Universty"])
    assert res.exit_code == 1 and "did you mean: Alpha University" in res.output
    res = runner.invoke(main, ["evaluate", "--train-until", "2023", "--test-from", "2024", "--scope", "euroregion"])
    assert res.exit_code == 0, res.output
    assert "adamic_adar" in res.output and "lotura" in res.output


def test_curated_examples_are_flagged_and_do_not_count_towards_targets(world: Graph) -> None:
    """Placeholders are never suggested; gaps that rest on examples say so; KPI progress
    counts real items only; the Euroregional-projects KPI counts the partnership's own."""
    from graphsvc.suggest import suggest

    assert "pic:7" in {s.id for s in suggest(world, "pic:1", limit=50)}
    with world.driver.session(database=world.database) as s:
        s.run("""
            MATCH (c:Capacity {id: 'pic:6#vp-master'}) SET c.is_example = true
            WITH count(*) AS _
            MATCH (x:Organisation {id: 'pic:7'}) SET x.is_example = true
            WITH count(*) AS _
            MERGE (k:Network {id: $partnership}) MERGE (h:Network {id: $hub})
            WITH k, h
            MATCH (a:Organisation {id: 'pic:1'}), (b:Organisation {id: 'pic:2'}), (x:Organisation {id: 'pic:7'})
            MERGE (a)-[:MEMBER_OF]->(k) MERGE (b)-[:MEMBER_OF {is_example: true}]->(k)
            MERGE (a)-[:MEMBER_OF]->(h) MERGE (x)-[:MEMBER_OF]->(h)
            CREATE (:Project {id: 'ksi:hub', programme: 'OTHER', cross_border: true})
            CREATE (:Project {id: 'ksi:local', programme: 'OTHER', cross_border: false})
            WITH count(*) AS _
            MATCH (p:Project {id: 'he:P1'}) SET p.cross_border = true
            """, partnership=analytics.PARTNERSHIP_NETWORK, hub=analytics.HUB_NETWORK).consume()
    world.bump_version()

    assert "pic:7" not in {s.id for s in suggest(world, "pic:1", limit=50)}
    assert "pic:7" not in {s.id for s in suggest(world, "pic:1", limit=50, scope="any")}

    gap = next(g for g in analytics.skills_gaps(world) if g["topic_name"] == "virtual production")
    assert gap["example"] is True  # its only offer is an example capacity
    assert gap["offered_by"] == [{"id": "pic:6", "name": "Pau Tech", "territory": "FRI", "example": True}]
    assert gap["needed_by"][0]["example"] is False

    k = {x["key"]: x for x in analytics.kpis(world)}
    assert (k["capacities"]["actual"], k["capacities"]["examples"], k["capacities"]["progress"]) == (2, 1, 0.01)
    assert (k["organisations"]["actual"], k["organisations"]["examples"]) == (2, 1)
    assert (k["hub_agents"]["actual"], k["hub_agents"]["examples"]) == (2, 1)
    # one project of the partnership crosses the border; the cross-border CORDIS project does not count
    assert (k["euroregional_projects"]["actual"], k["euroregional_projects"]["progress"]) == (1, 1.0)
    assert (k["projects_supported"]["actual"], k["projects_supported"]["examples"]) == (2, 0)
