"""The back-test recovers a planted answer on a small synthetic history."""

from __future__ import annotations

from typing import Any

import pytest
from test_suggest_world import build_world

from graphsvc.algorithms.scoring import NEWCOMER_PARTS, PARTS
from graphsvc.db import Graph
from graphsvc.errors import InvalidInput
from graphsvc.evaluate import backtest, evaluate, fit_weights, table_rows, training_cases
from graphsvc.projection import GraphData, project


def planted() -> GraphData:
    """Five Basque organisations e0..e4, each tied in 2020 to a German d_k who also
    worked with the Aquitaine f_k; in 2024 each e_k teams up with its f_k (the planted
    answer). Ten Aquitaine distractors are as active as the f_k but linked to nobody
    the e_k know. A Basque newcomer n0 joins a 2024 solar project with fs, the only
    Aquitaine organisation that worked on solar before."""
    orgs: list[dict[str, Any]] = []
    projects: list[dict[str, Any]] = []
    for k in range(5):
        orgs += [
            {"id": f"e{k}", "name": f"Basque {k}", "territory": "ES21", "country": "ES", "kind": "company"},
            {"id": f"d{k}", "name": f"German {k}", "territory": None, "country": "DE", "kind": "research"},
            {"id": f"f{k}", "name": f"Aquitaine {k}", "territory": "FRI", "country": "FR", "kind": "research"},
        ]
        projects += [
            {"id": f"T{k}", "year": 2020, "orgs": [f"e{k}", f"d{k}"], "topics": ["kw:film"]},
            {"id": f"S{k}", "year": 2021, "orgs": [f"d{k}", f"f{k}"], "topics": ["kw:film"]},
            {"id": f"N{k}", "year": 2024, "orgs": [f"e{k}", f"f{k}"], "topics": ["kw:film"]},
        ]
    for x in range(10):
        orgs.append({"id": f"x{x}", "name": f"Distractor {x}", "territory": "FRI", "country": "FR", "kind": "company"})
        projects.append({"id": f"X{x}", "year": 2021, "orgs": [f"x{x}", "z"], "topics": ["kw:film"]})
    orgs += [
        {"id": "z", "name": "Zurich", "territory": None, "country": "CH", "kind": "research"},
        {"id": "n0", "name": "Newcomer", "territory": "ES21", "country": "ES", "kind": "company"},
        {"id": "fs", "name": "Solar Aquitaine", "territory": "FRI", "country": "FR", "kind": "research"},
    ]
    projects += [
        {"id": "Y", "year": 2021, "orgs": ["fs", "z"], "topics": ["kw:solar"]},
        {"id": "NEW", "year": 2024, "orgs": ["n0", "fs"], "topics": ["kw:solar"]},
    ]
    topics = [{"id": "kw:film", "name": "film"}, {"id": "kw:solar", "name": "solar energy"}]
    return GraphData.build(orgs, projects, topics)


def test_backtest_recovers_the_planted_partners() -> None:
    rep = backtest(planted(), train_until=2023, test_from=2024, scope="euroregion")
    with_h = rep["results"]["with_history"]
    # Evaluated with history: the five e_k and the five f_k (each gains the other), and
    # fs, who gains the newcomer n0: n0 has nothing to be found by, so it comes last of
    # fs's six candidates. Every planted pair is ranked first.
    assert with_h["lotura"]["n"] == 11
    assert with_h["lotura"]["mrr"] == pytest.approx((10 + 1 / 6) / 11)
    assert with_h["lotura"]["hits@5"] == pytest.approx(10 / 11)
    assert with_h["adamic_adar"]["mrr"] >= 10 / 11  # fs's target: the tie order decides
    assert with_h["random"]["mrr"] < with_h["lotura"]["mrr"]
    newcomers = rep["results"]["without_history"]
    assert newcomers["lotura"]["n"] == 1
    assert newcomers["lotura"]["mrr"] == pytest.approx(1.0)  # the solar need finds fs
    assert newcomers["adamic_adar"]["mrr"] < 1.0  # no ties: only the fixed tie order
    rows = table_rows(rep)
    assert len(rows) == 10 and {r["method"] for r in rows} >= {"lotura", "adamic_adar", "random"}


def test_backtest_is_deterministic_and_checks_its_input() -> None:
    data = planted()
    assert backtest(data, train_until=2023, test_from=2024) == backtest(data, train_until=2023, test_from=2024)
    with pytest.raises(InvalidInput, match="not after train until 2024"):
        backtest(data, train_until=2024, test_from=2024)
    with pytest.raises(InvalidInput):
        backtest(data, train_until=2023, test_from=2024, scope="galaxy")


def test_abroad_scope_counts_german_partners_only_when_new() -> None:
    rep = backtest(planted(), train_until=2023, test_from=2024, scope="abroad")
    # France and Spain: the same eleven organisations gain partners in another country.
    assert rep["results"]["with_history"]["lotura"]["n"] == 11
    # Abroad, Zurich (on the same 2021 solar project, and more active) may come first.
    assert rep["results"]["without_history"]["lotura"]["mrr"] >= 0.5


def test_learned_weights_follow_the_planted_signal() -> None:
    data = planted()
    train = project(data, as_of=2023)
    # Every Spanish or French organisation with history that gained a partner abroad.
    learn_from = training_cases(data, train, 2024)
    expected = {f"e{k}" for k in range(5)} | {f"f{k}" for k in range(5)} | {"fs"}
    assert {train.ids[c.row] for c in learn_from} == expected
    w = fit_weights(data, train_until=2023, test_from=2024, fixed={})
    assert sum(w.as_dict().values()) == pytest.approx(1.0)
    # The answer is a partner's partner; the distractors are as active but unrelated.
    network = sum(getattr(w, k) for k in set(PARTS) - set(NEWCOMER_PARTS))  # the parts that need ties
    assert network > w.activity
    rep = backtest(data, train_until=2023, test_from=2024, weights=w)
    # Ten of the eleven (all but fs) find their planted partner first.
    assert rep["results"]["with_history"]["lotura"]["mrr"] >= 10 / 11
    newcomer = fit_weights(data, train_until=2023, test_from=2024, newcomers=True)
    assert {k for k, v in newcomer.as_dict().items() if v} <= {"topics", "complementarity", "activity"}
    with pytest.raises(InvalidInput):
        fit_weights(data, train_until=2023, test_from=2024, fixed={"charm": 1.0})
    with pytest.raises(InvalidInput):
        fit_weights(data, train_until=2025, test_from=2026)
    # A split whose answers do not come after the history names the years.
    with pytest.raises(InvalidInput, match="test from 2023 is not after train until 2023"):
        fit_weights(data, train_until=2023, test_from=2023)
    with pytest.raises(InvalidInput, match="test until 2023 is before test from 2024"):
        fit_weights(data, train_until=2022, test_from=2024, test_until=2023)


def test_evaluate_on_the_graph(graph: Graph) -> None:
    build_world(graph)
    rep = evaluate(graph, train_until=2023, test_from=2024, scope="euroregion")
    # Alpha University and Pau Tech gain each other in 2024 (P4).
    assert rep["organisations"] == 2 and rep["targets"] == 2
    assert rep["results"]["with_history"]["lotura"]["hits@5"] == 1.0
