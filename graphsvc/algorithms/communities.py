"""Communities (seeded Louvain) and the bridging value of a new tie.

Louvain is run with a fixed seed so the same graph always gives the same split.
On a large co-participation graph most organisations took part in a single project
and sit inside that project's clique: Louvain can then run on a *core* (for instance
the organisations with two projects or more) and every other node joins the community
its ties weigh most in, which gives the same answer for them at a fraction of the cost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from graphsvc.algorithms.sparse import SparseGraph

__all__ = ["louvain", "louvain_sparse", "bridging_value", "bridging_scores", "group_bridging_scores",
           "community_array"]

DEFAULT_SEED = 42


def _order(groups: Iterable[set[Hashable]]) -> list[set[Hashable]]:
    return sorted((set(c) for c in groups), key=lambda c: (-len(c), min(str(n) for n in c)))


def louvain(
    g: nx.Graph,
    *,
    seed: int = DEFAULT_SEED,
    weight: str | None = "weight",
    resolution: float = 1.0,
    core: Iterable[Hashable] | None = None,
) -> dict[Hashable, int]:
    """Louvain communities with a fixed seed, as ``{node: community number}``.

    Communities are numbered from 0 by decreasing size (ties by their smallest member),
    so that the numbers are stable for a given graph.

    Parameters
    ----------
    g : networkx.Graph
        Undirected, optionally weighted.
    seed : int
        Seed of Louvain's node order.
    weight : str or None
        Edge attribute holding the weight.
    resolution : float
        Above 1 favours smaller communities.
    core : iterable of nodes, optional
        Run Louvain on the subgraph of these nodes only; every other node then joins the
        community its edges into the core weigh most in (ties: the lower number), or a
        community of its own connected component when it has no edge into the core.

    Returns
    -------
    dict node -> int

    Examples
    --------
    Two triangles joined by one edge split into the two triangles:

    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> parts = louvain(g)
    >>> sorted(sorted(n for n in parts if parts[n] == c) for c in set(parts.values()))
    [[1, 2, 3], [4, 5, 6]]
    """
    core_set = set(g.nodes) if core is None else set(core) & set(g.nodes)
    sub = g.subgraph(core_set) if core is not None else g
    groups = nx.community.louvain_communities(sub, weight=weight, resolution=resolution, seed=seed)
    label: dict[Hashable, int] = {}
    for i, c in enumerate(_order(groups)):
        for n in c:
            label[n] = i
    if core is None:
        return label
    rest = [n for n in g.nodes if n not in label]
    pending: list[Hashable] = []
    for n in rest:
        votes: dict[int, float] = defaultdict(float)
        for nb, data in g[n].items():
            if nb in core_set:
                votes[label[nb]] += float(data.get(weight, 1.0)) if weight else 1.0
        if votes:
            best = max(votes.items(), key=lambda kv: (kv[1], -kv[0]))
            label[n] = best[0]
        else:
            pending.append(n)
    # Nodes with no tie to the core: one community per connected piece of them.
    nxt = max(label.values(), default=-1) + 1
    leftovers = _order(nx.connected_components(g.subgraph(pending)))
    for i, c in enumerate(leftovers):
        for n in c:
            label[n] = nxt + i
    return label


def louvain_sparse(
    sg: SparseGraph,
    *,
    seed: int = DEFAULT_SEED,
    resolution: float = 1.0,
    core: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`louvain` on a :class:`SparseGraph` (weighted), one community per row.

    Same numbering and the same core rule as :func:`louvain`; the attachment of the
    nodes outside the core is done with one sparse product instead of a Python loop.

    Parameters
    ----------
    sg : SparseGraph
    seed : int
    resolution : float
    core : boolean array over rows, optional

    Returns
    -------
    numpy array of int, the community of each row

    Examples
    --------
    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges([1, 2, 3, 4, 5, 6, 7], [(1, 2, 1), (2, 3, 1), (1, 3, 1), (4, 5, 1),
    ...                  (5, 6, 1), (4, 6, 1), (3, 4, 1), (6, 7, 1)])
    >>> louvain_sparse(sg, core=np.array([True] * 6 + [False])).tolist()
    [0, 0, 0, 1, 1, 1, 1]
    """
    n = len(sg)
    mask = np.ones(n, dtype=bool) if core is None else np.asarray(core, dtype=bool)
    core_idx = np.flatnonzero(mask)
    sub = sg.matrix[core_idx][:, core_idx]
    g = nx.from_scipy_sparse_array(sub, edge_attribute="weight")
    groups = nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=seed)
    label = np.full(n, -1, dtype=np.int64)
    # Number by size, ties by the smallest row: stable for a given graph.
    for i, c in enumerate(sorted((sorted(core_idx[list(c)]) for c in groups), key=lambda c: (-len(c), c[0]))):
        label[np.asarray(c, dtype=np.int64)] = i
    rest = np.flatnonzero(~mask)
    if rest.size:
        k = int(label.max()) + 1 if core_idx.size else 0
        if k:
            onehot = sp.csr_array(
                (np.ones(core_idx.size), (core_idx, label[core_idx])), shape=(n, k)
            )
            votes = (sg.matrix[rest] @ onehot).toarray()
            has = votes.max(axis=1) > 0
            label[rest[has]] = votes[has].argmax(axis=1)  # argmax: the lower number on ties
        pending = rest[label[rest] < 0]
        if pending.size:
            piece = sg.matrix[pending][:, pending]
            _, comp = csgraph.connected_components(piece, directed=False)
            start = int(label.max()) + 1
            # Number the leftover pieces by size, then by their first row.
            sizes = np.bincount(comp)
            first = np.full(sizes.size, n, dtype=np.int64)
            np.minimum.at(first, comp, pending)
            order = sorted(range(sizes.size), key=lambda c: (-sizes[c], first[c]))
            rank = np.empty(sizes.size, dtype=np.int64)
            rank[order] = np.arange(sizes.size)
            label[pending] = start + rank[comp]
    return label


