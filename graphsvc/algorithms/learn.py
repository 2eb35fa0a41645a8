"""Learning the weights of the partner score from history (a listwise ranking model).

The partner score is a weighted sum of components, ``s(v) = Σ_k w_k x_k(v)``. Read as a
log-linear model, the probability that candidate ``v`` is the organisation's next
partner is ``exp(s(v)) / Σ_c exp(s(c))`` over the candidates ``c`` of the request.
:func:`fit_listwise` finds non-negative weights maximising, over many past requests,
the log-probability of the partners that actually came next (all of them together:
``log Σ_{t∈targets} p(t)``), with an L2 penalty. That objective ranks the set of true
partners high, which is what MRR and Hits@k reward; ranking by ``s`` is unchanged when
the weights are rescaled, so the result is normalised to add up to 1.

Requests with tens of thousands of candidates may be subsampled: keep every target and
every candidate worth ranking, draw some of the others, and give each drawn candidate
the weight ``(number it stands for) / (number drawn)`` in the denominator
(:func:`subsample`), an unbiased estimate of the full sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

__all__ = ["Group", "fit_listwise", "listwise_loss", "subsample"]


@dataclass(frozen=True, eq=False)
class Group:
    """One past request: candidate features, which rows were the true partners, and
    how many candidates each row stands for (1 unless subsampled)."""

    features: np.ndarray  # candidates x components
    targets: np.ndarray  # row indices into features
    counts: np.ndarray | None = None


def listwise_loss(weights: np.ndarray, groups: Sequence[Group], l2: float = 0.0) -> tuple[float, np.ndarray]:
    """Mean negative log-probability of the targets, plus ``l2 * |w|²``, and its gradient.

    >>> g = Group(np.array([[1.0], [0.0]]), np.array([0]))
    >>> round(listwise_loss(np.array([0.0]), [g])[0], 4)  # two equal candidates: log 2
    0.6931
    >>> listwise_loss(np.array([2.0]), [g])[0] < listwise_loss(np.array([0.0]), [g])[0]
    True
    """
    loss = 0.0
    grad = np.zeros_like(weights, dtype=np.float64)
    for g in groups:
        x = g.features
        s = x @ weights
        e = np.exp(s - s.max())
        ew = e if g.counts is None else e * g.counts
        total = ew.sum()
        et = e[g.targets]
        hit = et.sum()
        loss -= float(np.log(hit) - np.log(total))
        grad -= x[g.targets].T @ (et / hit) - x.T @ (ew / total)
    n = max(len(groups), 1)
    return loss / n + l2 * float(weights @ weights), grad / n + 2.0 * l2 * weights


def fit_listwise(groups: Sequence[Group], l2: float = 1e-3) -> np.ndarray:
    """Non-negative weights (adding up to 1) that rank each group's targets first, as
    well as one weight vector can (each component only ever adds to a score).

    Parameters
    ----------
    groups : sequence of Group
        Past requests, all with the same components (columns) in the same order.
    l2 : float
        Penalty on the squared weights before normalisation (keeps them finite when one
        component alone separates the training data).

    Examples
    --------
    The first component marks the targets, the second is noise: it gets little weight.

    >>> rng = np.random.default_rng(1)
    >>> gs = []
    >>> for _ in range(30):
    ...     x = rng.random((20, 2))
    ...     x[:3, 0] += 1.0
    ...     gs.append(Group(x, np.arange(3)))
    >>> w = fit_listwise(gs)
    >>> bool(w[0] > 0.8 and abs(w.sum() - 1) < 1e-9)
    True
    """
    if not groups:
        raise ValueError("no groups to learn from")
    d = groups[0].features.shape[1]
    res = minimize(
        listwise_loss,
        np.full(d, 1.0 / d),
        args=(groups, l2),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, None)] * d,
    )
    w = np.asarray(res.x, dtype=np.float64)
    total = w.sum()
    return w / total if total > 0 else np.full(d, 1.0 / d)


def subsample(
    keep: np.ndarray, size: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Rows to train on and how many candidates each stands for.

    ``keep`` marks the rows always kept (targets, candidates with any signal); at most
    ``size`` of the others are drawn without replacement, each standing for
    ``others / drawn`` candidates.

    >>> rows, counts = subsample(np.array([True, False, False, False]), 1, np.random.default_rng(0))
    >>> len(rows), counts.tolist()
    (2, [1.0, 3.0])
    """
    kept = np.flatnonzero(keep)
    rest = np.flatnonzero(~keep)
    if len(rest) <= size:
        return np.arange(len(keep)), np.ones(len(keep))
    drawn = np.sort(rng.choice(rest, size=size, replace=False))
    rows = np.concatenate([kept, drawn])
    counts = np.concatenate([np.ones(len(kept)), np.full(len(drawn), len(rest) / size)])
    return rows, counts
