"""Complementarity: one side offers capacities on topics the other side needs.

Similarity finds organisations that do the same things; complementarity finds the
ones that fill a gap. The score of a pair counts the topics the candidate offers that
the organisation needs, plus the topics the organisation offers that the candidate
needs: a tie useful both ways scores on both terms.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import numpy as np
import scipy.sparse as sp

__all__ = ["complementarity", "complementarity_scores", "matches"]


def complementarity(
    offers: Mapping[Hashable, Iterable[Hashable]],
    needs: Mapping[Hashable, Iterable[Hashable]],
    source: Hashable,
    *,
    source_offers: Iterable[Hashable] | None = None,
    source_needs: Iterable[Hashable] | None = None,
) -> dict[Hashable, int]:
    """Complementarity of ``source`` with every other node.

    Parameters
    ----------
    offers, needs : mapping node -> topics
        The topics each node's capacities cover, and the topics each node needs.
    source : node
        The organisation (may be absent from both mappings, e.g. a newcomer).
    source_offers, source_needs : iterable of topics, optional
        Override the source's own offers and needs (a newcomer's described need).

    Returns
    -------
    dict node -> number of complementary topics (both directions), source excluded

    Examples
    --------
    ``b`` offers the ``film`` the source needs; the source offers the ``ai`` that ``c``
    needs and ``c`` offers its ``film`` too.

    >>> offers = {"a": {"ai"}, "b": {"film"}, "c": {"film"}}
    >>> needs = {"a": {"film"}, "c": {"ai"}}
    >>> complementarity(offers, needs, "a")
    {'b': 1, 'c': 2}
    """
    mine_offers = set(source_offers if source_offers is not None else offers.get(source, ()))
    mine_needs = set(source_needs if source_needs is not None else needs.get(source, ()))
    nodes = sorted(set(offers) | set(needs), key=str)
    return {
        n: len(mine_needs & set(offers.get(n, ()))) + len(mine_offers & set(needs.get(n, ())))
        for n in nodes
        if n != source
    }


def complementarity_scores(
    offers: sp.csr_array, needs: sp.csr_array, source_offers: np.ndarray, source_needs: np.ndarray
) -> np.ndarray:
    """Vectorised complementarity: ``offers · source_needs + needs · source_offers``.

    ``offers`` and ``needs`` are binary nodes × topics matrices; the source vectors are
    binary over topics.

    >>> offers = sp.csr_array(np.array([[1, 0], [0, 1], [0, 1]], dtype=float))
    >>> needs = sp.csr_array(np.array([[0, 1], [0, 0], [1, 0]], dtype=float))
    >>> complementarity_scores(offers, needs, offers[[0], :].toarray().ravel(), needs[[0], :].toarray().ravel()).tolist()
    [0.0, 1.0, 2.0]
    """
    return np.asarray(offers @ source_needs + needs @ source_offers, dtype=np.float64).ravel()


def matches(
    offered: Iterable[Hashable], needed: Iterable[Hashable]
) -> list[Hashable]:
    """The needed topics that are offered, in the order of ``needed``.

    >>> matches({"film", "ai"}, ["ai", "health"])
    ['ai']
    """
    got = set(offered)
    return [t for t in needed if t in got]
