"""The combined partner score: documented, tunable weights over scaled components.

Each component is first scaled to [0, 1] over the candidates of one request (divided by
its largest value there), then the score is the weighted sum with weights that add up
to 1. Components that cannot exist for a request (network proximity for a newcomer
without projects) are left out and the remaining weights rescaled, so a score is always
read the same way: 1 would be the best candidate on every component.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from graphsvc.errors import InvalidInput

__all__ = [
    "Weights", "PARTS", "NEWCOMER_PARTS", "as_weights", "scale", "combine", "DEFAULT_WEIGHTS",
    "NEWCOMER_WEIGHTS", "defaults_for",
]


@dataclass(frozen=True)
class Weights:
    """Weights of the components of the partner score (any non-negative numbers;
    they are rescaled to add up to 1).

    Attributes
    ----------
    resource_allocation : float
        Shared partners, each counting ``1/its number of partners`` (2 hops).
    adamic_adar : float
        Shared partners, each counting ``1/log(its number of partners)`` (2 hops), on
        a log scale: ``log(1 + index)``.
    shared_projects : float
        Shared partners weighted by tie strength, ``log(1 + Σ_z w(org, z) w(z, v))``
        with ``w`` the number of projects two organisations shared.
    paths : float
        Katz index truncated to 2 and 3 hops: partners of partners of partners.
    topics : float
        TF-IDF cosine over project topics, keywords and capacity topics.
    complementarity : float
        Capacities offered on topics the other side needs, both ways.
    bridging : float
        The tie would reach a community the organisation has few ties into.
    activity : float
        How active the candidate is: log of its number of projects (so far).
    country_ties : float
        How many partners the candidate already has in the organisation's country,
        ``log(1 + count)``: organisations used to working with that country.

    Examples
    --------
    >>> w = Weights.from_mapping({"resource_allocation": 2, "topics": 2})
    >>> w.normalised().resource_allocation
    0.5
    >>> Weights.from_mapping({"topics": 1}).topics
    1.0
    """

    # Learned from history (graphsvc.evaluate.fit_weights: a listwise log-linear model
    # on every Spanish and French organisation's new partners abroad in 2023, from the
    # projects up to 2022; docs/algorithms.md), an earlier split than the one reported.
    # Set by choice, not learned: complementarity (CORDIS has no capacities or needs to
    # learn it from) and bridging (joining separate communities is a goal of the
    # partnership, not a predictor of who partners next).
    resource_allocation: float = 0.038
    adamic_adar: float = 0.089
    shared_projects: float = 0.062
    paths: float = 0.0
    topics: float = 0.213
    complementarity: float = 0.15
    bridging: float = 0.05
    activity: float = 0.187
    country_ties: float = 0.211

    def __post_init__(self) -> None:
        bad = [f.name for f in fields(self) if not (float(getattr(self, f.name)) >= 0.0)]
        if bad:
            raise InvalidInput(f"weights must be non-negative numbers: {', '.join(bad)}", field="weights")

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}

    def normalised(self, parts: Iterable[str] | None = None) -> Weights:
        """These weights rescaled to add up to 1 over ``parts`` (the others set to 0)."""
        keep = set(PARTS if parts is None else parts)
        raw = {k: (v if k in keep else 0.0) for k, v in self.as_dict().items()}
        total = sum(raw.values())
        if total <= 0:
            return replace(self, **{k: 0.0 for k in raw})
        return replace(self, **{k: v / total for k, v in raw.items()})

    @classmethod
    def from_mapping(cls, values: Mapping[str, float] | None) -> Weights:
        """Weights from a mapping; unnamed components get weight 0 when any is named.

        An empty or missing mapping gives the default weights.
        """
        if not values:
            return cls()
        unknown = sorted(set(values) - set(PARTS))
        if unknown:
            raise InvalidInput(f"unknown score components: {', '.join(unknown)}", field="weights")
        try:
            return cls(**{k: float(values.get(k, 0.0)) for k in PARTS})
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"weights must be numbers: {exc}", field="weights") from exc


PARTS: tuple[str, ...] = tuple(f.name for f in fields(Weights))
# The parts a newcomer can have (no ties needed); the others need ties.
NEWCOMER_PARTS: tuple[str, ...] = ("topics", "complementarity", "activity")
DEFAULT_WEIGHTS = Weights()
# A newcomer has no ties: only topics, complementarity and activity count, with their
# own learned balance (graphsvc.evaluate.fit_weights(..., newcomers=True), same split).
NEWCOMER_WEIGHTS = Weights.from_mapping({"topics": 0.332, "complementarity": 0.15, "activity": 0.518})


def as_weights(weights: Weights | Mapping[str, float] | None) -> Weights:
    """``weights`` as a :class:`Weights` (a mapping or None through :meth:`Weights.from_mapping`).

    >>> as_weights(None) == DEFAULT_WEIGHTS, as_weights({"topics": 1}).topics
    (True, 1.0)
    """
    return weights if isinstance(weights, Weights) else Weights.from_mapping(weights)


def defaults_for(newcomer: bool, weights: Weights | Mapping[str, float] | None) -> Weights:
    """The weights a request uses: the weights given, else the defaults for its kind
    (the newcomer defaults for a newcomer).

    >>> defaults_for(True, None) == NEWCOMER_WEIGHTS, defaults_for(False, None) == DEFAULT_WEIGHTS
    (True, True)

    Weights given are used as given, even when they equal the defaults:

    >>> defaults_for(True, DEFAULT_WEIGHTS) == DEFAULT_WEIGHTS
    True
    """
    if weights is None:
        return NEWCOMER_WEIGHTS if newcomer else DEFAULT_WEIGHTS
    return as_weights(weights)


def scale(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``values`` divided by their maximum over ``mask`` (zeros outside it, and
    everywhere when that maximum is not positive).

    >>> scale(np.array([2.0, 4.0, 8.0]), np.array([True, True, False])).tolist()
    [0.5, 1.0, 0.0]
    """
    out = np.zeros_like(values, dtype=np.float64)
    if not mask.any():
        return out
    top = float(values[mask].max())
    if top > 0:
        out[mask] = values[mask] / top
    return out


def combine(parts: Mapping[str, np.ndarray], weights: Weights) -> np.ndarray:
    """The weighted sum of scaled components (weights rescaled over the parts given).

    >>> combine({"topics": np.array([1.0, 0.5]), "activity": np.array([0.0, 1.0])},
    ...         Weights(topics=3, activity=1, resource_allocation=0, paths=0,
    ...                 complementarity=0, bridging=0)).tolist()
    [0.75, 0.625]
    """
    w = weights.normalised(parts.keys()).as_dict()
    n = len(next(iter(parts.values()))) if parts else 0
    total = np.zeros(n, dtype=np.float64)
    for name, values in parts.items():
        if w[name]:
            total += w[name] * values
    return total
