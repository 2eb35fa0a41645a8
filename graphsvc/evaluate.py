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

Methods: ``lotura`` (the combined score with the given weights; newcomers with the
newcomer weights), ``adamic_adar``,
``common_neighbours``, ``most_connected`` (most partners in training) and ``random``
(seeded). A newcomer has no ties, so the Lotura score runs in newcomer mode: its
described need is the topics of the test-period projects it joined (what it would type
in the partner finder), matched against candidate profiles built from training data
only; the network baselines can only fall back to the fixed tie order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from graphsvc.algorithms.learn import Group, fit_listwise, subsample
from graphsvc.algorithms.linkpred import adamic_adar_scores, common_neighbour_scores
from graphsvc.algorithms.ranking import summarise, target_ranks
from graphsvc.algorithms.scoring import NEWCOMER_PARTS, PARTS, Weights, as_weights, defaults_for
from graphsvc.algorithms.similarity import tokens
from graphsvc.db import Graph
from graphsvc.errors import InvalidInput
from graphsvc.projection import GraphData, Projection, fetch, project
from graphsvc.regions import TERRITORIES
from graphsvc.suggest import SCOPES, Query, candidate_mask, irrelevant, rank_scores

__all__ = ["METHODS", "Case", "cases", "training_cases", "backtest", "evaluate", "fit_weights", "table_rows"]

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


def _check(train_until: int, test_from: int, scope: str, test_until: int | None = None) -> None:
    if scope not in SCOPES:
        raise InvalidInput(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}", field="scope")
    if test_from <= train_until:
        raise InvalidInput(
            f"the answers must come after the history: test from {test_from} is not after "
            f"train until {train_until}", field="test_from")
    if test_until is not None and test_until < test_from:
        raise InvalidInput(f"test until {test_until} is before test from {test_from}", field="test_until")


def _gains(
    data: GraphData, train: Projection, test_from: int, test_until: int | None, wanted: Callable[[int], bool]
) -> tuple[dict[int, set[int]], dict[int, set[str]]]:
    """New partners and topics of the test-period projects of the organisations wanted."""
    gained: dict[int, set[int]] = {}
    topics_joined: dict[int, set[str]] = {}
    for p in data.projects:
        if p.year is None or p.year < test_from or (test_until is not None and p.year > test_until):
            continue
        rows = sorted({train.index[o] for o in p.orgs if o in train.index})
        for u in rows:
            if not wanted(u):
                continue
            gained.setdefault(u, set()).update(v for v in rows if v != u)
            topics_joined.setdefault(u, set()).update(p.topics)
    return gained, topics_joined


def _newcomer_query(data: GraphData, train: Projection, topics: set[str]) -> Query:
    """What a newcomer would type in the partner finder: the topics of its projects."""
    cols = tuple(sorted(train.topic_index[t] for t in topics if t in train.topic_index))
    words = tuple(w for t in sorted(topics) for w in tokens(data.topics.get(t, (t, None))[0]))
    return Query(row=None, topic_cols=cols, words=words)


def _cases(
    data: GraphData, train: Projection, test_from: int, test_until: int | None, scope: str,
    wanted: Callable[[int], bool],
) -> list[Case]:
    gained, topics_joined = _gains(data, train, test_from, test_until, wanted)
    out: list[Case] = []
    for u in sorted(gained):
        history = bool(train.project_count[u] > 0)
        mask = candidate_mask(train, Query(row=u), scope=scope)
        targets = tuple(sorted(v for v in gained[u] if mask[v]))
        if not targets:
            continue
        query = Query(row=u) if history else _newcomer_query(data, train, topics_joined[u])
        out.append(Case(u, targets, history, query, mask))
    return out


def cases(data: GraphData, train: Projection, test_from: int, scope: str,
          test_until: int | None = None) -> list[Case]:
    """The organisations of the three territories that gained new partners in scope."""
    return _cases(data, train, test_from, test_until, scope, lambda u: train.territory[u] in TERRITORIES)


def _method_scores(train: Projection, case: Case, weights: Weights, newcomer_weights: Weights,
                   seed: int) -> dict[str, np.ndarray]:
    n = len(train.ids)
    w = weights if case.history else newcomer_weights
    out = {"lotura": rank_scores(train, case.query, case.mask, w)[2]}
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
    newcomer_weights: Weights | Mapping[str, float] | None = None,
    seed: int = 42,
    train: Projection | None = None,
    case_list: Sequence[Case] | None = None,
) -> dict[str, Any]:
    """Run the back-test on plain data; return the metrics per method and group.

    Newcomers are ranked with ``newcomer_weights`` when given, else as
    :func:`graphsvc.suggest.suggest` would rank them with ``weights``.
    """
    _check(train_until, test_from, scope, test_until)
    w = as_weights(weights)
    nw = defaults_for(True, weights) if newcomer_weights is None else as_weights(newcomer_weights)
    train = train or project(data, as_of=train_until)
    todo = list(case_list) if case_list is not None else cases(data, train, test_from, scope, test_until)
    tiebreak = np.random.default_rng(seed).permutation(len(train.ids))
    ranks: dict[tuple[str, str], list[tuple[list[int], int]]] = {
        (m, g): [] for m in METHODS for g in GROUPS
    }
    for case in todo:
        group = "with_history" if case.history else "without_history"
        for method, scores in _method_scores(train, case, w, nw, seed).items():
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
        "newcomer_weights": nw.as_dict(),
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


