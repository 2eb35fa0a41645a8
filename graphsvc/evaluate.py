"""Back-test of the partner suggestions: hide the future, see whether we predict it.

``backtest(data, train_until=2023, test_from=2024)``:

1. The training graph keeps only the projects started in or before ``train_until``
   (ties, topics and activity as they were then).
2. The organisations evaluated are those of the three territories that gained, in
   projects started in or after ``test_from``, at least one new partner in scope (not a
   partner in training; in another territory of the Euroregion for ``euroregion``, in
   another country for ``abroad``). Those new partners are the targets.
3. Every method ranks every candidate in scope (not a training partner, the same
   candidate set for all methods; ties broken by one fixed random order), and we
   report Hits@5, Hits@10, MRR and recall@20 (:mod:`graphsvc.algorithms.ranking`),
   separately for organisations **with history** (at least one training project) and
   **without** (newcomers).

Methods: ``lotura`` (the combined score with the given weights), ``adamic_adar``,
``common_neighbours``, ``most_connected`` (most partners in training) and ``random``
(seeded). A newcomer has no ties, so the Lotura score runs in newcomer mode: its
described need is the topics of the test-period projects it joined (what it would type
in the partner finder), matched against candidate profiles built from training data
only; the network baselines can only fall back to the fixed tie order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from graphsvc.algorithms.linkpred import adamic_adar_scores, common_neighbour_scores
from graphsvc.algorithms.ranking import summarise, target_ranks
from graphsvc.algorithms.scoring import PARTS, Weights, combine
from graphsvc.algorithms.similarity import tokens
from graphsvc.db import Graph
from graphsvc.errors import InvalidInput
from graphsvc.projection import GraphData, Projection, fetch, project
from graphsvc.regions import TERRITORIES
from graphsvc.suggest import SCOPES, Query, candidate_mask, rank_scores

__all__ = ["METHODS", "Case", "cases", "backtest", "evaluate", "tune_weights", "table_rows"]

METHODS = ("lotura", "adamic_adar", "common_neighbours", "most_connected", "random")
GROUPS = ("with_history", "without_history")


@dataclass(frozen=True)
class Case:
    """One organisation to evaluate: its row, targets and the query it is ranked for."""

    row: int
    targets: tuple[int, ...]
    history: bool
    query: Query
    mask: np.ndarray


def _check(train_until: int, test_from: int, scope: str) -> None:
    if scope not in SCOPES:
        raise InvalidInput(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}", field="scope")
    if test_from <= train_until:
        raise InvalidInput("--test-from must be after --train-until", field="test_from")


def cases(data: GraphData, train: Projection, test_from: int, scope: str,
          test_until: int | None = None) -> list[Case]:
    """The organisations of the three territories that gained new partners in scope."""
    gained: dict[int, set[int]] = {}
    topics_joined: dict[int, set[str]] = {}
    for p in data.projects:
        if p.year is None or p.year < test_from or (test_until is not None and p.year > test_until):
            continue
        rows = sorted({train.index[o] for o in p.orgs if o in train.index})
        for u in rows:
            if train.territory[u] not in TERRITORIES:
                continue
            gained.setdefault(u, set()).update(v for v in rows if v != u)
            topics_joined.setdefault(u, set()).update(p.topics)
    out: list[Case] = []
    for u in sorted(gained):
        history = bool(train.project_count[u] > 0)
        mask = candidate_mask(train, Query(row=u), scope=scope)
        targets = tuple(sorted(v for v in gained[u] if mask[v]))
        if not targets:
            continue
        if history:
            query = Query(row=u)
        else:
            cols = tuple(sorted(train.topic_index[t] for t in topics_joined[u] if t in train.topic_index))
            words = tuple(
                w for t in sorted(topics_joined[u]) for w in tokens(data.topics.get(t, (t, None))[0])
            )
            query = Query(row=None, topic_cols=cols, words=words)
        out.append(Case(u, targets, history, query, mask))
    return out


def _method_scores(train: Projection, case: Case, weights: Weights, seed: int) -> dict[str, np.ndarray]:
    n = len(train.ids)
    out = {"lotura": rank_scores(train, case.query, case.mask, weights)[2]}
    if case.history:
        out["adamic_adar"] = adamic_adar_scores(train.co, case.row)
        out["common_neighbours"] = common_neighbour_scores(train.co, case.row)
    else:
        out["adamic_adar"] = np.zeros(n)
        out["common_neighbours"] = np.zeros(n)
    out["most_connected"] = train.co.degree().astype(np.float64)
    out["random"] = np.random.default_rng([seed, case.row]).random(n)
    return out


def backtest(
    data: GraphData,
    *,
    train_until: int,
    test_from: int,
    test_until: int | None = None,
    scope: str = "euroregion",
    weights: Weights | Mapping[str, float] | None = None,
    seed: int = 42,
    train: Projection | None = None,
    case_list: Sequence[Case] | None = None,
) -> dict[str, Any]:
    """Run the back-test on plain data; return the metrics per method and group."""
    _check(train_until, test_from, scope)
    w = weights if isinstance(weights, Weights) else Weights.from_mapping(weights)
    train = train or project(data, as_of=train_until)
    todo = list(case_list) if case_list is not None else cases(data, train, test_from, scope, test_until)
    tiebreak = np.random.default_rng(seed).permutation(len(train.ids))
    ranks: dict[tuple[str, str], list[tuple[list[int], int]]] = {
        (m, g): [] for m in METHODS for g in GROUPS
    }
    for case in todo:
        group = "with_history" if case.history else "without_history"
        for method, scores in _method_scores(train, case, w, seed).items():
            r = target_ranks(scores, case.mask, case.targets, tiebreak)
            ranks[(method, group)].append((r, len(case.targets)))
    results = {
        group: {m: summarise(ranks[(m, group)]).as_dict() for m in METHODS} for group in GROUPS
    }
    return {
        "train_until": train_until,
        "test_from": test_from,
        "test_until": test_until,
        "scope": scope,
        "weights": w.as_dict(),
        "seed": seed,
        "organisations": len(todo),
        "targets": sum(len(c.targets) for c in todo),
        "candidates_mean": round(float(np.mean([c.mask.sum() for c in todo])), 1) if todo else 0.0,
        "results": results,
    }


def evaluate(
    graph: Graph,
    *,
    train_until: int,
    test_from: int,
    test_until: int | None = None,
    scope: str = "euroregion",
    weights: Weights | Mapping[str, float] | None = None,
    seed: int = 42,
) -> dict[str, Any]:
    """:func:`backtest` on the graph's data."""
    return backtest(fetch(graph), train_until=train_until, test_from=test_from, test_until=test_until,
                    scope=scope, weights=weights, seed=seed)


