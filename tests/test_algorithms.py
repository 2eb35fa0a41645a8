"""Pure algorithm tests on small hand-made graphs with known answers (no database)."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from graphsvc.algorithms.brokers import broker_scores, cross_border_brokers
from graphsvc.algorithms.centrality import betweenness, betweenness_scores, pagerank
from graphsvc.algorithms.communities import bridging_scores, bridging_value, louvain, louvain_sparse
from graphsvc.algorithms.complementarity import complementarity, complementarity_scores
from graphsvc.algorithms.gaps import skills_gaps
from graphsvc.algorithms.linkpred import (
    adamic_adar,
    adamic_adar_scores,
    common_neighbour_scores,
    path_scores,
    resource_allocation,
    resource_allocation_scores,
)
from graphsvc.algorithms.ranking import summarise, target_ranks
from graphsvc.algorithms.scoring import PARTS, Weights, combine, scale
from graphsvc.algorithms.similarity import tfidf, topic_similarity
from graphsvc.algorithms.sparse import from_edges, from_networkx
from graphsvc.errors import InvalidInput

# u and v share z1 (degree 2) and z2 (degree 4); w shares only z2 with u.
KITE = [("u", "z1"), ("v", "z1"), ("u", "z2"), ("v", "z2"), ("w", "z2"), ("x", "z2")]


def kite() -> nx.Graph:
    return nx.Graph(KITE)


def test_resource_allocation_and_adamic_adar_known_values() -> None:
    g = kite()
    ra = {(a, b): s for a, b, s in resource_allocation(g, [("u", "v"), ("u", "w"), ("u", "x")])}
    assert ra[("u", "v")] == pytest.approx(1 / 2 + 1 / 4)
    assert ra[("u", "w")] == pytest.approx(1 / 4)
    aa = {(a, b): s for a, b, s in adamic_adar(g, [("u", "v"), ("u", "w")])}
    assert aa[("u", "v")] == pytest.approx(1 / math.log(2) + 1 / math.log(4))
    assert aa[("u", "w")] == pytest.approx(1 / math.log(4))
    # Same values as networkx's own definitions.
    nx_ra = {(a, b): s for a, b, s in nx.resource_allocation_index(g, [("u", "v"), ("u", "w")])}
    nx_aa = {(a, b): s for a, b, s in nx.adamic_adar_index(g, [("u", "v"), ("u", "w")])}
    assert ra[("u", "v")] == pytest.approx(nx_ra[("u", "v")])
    assert aa[("u", "w")] == pytest.approx(nx_aa[("u", "w")])


def test_vectorised_link_prediction_matches_pairwise() -> None:
    g = nx.gnm_random_graph(60, 150, seed=7)
    sg = from_networkx(g, weight=None)
    for u in (0, 5, 17):
        ra = resource_allocation_scores(sg, sg.index[u])
        aa = adamic_adar_scores(sg, sg.index[u])
        cn = common_neighbour_scores(sg, sg.index[u])
        for v in g.nodes:
            if v == u:
                continue
            j = sg.index[v]
            assert ra[j] == pytest.approx(resource_allocation(g, [(u, v)])[0][2])
            assert aa[j] == pytest.approx(adamic_adar(g, [(u, v)])[0][2])
            assert cn[j] == len(list(nx.common_neighbors(g, u, v)))


def test_path_score_counts_two_and_three_hop_walks() -> None:
    sg = from_edges("abcd", [("a", "b", 1), ("b", "c", 1), ("c", "d", 1)])
    s = path_scores(sg, 0, beta=0.1)
    assert s[2] == pytest.approx(0.01)  # a-b-c
    assert s[3] == pytest.approx(0.001)  # a-b-c-d
    # A node reachable only in four hops scores nothing.
    far = from_edges("abcde", [("a", "b", 1), ("b", "c", 1), ("c", "d", 1), ("d", "e", 1)])
    assert path_scores(far, 0, beta=0.1)[4] == 0


def two_cliques() -> nx.Graph:
    g = nx.Graph()
    left, right = ["l1", "l2", "l3", "l4"], ["r1", "r2", "r3", "r4"]
    g.add_edges_from((a, b) for i, a in enumerate(left) for b in left[i + 1:])
    g.add_edges_from((a, b) for i, a in enumerate(right) for b in right[i + 1:])
    g.add_edge("l1", "bridge")
    g.add_edge("bridge", "r1")
    return g


def test_louvain_known_split_is_stable() -> None:
    g = two_cliques()
    parts = louvain(g, seed=42)
    assert parts["l2"] == parts["l3"] == parts["l4"] != parts["r2"] == parts["r3"]
    assert parts == louvain(g, seed=42)
    # The sparse version with the bridge outside the core attaches it to a side.
    sg = from_networkx(g, weight=None)
    core = np.array([n != "bridge" for n in sg.nodes])
    labels = louvain_sparse(sg, core=core)
    side = {n: int(labels[i]) for i, n in enumerate(sg.nodes)}
    assert side["l2"] != side["r2"]
    assert side["bridge"] in {side["l2"], side["r2"]}


def test_bridging_node_has_the_highest_betweenness_and_a_tie_across_bridges() -> None:
    g = two_cliques()
    b = betweenness(g)
    assert max(b, key=b.get) == "bridge"
    exact = nx.betweenness_centrality(g)
    assert all(b[n] == pytest.approx(exact[n]) for n in g)
    comm = louvain(g, seed=42)
    # A new tie l2-r2 reaches a community l2 has no tie into: full bridging value.
    assert bridging_value(g, comm, "l2", "r2") == pytest.approx(1.0)
    assert bridging_value(g, comm, "l2", "l3") == pytest.approx(0.0)
    sg = from_networkx(g)
    arr = np.array([comm[n] for n in sg.nodes])
    vec = bridging_scores(sg, arr, sg.index["l2"])
    assert vec[sg.index["r2"]] == pytest.approx(1.0)
    assert vec[sg.index["l3"]] == pytest.approx(0.0)


def test_sampled_betweenness_is_seeded_and_close() -> None:
    g = nx.connected_watts_strogatz_graph(200, 6, 0.1, seed=3)
    sg = from_networkx(g, weight=None)
    a = betweenness_scores(sg, k=80, seed=5)
    assert np.array_equal(a, betweenness_scores(sg, k=80, seed=5))
    exact = betweenness_scores(sg)
    assert np.corrcoef(a, exact)[0, 1] > 0.8


def test_pagerank_matches_networkx_weighted() -> None:
    g = nx.gnm_random_graph(80, 200, seed=11)
    for a, b in g.edges:
        g[a][b]["weight"] = 1 + (a * b) % 4
    g.add_node(999)  # isolated: dangling
    ours = pagerank(g)
    ref = nx.pagerank(g, weight="weight", tol=1e-12)
    assert all(ours[n] == pytest.approx(ref[n], abs=1e-8) for n in g)


def test_cross_border_broker() -> None:
    # A German institute linking Euskadi and Nouvelle-Aquitaine organisations that never met.
    g = nx.Graph([("de", "eus1"), ("de", "eus2"), ("de", "fri1"), ("eus1", "eus2"), ("fri1", "fri2")])
    nx.set_node_attributes(
        g, {"de": None, "eus1": "ES21", "eus2": "ES21", "fri1": "FRI", "fri2": "FRI"}, "territory"
    )
    b = cross_border_brokers(g)
    assert b["de"]["broker_score"] == 2  # (eus1, fri1) and (eus2, fri1)
    assert b["de"]["territories_reached"] == ["ES21", "FRI"]
    assert b["eus1"]["broker_score"] == 0
    assert max(b, key=lambda n: b[n]["broker_score"]) == "de"
    # Once eus1 and fri1 work together, de brokers one pair less, and each gains a direct tie.
    g.add_edge("eus1", "fri1")
    b = cross_border_brokers(g)
    assert b["de"]["broker_score"] == 1
    assert b["eus1"]["broker_score"] == 1 + 1  # its tie to fri1, and brokering (eus2, fri1)
    sg = from_networkx(g, weight=None)
    scores, _ = broker_scores(sg, [g.nodes[n]["territory"] for n in sg.nodes])
    assert int(scores[sg.index["de"]]) == 1


def test_topic_similarity_prefers_rare_shared_topics() -> None:
    profiles = {
        "me": {"engineering": 1, "virtual production": 1},
        "common": {"engineering": 1},
        "rare": {"virtual production": 1},
        **{f"x{i}": {"engineering": 1} for i in range(5)},
    }
    sim = topic_similarity(profiles, "me")
    assert sim["rare"] > sim["common"] > 0
    m = tfidf(sp.csr_array(np.array([[1.0, 0.0], [0.0, 0.0]])))
    assert m.matrix.toarray()[1].tolist() == [0.0, 0.0]  # an empty profile stays empty


def test_complementarity_both_ways() -> None:
    offers = {"me": {"ai"}, "a": {"film"}, "b": {"film", "ai"}, "c": set()}
    needs = {"me": {"film"}, "c": {"ai"}}
    assert complementarity(offers, needs, "me") == {"a": 1, "b": 1, "c": 1}
    o = sp.csr_array(np.array([[0, 1], [1, 0]], dtype=float))
    n = sp.csr_array(np.array([[1, 0], [0, 1]], dtype=float))
    assert complementarity_scores(o, n, np.array([0.0, 1.0]), np.array([1.0, 0.0])).tolist() == [0.0, 2.0]


def test_skills_gaps_only_across_the_border() -> None:
    needs = {"eus": {"film", "music"}, "nav": {"ai"}}
    offers = {"fri": {"film"}, "eus2": {"music"}, "de": {"ai"}}
    terr = {"eus": "ES21", "eus2": "ES21", "nav": "ES22", "fri": "FRI", "de": None}
    gaps = skills_gaps(needs, offers, terr)
    assert [(g["territory"], g["topic"]) for g in gaps] == [("ES21", "film")]
    assert gaps[0]["offered_by"] == ["fri"]


def test_ranking_metrics() -> None:
    scores = np.array([0.9, 0.8, 0.8, 0.1, 0.0])
    cand = np.array([True, True, True, True, False])
    tie = np.array([0, 2, 1, 3, 4])
    assert target_ranks(scores, cand, [1, 3, 4], tie) == [3, 4]
    st = summarise([([3, 4], 3), ([1], 1), ([], 2)])
    assert st.hits5 == pytest.approx(2 / 3)
    assert st.mrr == pytest.approx((1 / 3 + 1) / 3)
    assert st.recall20 == pytest.approx((2 / 3 + 1 + 0) / 3)


def test_weights_and_combination() -> None:
    w = Weights()
    assert sum(w.normalised().as_dict().values()) == pytest.approx(1.0)
    assert set(w.as_dict()) == set(PARTS)
    with pytest.raises(InvalidInput):
        Weights.from_mapping({"charisma": 1})
    with pytest.raises(InvalidInput):
        Weights(topics=-1)
    mask = np.array([True, True, False])
    parts = {"topics": scale(np.array([1.0, 2.0, 50.0]), mask), "activity": scale(np.array([4.0, 1.0, 0.0]), mask)}
    only_topics = Weights.from_mapping({"topics": 1})
    assert combine(parts, only_topics).tolist() == [0.5, 1.0, 0.0]
    even = Weights.from_mapping({"topics": 1, "activity": 1})
    assert combine(parts, even).tolist() == pytest.approx([0.75, 0.625, 0.0])


def test_listwise_learning_finds_the_informative_component() -> None:
    from graphsvc.algorithms.learn import Group, fit_listwise, listwise_loss, subsample

    rng = np.random.default_rng(7)
    groups = []
    for _ in range(40):
        x = rng.random((50, 3))
        x[:2, 1] += 0.8  # the second component marks the two targets
        groups.append(Group(x, np.array([0, 1])))
    w = fit_listwise(groups)
    assert w.sum() == pytest.approx(1.0) and (w >= 0).all()
    assert w[1] > w[0] + w[2]
    # The loss's gradient is right (finite differences).
    v = np.array([0.2, 0.5, 0.1])
    loss, grad = listwise_loss(v, groups, l2=0.01)
    for k in range(3):
        step = np.zeros(3)
        step[k] = 1e-6
        assert (listwise_loss(v + step, groups, 0.01)[0] - loss) / 1e-6 == pytest.approx(grad[k], rel=1e-3)
    # Subsampled candidates stand for the ones left out: the denominator is unbiased.
    rows, counts = subsample(np.arange(1000) < 10, 100, np.random.default_rng(0))
    assert len(rows) == 110 and counts.sum() == pytest.approx(1000)


def test_shared_projects_and_partners_in_a_country() -> None:
    from graphsvc.algorithms.linkpred import partner_counts_in, proximity_scores, shared_project_scores

    # u-z: 3 shared projects, z-v: 2, z-w: 1; u and v also share y (1 and 1).
    sg = from_edges("uzvwy", [("u", "z", 3), ("z", "v", 2), ("z", "w", 1), ("u", "y", 1), ("y", "v", 1)])
    s = shared_project_scores(sg, sg.index["u"])
    assert s[sg.index["v"]] == 3 * 2 + 1 * 1 and s[sg.index["w"]] == 3
    assert np.allclose(proximity_scores(sg, sg.index["u"])["shared_projects"], s)
    in_set = np.array([n in ("u", "y") for n in "uzvwy"])
    assert partner_counts_in(sg, in_set).tolist() == [1.0, 1.0, 1.0, 0.0, 1.0]