# -- learning the weights (on an earlier split only) ---------------------------------


def training_cases(
    data: GraphData,
    train: Projection,
    test_from: int,
    test_until: int | None = None,
    countries: Sequence[str] = ("ES", "FR"),
    history: bool = True,
) -> list[Case]:
    """Organisations of ``countries`` that gained new partners abroad, with history
    (a training project) or without (newcomers, asked as in the back-test).

    The same question as the back-test's ``abroad`` scope, asked of every Spanish and
    French organisation rather than only those of the three territories: the data is
    the ES/FR subset of CORDIS, so their projects are all there, and the hundreds of
    cases teach the weights more than the territories' few dozen would.
    """
    wanted = set(countries)
    return _cases(
        data, train, test_from, test_until, "abroad",
        lambda u: train.country[u] in wanted and (train.project_count[u] > 0) == history,
    )


def fit_weights(
    data: GraphData,
    *,
    train_until: int,
    test_from: int,
    test_until: int | None = None,
    countries: Sequence[str] = ("ES", "FR"),
    newcomers: bool = False,
    fixed: Mapping[str, float] | None = None,
    l2: float = 1e-3,
    negatives: int = 3000,
    seed: int = 42,
    progress: Callable[[str], None] | None = None,
    train: Projection | None = None,
) -> Weights:
    """Learn the score weights from an earlier split (never the one you report).

    Every case of :func:`training_cases` becomes one training group: its candidates'
    scaled score parts (exactly as :func:`graphsvc.suggest.rank_scores` computes them)
    and its true new partners. :func:`graphsvc.algorithms.learn.fit_listwise` finds the
    weights; the parts named in ``fixed`` (default: complementarity 0.15 and bridging
    0.05, set by choice) keep their weight and the learned ones share the rest.
    Candidates with no signal are subsampled to ``negatives`` per case.

    With ``newcomers`` the cases are organisations without history, ranked in newcomer
    mode (topics, complementarity, activity; the others get weight 0): the weights
    :data:`graphsvc.algorithms.scoring.NEWCOMER_WEIGHTS` come from this. ``train`` is the
    projection as of ``train_until`` when the caller already has it (built otherwise).
    """
    _check(train_until, test_from, "abroad", test_until)
    fixed = {"complementarity": 0.15, "bridging": 0.05} if fixed is None else dict(fixed)
    unknown = sorted(set(fixed) - set(PARTS))
    if unknown:
        raise InvalidInput(f"unknown score components: {', '.join(unknown)}", field="fixed")
    train = train or project(data, as_of=train_until)
    todo = training_cases(data, train, test_from, test_until, countries, history=not newcomers)
    if newcomers:
        fixed = {k: v for k, v in fixed.items() if k in NEWCOMER_PARTS}
    learned = [k for k in (NEWCOMER_PARTS if newcomers else PARTS) if k not in fixed]
    if not todo:
        raise InvalidInput("no organisation gained new partners in that split: nothing to learn from",
                           field="test_from")
    rng = np.random.default_rng(seed)
    groups: list[Group] = []
    for k, case in enumerate(todo):
        raw, scaled, _ = rank_scores(train, case.query, case.mask, Weights())
        idx = np.flatnonzero(case.mask)
        x = np.column_stack([scaled[name][idx] for name in learned])
        if newcomers:  # the relevance gate of newcomer mode, as in rank_scores
            x[irrelevant(raw)[idx]] = 0.0
        is_target = np.isin(idx, case.targets)
        rows, counts = subsample(is_target | (x.max(axis=1) > 0), negatives, rng)
        local = np.flatnonzero(is_target[rows])
        groups.append(Group(x[rows], local, counts))
        if progress and (k + 1) % 100 == 0:
            progress(f"{k + 1}/{len(todo)} training cases")
    w = fit_listwise(groups, l2=l2)
    share = max(0.0, 1.0 - sum(fixed.values()))
    values = dict.fromkeys(PARTS, 0.0)
    values.update({name: float(v) * share for name, v in zip(learned, w, strict=True)})
    values.update(fixed)
    if progress:
        progress(f"learned from {len(groups)} organisations: "
                 + ", ".join(f"{k}={v:.3f}" for k, v in values.items()))
    return Weights(**values).normalised()
