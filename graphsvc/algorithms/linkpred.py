"""Network proximity for link prediction on the co-participation graph.

The classic measures have two forms: a networkx form on node pairs, which states the
definition and serves small graphs and tests, and a vectorised form (``*_scores``) that
scores one source against every node of a :class:`~graphsvc.algorithms.sparse.SparseGraph`
at once. :func:`group_proximity_scores` scores a *group* of nodes (an umbrella organisation
and its members) as one node: the group contracted into a single node. Both ignore edge weights: two organisations that shared five projects are
neighbours once, as in the usual definitions (Zhou, Lü and Zhang 2009; Adamic and Adar
2003). :func:`shared_project_scores` is the one that counts the projects of each tie
(vectorised only), and :func:`partner_counts_in` counts partners in a set of rows.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np
import scipy.sparse.linalg as spla

from graphsvc.algorithms.sparse import SparseGraph, from_networkx

__all__ = [
    "resource_allocation",
    "adamic_adar",
    "common_neighbours",
    "path_score",
    "resource_allocation_scores",
    "adamic_adar_scores",
    "common_neighbour_scores",
    "shared_project_scores",
    "partner_counts_in",
    "path_scores",
    "spectral_radius",
    "proximity_scores",
    "group_tie_weights",
    "group_proximity_scores",
]

Pair = tuple[Hashable, Hashable]


def _pairs(g: nx.Graph, pairs: Iterable[Pair] | None) -> Iterable[Pair]:
    if pairs is not None:
        return pairs
    return nx.non_edges(g)


def resource_allocation(g: nx.Graph, pairs: Iterable[Pair] | None = None) -> list[tuple[Hashable, Hashable, float]]:
    """Resource allocation index: the sum of ``1/deg(z)`` over common neighbours ``z``.

    Parameters
    ----------
    g : networkx.Graph
        Undirected graph.
    pairs : iterable of (u, v), optional
        The pairs to score; every non-edge when omitted.

    Returns
    -------
    list of (u, v, score)

    Examples
    --------
    ``a`` and ``d`` share ``b`` (degree 3) and ``c`` (degree 2): 1/3 + 1/2.

    >>> g = nx.Graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("b", "e")])
    >>> [round(s, 4) for _, _, s in resource_allocation(g, [("a", "d")])]
    [0.8333]
    """
    return [
        (u, v, sum(1.0 / g.degree(z) for z in nx.common_neighbors(g, u, v))) for u, v in _pairs(g, pairs)
    ]


def adamic_adar(g: nx.Graph, pairs: Iterable[Pair] | None = None) -> list[tuple[Hashable, Hashable, float]]:
    """Adamic–Adar index: the sum of ``1/log(deg(z))`` over common neighbours ``z``.

    Parameters
    ----------
    g : networkx.Graph
        Undirected graph.
    pairs : iterable of (u, v), optional
        The pairs to score; every non-edge when omitted.

    Returns
    -------
    list of (u, v, score)

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("b", "e")])
    >>> [round(s, 4) for _, _, s in adamic_adar(g, [("a", "d")])]
    [2.3529]
    """
    return [
        (u, v, sum(1.0 / math.log(g.degree(z)) for z in nx.common_neighbors(g, u, v)))
        for u, v in _pairs(g, pairs)
    ]


def common_neighbours(g: nx.Graph, pairs: Iterable[Pair] | None = None) -> list[tuple[Hashable, Hashable, int]]:
    """The number of common neighbours of each pair.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    >>> common_neighbours(g, [("a", "d"), ("b", "c")])
    [('a', 'd', 2), ('b', 'c', 2)]
    """
    return [(u, v, len(list(nx.common_neighbors(g, u, v)))) for u, v in _pairs(g, pairs)]


def path_score(
    g: nx.Graph, pairs: Iterable[Pair] | None = None, beta: float | None = None
) -> list[tuple[Hashable, Hashable, float]]:
    """A Katz index truncated to two and three hops: ``beta² A² + beta³ A³``.

    Counts the walks of length 2 and 3 between the two nodes, the longer ones damped by
    ``beta``. With ``beta`` omitted it is ``0.5 / λmax`` (half the largest damping for
    which the full Katz series converges), so that three-hop walks count, but less.

    Parameters
    ----------
    g : networkx.Graph
        Undirected graph; weights ignored.
    pairs : iterable of (u, v), optional
        The pairs to score; every non-edge when omitted.
    beta : float, optional
        The damping per extra hop.

    Examples
    --------
    On a path ``a - b - c - d``: ``a`` and ``c`` share one 2-walk; ``a`` and ``d`` only
    have one 3-walk.

    >>> g = nx.path_graph(["a", "b", "c", "d"])
    >>> [(u, v, round(s, 3)) for u, v, s in path_score(g, [("a", "c"), ("a", "d")], beta=0.5)]
    [('a', 'c', 0.25), ('a', 'd', 0.125)]
    """
    sg = from_networkx(g, weight=None)
    out = []
    rows: dict[int, np.ndarray] = {}
    for u, v in _pairs(g, pairs):
        i = sg.index[u]
        if i not in rows:
            rows[i] = path_scores(sg, i, beta)
        out.append((u, v, float(rows[i][sg.index[v]])))
    return out


# -- vectorised forms: one source against every node -----------------------------------


def _inverse(values: np.ndarray, fn: str) -> np.ndarray:
    out = np.zeros_like(values, dtype=np.float64)
    if fn == "inverse":
        mask = values > 0
        out[mask] = 1.0 / values[mask]
    else:  # 1 / log(deg): a common neighbour has degree >= 2, so log > 0
        mask = values > 1
        out[mask] = 1.0 / np.log(values[mask])
    return out


def _weights(sg: SparseGraph, fn: str) -> np.ndarray:
    return sg.cached(f"inv-{fn}", lambda: _inverse(sg.degree().astype(np.float64), fn))


def resource_allocation_scores(sg: SparseGraph, source: int) -> np.ndarray:
    """Resource allocation index of ``source`` with every node (vector over rows).

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges("abcde", [("a", "b", 1), ("a", "c", 1), ("b", "d", 1), ("c", "d", 1), ("b", "e", 1)])
    >>> round(float(resource_allocation_scores(sg, 0)[3]), 4)
    0.8333
    """
    return sg.binary @ (sg.row(source) * _weights(sg, "inverse"))


def adamic_adar_scores(sg: SparseGraph, source: int) -> np.ndarray:
    """Adamic–Adar index of ``source`` with every node (vector over rows).

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges("abcde", [("a", "b", 1), ("a", "c", 1), ("b", "d", 1), ("c", "d", 1), ("b", "e", 1)])
    >>> round(float(adamic_adar_scores(sg, 0)[3]), 4)
    2.3529
    """
    return sg.binary @ (sg.row(source) * _weights(sg, "log"))


def common_neighbour_scores(sg: SparseGraph, source: int) -> np.ndarray:
    """Number of common neighbours of ``source`` with every node.

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> common_neighbour_scores(from_edges("abc", [("a", "b", 1), ("b", "c", 1)]), 0).tolist()
    [1.0, 0.0, 1.0]
    """
    return sg.binary @ sg.row(source)


def shared_project_scores(sg: SparseGraph, source: int) -> np.ndarray:
    """Common neighbours weighted by tie strength: the sum over shared partners ``z`` of
    ``w(source, z) * w(z, v)`` (with co-participation weights, the number of project
    pairs linking the two through ``z``).

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> shared_project_scores(from_edges("abc", [("a", "b", 2), ("b", "c", 3)]), 0).tolist()
    [4.0, 0.0, 6.0]
    """
    return sg.matrix @ sg.row(source, binary=False)


def partner_counts_in(sg: SparseGraph, members: np.ndarray) -> np.ndarray:
    """How many neighbours of each node are in ``members`` (a boolean mask over nodes).

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges("abcd", [("a", "b", 1), ("a", "c", 1), ("d", "b", 1)])
    >>> partner_counts_in(sg, np.array([False, True, True, False])).tolist()
    [2.0, 0.0, 0.0, 1.0]
    """
    return sg.binary @ members.astype(np.float64)


def spectral_radius(sg: SparseGraph) -> float:
    """The largest eigenvalue of the binary adjacency (1.0 for an empty graph).

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> round(spectral_radius(from_edges("ab", [("a", "b", 1)])), 6)
    1.0
    """

    def compute() -> float:
        n = len(sg)
        if n == 0 or sg.matrix.nnz == 0:
            return 1.0
        if n < 3:
            return float(np.max(np.abs(np.linalg.eigvalsh(sg.binary.toarray()))))
        # A deterministic start vector keeps the result identical from run to run.
        v0 = np.ones(n) / math.sqrt(n)
        val = spla.eigsh(sg.binary.astype(np.float64), k=1, which="LA", v0=v0, return_eigenvectors=False)
        return max(float(val[0]), 1.0)

    return float(sg.cached("lambda_max", compute))


def path_scores(sg: SparseGraph, source: int, beta: float | None = None) -> np.ndarray:
    """Katz index truncated to two and three hops, ``beta² A² + beta³ A³``, from ``source``.

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges("abcd", [("a", "b", 1), ("b", "c", 1), ("c", "d", 1)])
    >>> path_scores(sg, 0, beta=0.5).round(3).tolist()
    [0.25, 0.25, 0.25, 0.125]
    """
    if beta is None:
        beta = 0.5 / spectral_radius(sg)
    a = sg.binary
    walk2 = a @ sg.row(source)
    walk3 = a @ walk2
    return beta**2 * walk2 + beta**3 * walk3


def proximity_scores(sg: SparseGraph, source: int, beta: float | None = None) -> dict[str, np.ndarray]:
    """Resource allocation, Adamic–Adar, common neighbours, shared projects
    (:func:`shared_project_scores`) and the path score of ``source`` with every node,
    from three passes over the matrix instead of six.

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges("abcde", [("a", "b", 1), ("a", "c", 1), ("b", "d", 1), ("c", "d", 1), ("b", "e", 1)])
    >>> p = proximity_scores(sg, 0, beta=0.5)
    >>> round(float(p["resource_allocation"][3]), 4), float(p["common_neighbours"][3])
    (0.8333, 2.0)
    >>> bool(np.allclose(p["paths"], path_scores(sg, 0, beta=0.5)))
    True
    >>> bool(np.allclose(p["shared_projects"], shared_project_scores(sg, 0)))
    True
    """
    if beta is None:
        beta = 0.5 / spectral_radius(sg)
    row = sg.row(source)
    block = np.column_stack([row * _weights(sg, "inverse"), row * _weights(sg, "log"), row])
    out = sg.binary @ block
    walk2 = np.ascontiguousarray(out[:, 2])
    walk3 = sg.binary @ walk2
    return {
        "resource_allocation": np.ascontiguousarray(out[:, 0]),
        "adamic_adar": np.ascontiguousarray(out[:, 1]),
        "common_neighbours": walk2,
        "shared_projects": shared_project_scores(sg, source),
        "paths": beta**2 * walk2 + beta**3 * walk3,
    }


# -- a group of nodes as one: an umbrella organisation and its members ----------------------


def group_tie_weights(sg: SparseGraph, group: Iterable[int]) -> np.ndarray:
    """The group's tie weight to every node: the sum of its members' rows, 0 on the group.

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges("abcd", [("a", "c", 2), ("b", "c", 1), ("b", "d", 1), ("a", "b", 5)])
    >>> group_tie_weights(sg, [0, 1]).tolist()
    [0.0, 0.0, 3.0, 1.0]
    """
    rows = np.unique(np.asarray(list(group), dtype=np.int64))
    out = np.asarray(sg.matrix[rows].sum(axis=0)).ravel().astype(np.float64)
    out[rows] = 0.0
    return out


def group_proximity_scores(
    sg: SparseGraph, group: Iterable[int], weights: np.ndarray | None = None, beta: float | None = None
) -> dict[str, np.ndarray]:
    """:func:`proximity_scores` of a group of nodes taken as one node.

    The group is contracted into a single node whose neighbours are the union of its
    members' neighbours outside the group (ties inside the group disappear). A shared
    partner ``z`` then has the degree it has in the contracted graph: its ties to the
    group's members count as one. Resource allocation, Adamic–Adar, common neighbours and
    the path score are those of the contracted node; shared projects is
    ``sum_z weights[z] * w(z, v)``. For a group of one node every score equals
    :func:`proximity_scores` outside that node. The group's own rows are 0.

    Parameters
    ----------
    sg : SparseGraph
    group : iterable of int
        The rows of the group's nodes.
    weights : numpy array, optional
        The group's tie weight to every node (for organisations, the number of distinct
        projects the group shares with it); default :func:`group_tie_weights`.
    beta : float, optional
        Damping of the path score; default ``0.5 / λmax`` of ``sg`` (not of the
        contracted graph, so that the scale is the same as for any single node).

    Returns
    -------
    dict of name -> numpy array over rows

    Examples
    --------
    ``a`` and ``b`` form the group; ``c`` is a partner of both (degree 3: ``a``, ``b``,
    ``e``; 2 once the group is one node), ``d`` a partner of ``b`` only (degree 2). ``e``
    is reached through ``c`` and ``d``:

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges("abcde", [("a", "c", 1), ("b", "c", 1), ("b", "d", 1), ("c", "e", 1), ("d", "e", 1)])
    >>> p = group_proximity_scores(sg, [0, 1], beta=0.5)
    >>> float(p["resource_allocation"][4]), float(p["common_neighbours"][4]), float(p["shared_projects"][4])
    (1.0, 2.0, 3.0)
    >>> bool(np.allclose(group_proximity_scores(sg, [2])["adamic_adar"][[0, 1, 3, 4]],
    ...                  proximity_scores(sg, 2)["adamic_adar"][[0, 1, 3, 4]]))
    True
    """
    rows = np.unique(np.asarray(list(group), dtype=np.int64))
    if beta is None:
        beta = 0.5 / spectral_radius(sg)
    a = sg.binary
    # How many of the group's nodes each node is tied to; the contracted node's row.
    touching = np.asarray(a[rows].sum(axis=0)).ravel()
    touching[rows] = 0.0
    row = (touching > 0).astype(np.float64)
    if weights is None:
        weights = group_tie_weights(sg, rows)
    weights = np.where(row > 0, weights, 0.0)
    degree = sg.degree().astype(np.float64) - touching + row
    block = np.column_stack([row * _inverse(degree, "inverse"), row * _inverse(degree, "log"), row])
    out = a @ block
    walk2 = np.ascontiguousarray(out[:, 2])
    walk2[rows] = 0.0
    # Walks group -> z -> group -> v: the contracted node's own 2-walks back to itself.
    walk3 = a @ walk2 + row.sum() * row
    scores = {
        "resource_allocation": np.ascontiguousarray(out[:, 0]),
        "adamic_adar": np.ascontiguousarray(out[:, 1]),
        "common_neighbours": walk2,
        "shared_projects": sg.matrix @ weights,
        "paths": beta**2 * walk2 + beta**3 * walk3,
    }
    for v in scores.values():
        v[rows] = 0.0
    return scores