def table_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The report as flat rows (one per group and method) for a printed table."""
    rows = []
    for group in GROUPS:
        for method in METHODS:
            m = report["results"][group][method]
            rows.append({
                "scope": report["scope"], "group": group, "method": method, "orgs": m["n"],
                "hits@5": round(m["hits@5"], 3), "hits@10": round(m["hits@10"], 3),
                "mrr": round(m["mrr"], 3), "recall@20": round(m["recall@20"], 3),
            })
    return rows


# -- tuning (on an earlier split only) ----------------------------------------------


def tune_weights(
    data: GraphData,
    *,
    train_until: int,
    test_from: int,
    test_until: int | None = None,
    scopes: Iterable[str] = ("euroregion", "abroad"),
    grid: Sequence[float] = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5),
    rounds: int = 2,
    start: Weights | None = None,
    seed: int = 42,
    progress: Callable[[str], None] | None = None,
) -> tuple[Weights, float]:
    """Coordinate ascent on the weights, maximising the mean of MRR and Hits@10 over
    ``scopes`` and both groups (with and without history), on the split given. Use an earlier split than the one
    you report: tuning on the test split would flatter the score.

    The score parts of each organisation are computed once; each trial only recombines
    them, so a trial costs a few milliseconds per organisation.
    """
    train = project(data, as_of=train_until)
    tiebreak = np.random.default_rng(seed).permutation(len(train.ids))
    prepared: dict[tuple[str, bool], list[tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]]] = {}
    for scope in scopes:
        for case in cases(data, train, test_from, scope, test_until):
            raw, scaled_all, _ = rank_scores(train, case.query, case.mask, Weights())
            idx = np.flatnonzero(case.mask)
            scaled = {k: v[idx] for k, v in scaled_all.items()}
            if not case.history:  # the relevance gate of newcomer mode, as in rank_scores
                gate = ((raw["topics"] > 0) | (raw["complementarity"] > 0))[idx].astype(np.float64)
                scaled = {k: v * gate for k, v in scaled.items()}
            local = {int(r): k for k, r in enumerate(idx)}
            targets = np.array([local[t] for t in case.targets], dtype=np.int64)
            prepared.setdefault((scope, case.history), []).append((tiebreak[idx], scaled, targets))

    def objective(w: Weights) -> float:
        values = []
        for group in prepared.values():
            res = []
            for tb, scaled, targets in group:
                s = combine(scaled, w)
                order = np.lexsort((tb, -s))
                pos = np.empty(len(order), dtype=np.int64)
                pos[order] = np.arange(1, len(order) + 1)
                res.append((sorted(pos[targets].tolist()), len(targets)))
            st = summarise(res)
            values.append((st.mrr + st.hits10) / 2.0)
        return float(np.mean(values)) if values else 0.0

    best = start or Weights()
    best_val = objective(best)
    for r in range(rounds):
        improved = False
        for name, value in itertools.product(PARTS, grid):
            trial = Weights(**{**best.normalised().as_dict(), name: value})
            val = objective(trial)
            if val > best_val + 1e-9:
                best, best_val, improved = trial, val, True
                if progress:
                    progress(f"round {r + 1}: {name}={value} -> {val:.4f}")
        if not improved:
            break
    return best.normalised(), best_val
