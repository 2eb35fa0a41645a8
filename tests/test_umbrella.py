"""Umbrella organisations: an organisation with no project of its own whose members have
some is suggested for as a group (docs/algorithms.md, "Umbrella organisations").

Pure tests on small hand-made graphs with known answers, then the engine on the
hand-made world of ``test_suggest_world.py`` with an umbrella added, and on the demo data
(Mondragon Unibertsitatea, whose Faculty of Engineering takes part in projects)."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import pytest
from test_suggest_world import build_world

from graphsvc.algorithms.communities import bridging_scores, group_bridging_scores
from graphsvc.algorithms.complementarity import complementarity_scores
from graphsvc.algorithms.linkpred import (
    group_proximity_scores,
    group_tie_weights,
    partner_counts_in,
    proximity_scores,
)
from graphsvc.algorithms.scoring import DEFAULT_WEIGHTS, combine, scale
from graphsvc.algorithms.similarity import cosine_scores
from graphsvc.algorithms.sparse import from_edges, from_networkx
from graphsvc.db import Graph
from graphsvc.projection import GraphData, project, projection
from graphsvc.reasons import render_reason, render_reasons
from graphsvc.regions import TERRITORIES
from graphsvc.suggest import Query, candidate_mask, combined_members, suggest

# -- pure: the group contracted into one node -------------------------------------------

# a, b: the group. c: partner of both (and of e); d: partner of b (and of e); e: reached
# through c and d; f: partner of e only.
EDGES = [("a", "c", 2), ("b", "c", 1), ("b", "d", 3), ("c", "e", 1), ("d", "e", 2), ("e", "f", 1), ("a", "b", 4)]


def test_group_proximity_has_the_known_values_of_the_contracted_node() -> None:
    sg = from_edges("abcdef", EDGES)
    p = group_proximity_scores(sg, [0, 1], beta=0.5)
    # c: degree 3 (a, b, e), 2 once a and b are one node; d: degree 2 (b, e)
    assert p["resource_allocation"][4] == pytest.approx(1 / 2 + 1 / 2)
    assert p["adamic_adar"][4] == pytest.approx(2 / math.log(2))
    assert p["common_neighbours"][4] == 2
    # shared projects: (2 + 1) through c times 1, plus 3 through d times 2
    assert p["shared_projects"][4] == pytest.approx(3 * 1 + 3 * 2)
    assert group_tie_weights(sg, [0, 1]).tolist() == [0, 0, 3, 3, 0, 0]
    # f is three hops away: e's one 2-walk from the group is through c or d, so 2 three-walks
    assert p["common_neighbours"][5] == 0
    assert p["paths"][5] == pytest.approx(0.5**3 * 2)
    # the group's own rows are 0
    assert all(float(v[0]) == 0 and float(v[1]) == 0 for v in p.values())


def test_group_proximity_equals_proximity_in_the_contracted_graph() -> None:
    g = nx.gnm_random_graph(40, 120, seed=7)
    group = [0, 1, 2, 3]
    sg = from_networkx(g, weight=None)
    got = group_proximity_scores(sg, group, beta=0.1)
    h = nx.contracted_nodes(g, 0, 1, self_loops=False)
    h = nx.contracted_nodes(h, 0, 2, self_loops=False)
    h = nx.contracted_nodes(h, 0, 3, self_loops=False)
    sh = from_networkx(nx.Graph(h), weight=None)
    want = proximity_scores(sh, sh.index[0], beta=0.1)
    for v in range(4, 40):
        for key in ("resource_allocation", "adamic_adar", "common_neighbours", "paths"):
            assert got[key][v] == pytest.approx(want[key][sh.index[v]]), (key, v)


def test_a_group_of_one_is_the_organisation_itself() -> None:
    g = nx.gnm_random_graph(30, 80, seed=3)
    for u, v in g.edges:
        g[u][v]["weight"] = 1 + (u * v) % 4
    sg = from_networkx(g)
    one, group = proximity_scores(sg, 5), group_proximity_scores(sg, [5])
    others = np.arange(30) != 5
    for key in one:
        assert np.allclose(one[key][others], group[key][others]), key
    community = np.arange(30) % 3
    assert np.allclose(group_bridging_scores(sg, community, group_tie_weights(sg, [5])),
                       bridging_scores(sg, community, 5))


def test_group_bridging_counts_the_ties_of_every_member() -> None:
    sg = from_edges("abcdef", EDGES)
    community = np.array([0, 0, 0, 1, 1, 2])
    # the group's ties: c (weight 3, community 0), d (weight 3, community 1)
    got = group_bridging_scores(sg, community, group_tie_weights(sg, [0, 1]))
    assert got.tolist() == pytest.approx([0.5, 0.5, 0.5, 0.5, 0.5, 1.0])


def _data(memberships: list[tuple[str, str]], umbrella_projects: bool = False) -> GraphData:
    orgs = [
        {"id": "u", "name": "Umbrella University", "territory": "ES21", "country": "ES"},
        {"id": "m1", "name": "Faculty One", "territory": "ES21", "country": "ES"},
        {"id": "m2", "name": "Faculty Two", "territory": "ES21", "country": "ES"},
        {"id": "m3", "name": "Faculty Three", "territory": "ES21", "country": "ES"},  # no project
        {"id": "p1", "name": "Partner of One", "territory": "FRI", "country": "FR"},
        {"id": "p2", "name": "Partner of Two", "territory": "ES22", "country": "ES"},
        {"id": "c1", "name": "Candidate One", "territory": "FRI", "country": "FR"},
        {"id": "c2", "name": "Candidate Two", "territory": "ES22", "country": "ES"},
        {"id": "x", "name": "Basque Peer", "territory": "ES21", "country": "ES"},
    ]
    projects = [
        {"id": "P1", "year": 2020, "orgs": ["m1", "p1"]},
        {"id": "P2", "year": 2021, "orgs": ["m2", "p2"]},
        {"id": "P3", "year": 2021, "orgs": ["p1", "c1", "x"]},
        {"id": "P4", "year": 2022, "orgs": ["p2", "c2"]},
    ]
    if umbrella_projects:
        projects.append({"id": "P5", "year": 2024, "orgs": ["u", "c2"]})
    return GraphData.build(orgs=orgs, projects=projects, memberships=memberships)


MEMBERS = [("m1", "u"), ("m2", "u"), ("m3", "u")]


def test_an_umbrella_combines_its_members_with_projects_only() -> None:
    proj = project(_data(MEMBERS))
    u = proj.index["u"]
    assert [proj.ids[m] for m in combined_members(proj, u)] == ["m1", "m2"]
    assert combined_members(proj, proj.index["m1"]) == []  # not an umbrella
    assert combined_members(project(_data([])), u) == []  # no members
    # with a project of its own (2024) it is an ordinary organisation; as of 2023 it is not
    assert combined_members(project(_data(MEMBERS, umbrella_projects=True)), u) == []
    as_of = project(_data(MEMBERS, umbrella_projects=True), as_of=2023)
    assert [as_of.ids[m] for m in combined_members(as_of, as_of.index["u"])] == ["m1", "m2"]


def test_members_and_every_members_partner_are_never_candidates() -> None:
    proj = project(_data(MEMBERS))
    u = proj.index["u"]
    query = Query(row=u, group=tuple(combined_members(proj, u)))
    allowed = {proj.ids[i] for i in np.flatnonzero(candidate_mask(proj, query, scope="any"))}
    assert allowed == {"c1", "c2", "x"}
    # the scope is the umbrella's: another territory of the Euroregion than ES21
    allowed = {proj.ids[i] for i in np.flatnonzero(candidate_mask(proj, query))}
    assert allowed == {"c1", "c2"}
    got = suggest(proj, "Umbrella University", scope="any")
    assert {s.id for s in got} == {"c1", "c2", "x"}
    by_id = {s.id: s for s in got}
    shared = next(r for r in by_id["c2"].reasons if r["code"] == "shared_partners")
    assert shared["names"] == ["Partner of Two"] and shared["members"] == ["Faculty Two"]
    assert shared["member_ids"] == ["m2"]
    intro = next(r for r in by_id["c1"].reasons if r["code"] == "introduction_path")
    assert intro["path"] == ["Partner of One"] and intro["member"] == "Faculty One"
    assert render_reasons([intro]) == ["Partner of One could introduce you through Faculty One"]
    # without members, the same umbrella has no network at all: topics and activity only
    alone = suggest(project(_data([])), "Umbrella University", scope="any")
    assert all(r["code"] != "shared_partners" for s in alone for r in s.reasons)


# -- the engine on the hand-made world, with an umbrella added -------------------------

UMBRELLA = """
MERGE (u:Organisation {id: 'ksi:alpha-group'})
SET u.name = 'Alpha Group', u.kind = 'university', u.territory = 'ES21', u.country = 'ES'
WITH u
MATCH (a:Organisation {id: 'pic:1'}), (b:Organisation {id: 'pic:2'}), (p:Project {id: 'he:P4'})
MERGE (a)-[:MEMBER_OF {role: 'faculty'}]->(u)
MERGE (b)-[:MEMBER_OF {role: 'faculty'}]->(u)
MERGE (u)-[:PARTICIPATES_IN {role: 'participant'}]->(p)
"""


@pytest.fixture()
def world(graph: Graph) -> Graph:
    build_world(graph)
    with graph.driver.session(database=graph.database) as s:
        s.run(UMBRELLA).consume()
    graph.bump_version()
    return graph


def test_an_umbrella_in_the_graph_is_suggested_for_with_its_members(world: Graph) -> None:
    # Alpha Group's own project starts in 2024: as of 2023 it has none, so its members
    # Alpha University (pic:1) and Bilbao Films (pic:2) stand in for it.
    got = suggest(world, "Alpha Group", as_of=2023, scope="any")
    ids = {s.id for s in got}
    assert ids
    members = {"pic:1", "pic:2"}
    partners = {"pic:8", "pic:5", "pic:4"}  # Berlin and Bordeaux (of pic:1), Tudela VET (of pic:2)
    assert not ids & (members | partners)
    pau = next(s for s in got if s.id == "pic:6")
    shared = next(r for r in pau.reasons if r["code"] == "shared_partners")
    assert shared["names"] == ["Berlin Institute"] and shared["members"] == ["Alpha University"]
    # ... and as of 2024 it has a project of its own: an ordinary organisation again
    later = suggest(world, "Alpha Group", as_of=2024, scope="any")
    assert {"pic:8", "pic:5"} & {s.id for s in later}
    assert all("members" not in r for s in later for r in s.reasons)


# -- the demo data: Mondragon Unibertsitatea ---------------------------------------------

MONDRAGON = "ksi:mondragon-unibertsitatea"
ENGINEERING = "pic:999855146"  # Faculty of Engineering (Mondragon Unibertsitatea)


def test_mondragon_gets_suggestions_from_its_faculty_network(demo_graph: Graph) -> None:
    proj = projection(demo_graph)
    u, eng = proj.index[MONDRAGON], proj.index[ENGINEERING]
    assert proj.project_count[u] == 0 and proj.project_count[eng] > 0
    assert combined_members(proj, u) == [eng]
    got = suggest(demo_graph, "Mondragon Unibertsitatea", limit=20)
    assert len(got) == 20
    excluded = {ENGINEERING} | {proj.ids[j] for j in proj.co.neighbours(eng)}
    assert not {s.id for s in got} & excluded
    assert all(s.territory in {"ES22", "FRI"} for s in got)
    assert got[0].parts["adamic_adar"] > 0  # the network counts now
    faculty = proj.name[eng]
    for s in got[:5]:
        shared = next(r for r in s.reasons if r["code"] == "shared_partners")
        assert shared["members"] == [faculty] * len(shared["names"])
        intro = next(r for r in s.reasons if r["code"] == "introduction_path")
        assert intro["member_id"] == ENGINEERING
        assert render_reasons([intro])[0].endswith(f"could introduce you through {faculty}")


def _per_organisation(proj: Any, i: int, limit: int) -> list[tuple[str, float]]:
    """The ordinary organisation's ranking written out from the pure functions (the
    per-organisation path, as before umbrellas were served as groups)."""
    from graphsvc.algorithms.communities import bridging_scores as bridging
    from graphsvc.suggest import _row

    prox = proximity_scores(proj.co, i)
    country = np.array([c or "" for c in proj.country], dtype=object)
    raw = {
        "resource_allocation": prox["resource_allocation"],
        "adamic_adar": np.log1p(prox["adamic_adar"]),
        "shared_projects": np.log1p(prox["shared_projects"]),
        "paths": prox["paths"],
        "country_ties": np.log1p(partner_counts_in(proj.co, country == proj.country[i])),
        "bridging": bridging(proj.co, proj.community, i),
        "topics": cosine_scores(proj.topic_model, _row(proj.topic_model.matrix, i)),
        "complementarity": complementarity_scores(proj.offers, proj.needs, _row(proj.offers, i),
                                                  _row(proj.needs, i)),
        "activity": np.log1p(proj.project_count),
    }
    terr = np.array([t or "" for t in proj.territory], dtype=object)
    mask = ~proj.example & np.isin(terr, TERRITORIES) & (terr != proj.territory[i])
    mask[i] = False
    mask[proj.co.neighbours(i)] = False
    score = combine({k: scale(v, mask) for k, v in raw.items()}, DEFAULT_WEIGHTS)
    score[~mask] = -1.0
    order = np.argsort(-score, kind="stable")[:limit]
    return [(proj.ids[j], round(float(score[j]), 4)) for j in order]


@pytest.mark.parametrize("org", ["pic:999865234", "pic:949735440", "pic:999855146"])
def test_an_ordinary_organisation_is_ranked_as_before(demo_graph: Graph, org: str) -> None:
    # The University of the Basque Country has members but projects of its own; the
    # Faculty of Engineering is itself a member: both are ordinary organisations.
    proj = projection(demo_graph)
    i = proj.index[org]
    assert combined_members(proj, i) == []
    got = suggest(demo_graph, org, limit=10)
    assert [(s.id, s.score) for s in got] == _per_organisation(proj, i, 10)
    assert all("members" not in r and "member" not in r for s in got for r in s.reasons)


def test_the_finder_passes_the_combined_members(client: Any) -> None:
    from flask import template_rendered

    seen: list[dict[str, Any]] = []

    def record(sender: Any, template: Any, context: dict[str, Any], **extra: Any) -> None:
        seen.append(context)

    template_rendered.connect(record)
    try:
        assert client.get(f"/finder?org={MONDRAGON}&limit=5").status_code == 200
        assert client.get("/finder?org=pic:999865234&limit=5").status_code == 200
    finally:
        template_rendered.disconnect(record)
    umbrella, ordinary = (c for c in seen if "combined_members" in c)
    assert [m["id"] for m in umbrella["combined_members"]] == [ENGINEERING]
    assert umbrella["combined_members"][0]["projects"] > 0
    assert ordinary["combined_members"] == []
    found = umbrella["result"]["found"]
    assert found and all(s["introduction_member"]["id"] == ENGINEERING for s in found if s["paths"])


def test_the_one_member_wording_needs_every_shared_partner_with_that_member() -> None:
    # Faculty One works with P1-P3 (twice, so they are the three named), Faculty Two with
    # P4; the candidate works with all four: "with your member Faculty One" would be untrue of P4.
    orgs = [{"id": i, "name": n, "territory": t, "country": c} for i, n, t, c in [
        ("u", "Umbrella", "ES21", "ES"), ("m1", "Faculty One", "ES21", "ES"), ("m2", "Faculty Two", "ES21", "ES"),
        ("p1", "P1", None, "DE"), ("p2", "P2", None, "DE"), ("p3", "P3", None, "DE"), ("p4", "P4", None, "DE"),
        ("c", "Cand", "FRI", "FR")]]
    projects = [{"id": "A", "year": 2020, "orgs": ["m1", "p1", "p2", "p3"]},
                {"id": "A2", "year": 2020, "orgs": ["m1", "p1", "p2", "p3"]},
                {"id": "B", "year": 2020, "orgs": ["m2", "p4"]},
                {"id": "C", "year": 2021, "orgs": ["c", "p1", "p2", "p3", "p4"]}]
    proj = project(GraphData.build(orgs=orgs, projects=projects, memberships=[("m1", "u"), ("m2", "u")]))
    [cand] = [s for s in suggest(proj, "u", scope="any") if s.id == "c"]
    [shared] = [r for r in cand.reasons if r["code"] == "shared_partners"]
    assert shared["count"] == 4 and shared["members"] == ["Faculty One"] * 3 and shared["member_count"] == 2
    text = render_reason(shared, lambda s: s, lambda a, b, n: a if n == 1 else b)
    assert text == "shares 4 partners with your members: P1 (with Faculty One), P2 (with Faculty One), " \
                   "P3 (with Faculty One)", text
    # with Faculty Two's project gone, every shared partner is Faculty One's: the short form
    proj = project(GraphData.build(orgs=orgs, projects=[p for p in projects if p["id"] != "B"],
                                   memberships=[("m1", "u"), ("m2", "u")]))
    [cand] = [s for s in suggest(proj, "u", scope="any") if s.id == "c"]
    [shared] = [r for r in cand.reasons if r["code"] == "shared_partners"]
    assert render_reason(shared, lambda s: s, lambda a, b, n: a if n == 1 else b) == \
        "shares 3 partners with your member Faculty One: P1, P2, P3"
