"""Ranking metrics for the back-test: Hits@k, mean reciprocal rank, recall@k.

For one organisation, the candidates are ranked by a score (best first; ties broken by
a fixed order so that every method is judged on the same footing), and the *targets*
are the partners it actually gained later. Hits@k is 1 when a target is in the top k;
the reciprocal rank is 1 / the rank of the best-ranked target (0 when none is a
candidate); recall@k is the share of targets in the top k. Averages are over
organisations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["target_ranks", "RankStats", "summarise"]


def target_ranks(
    scores: np.ndarray, candidates: np.ndarray, targets: Iterable[int], tiebreak: np.ndarray
) -> list[int]:
    """1-based ranks of the targets among the candidates (targets not candidates skipped).

    Parameters
    ----------
    scores : array over rows
    candidates : boolean array over rows
    targets : row numbers
    tiebreak : array over rows
        Lower comes first among equal scores.

    Examples
    --------
    >>> s = np.array([0.5, 0.9, 0.5, 0.1])
    >>> target_ranks(s, np.array([True, True, True, False]), [2, 3], np.array([1, 0, 0, 0]))
    [2]
    """
    idx = np.flatnonzero(candidates)
    order = idx[np.lexsort((tiebreak[idx], -scores[idx]))]
    rank = {int(r): k + 1 for k, r in enumerate(order)}
    return sorted(rank[t] for t in targets if t in rank)


@dataclass
class RankStats:
    """Averages over the organisations evaluated."""

    n: int
    hits5: float
    hits10: float
    mrr: float
    recall20: float

    def as_dict(self) -> dict[str, float]:
        return {"n": self.n, "hits@5": self.hits5, "hits@10": self.hits10, "mrr": self.mrr,
                "recall@20": self.recall20}


def summarise(results: Sequence[tuple[list[int], int]]) -> RankStats:
    """Metrics from ``(target ranks, number of targets)`` per organisation.

    >>> summarise([([1, 30], 2), ([], 1), ([7], 1)]).as_dict()
    {'n': 3, 'hits@5': 0.333..., 'hits@10': 0.666..., 'mrr': 0.380..., 'recall@20': 0.5}
    """
    n = len(results)
    if n == 0:
        return RankStats(0, 0.0, 0.0, 0.0, 0.0)
    hits5 = sum(1 for r, _ in results if r and r[0] <= 5) / n
    hits10 = sum(1 for r, _ in results if r and r[0] <= 10) / n
    mrr = sum(1.0 / r[0] for r, _ in results if r) / n
    recall = sum((sum(1 for x in r if x <= 20) / t) if t else 0.0 for r, t in results) / n
    return RankStats(n, hits5, hits10, mrr, recall)