def community_array(sg: SparseGraph, labels: Mapping[Hashable, int]) -> np.ndarray:
    """The community of each row of ``sg`` (-1 when unknown).

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> community_array(from_edges("ab", [("a", "b", 1)]), {"a": 3}).tolist()
    [3, -1]
    """
    return np.array([labels.get(n, -1) for n in sg.nodes], dtype=np.int64)


def bridging_value(g: nx.Graph, communities: Mapping[Hashable, int], u: Hashable, v: Hashable,
                   weight: str | None = "weight") -> float:
    """How much a new tie ``u``–``v`` would join separate communities.

    One minus the share of ``u``'s ties (by weight) that already reach ``v``'s
    community: 1 when ``u`` has no tie there, 0 when all its ties are there. A tie to or
    from an isolated node bridges nothing (0).

    Parameters
    ----------
    g : networkx.Graph
    communities : mapping node -> community
    u, v : nodes

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    ``3`` has two ties in its own triangle and one to the other; a tie to ``6`` reaches
    the other triangle, where a third of its ties already go:

    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> c = louvain(g)
    >>> round(bridging_value(g, c, 3, 6), 3), bridging_value(g, c, 1, 2)
    (0.667, 0.0)
    """
    if g.degree(u) == 0 or g.degree(v) == 0:
        return 0.0
    target = communities.get(v)
    total = 0.0
    inside = 0.0
    for nb, data in g[u].items():
        w = float(data.get(weight, 1.0)) if weight else 1.0
        total += w
        if communities.get(nb) == target:
            inside += w
    return 1.0 - inside / total if total else 0.0


def bridging_scores(sg: SparseGraph, community: np.ndarray, source: int) -> np.ndarray:
    """Vectorised :func:`bridging_value` of ``source`` with every row.

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges([1, 2, 3, 4, 5, 6], [(1, 2, 1), (2, 3, 1), (1, 3, 1), (4, 5, 1), (5, 6, 1), (4, 6, 1), (3, 4, 1)])
    >>> bridging_scores(sg, np.array([0, 0, 0, 1, 1, 1]), 2).round(3).tolist()
    [0.333, 0.333, 0.333, 0.667, 0.667, 0.667]
    """
    return group_bridging_scores(sg, community, sg.row(source, binary=False))


def group_bridging_scores(sg: SparseGraph, community: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """:func:`bridging_scores` of a group of nodes taken as one (an umbrella organisation
    and its members), from the group's tie weight to every node (``weights``, 0 on the
    group itself): one minus the share of the group's ties already in each row's
    community. With one node's row of weights it equals :func:`bridging_scores`.

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges([1, 2, 3, 4, 5, 6], [(1, 2, 1), (2, 3, 1), (1, 3, 1), (4, 5, 1), (5, 6, 1), (4, 6, 1), (3, 4, 1)])
    >>> c = np.array([0, 0, 0, 1, 1, 1])
    >>> bool(np.allclose(group_bridging_scores(sg, c, sg.row(2, binary=False)), bridging_scores(sg, c, 2)))
    True
    >>> group_bridging_scores(sg, c, np.array([0, 0, 0, 3.0, 0, 1.0])).round(3).tolist()
    [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    """
    n = len(sg)
    out = np.zeros(n, dtype=np.float64)
    nbrs = np.flatnonzero(weights > 0)
    total = float(weights[nbrs].sum())
    if not total:
        return out
    deg = sg.degree()
    comm = community[nbrs]
    known = comm >= 0
    size = int(community.max()) + 1 if community.size and community.max() >= 0 else 0
    share = np.bincount(comm[known], weights=weights[nbrs][known], minlength=size) / total if size else np.zeros(0)
    has = (community >= 0) & (deg > 0)
    out[has] = 1.0 - share[community[has]]
    out[(community < 0) & (deg > 0)] = 1.0
    return out
