"""Centralities for sizing, and graceful reduction of selections too large to draw.

A browser draws a still 2,000-node map without trouble; beyond ``max_nodes`` a map
keeps only the most central organisations (``top``) or draws one node per community
(``community``), and says so in a note rather than freezing the page.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

import networkx as nx

__all__ = ["edge_backbone", "ensure_centrality", "top_n", "aggregate_communities", "normalise_sizes", "ensure_communities"]


def ensure_centrality(G: nx.Graph, size_by: str, seed: int = 42) -> None:
    """Fill ``size_by`` on nodes that lack it (before ``lotura analyse`` has run).

    Degree is the number of partners in the map; PageRank is weighted by shared
    projects; betweenness is sampled (200 pivots, fixed seed) on large maps.

    >>> G = nx.star_graph(3)
    >>> ensure_centrality(G, "degree"); G.nodes[0]["degree"]
    3
    """
    if G.number_of_nodes() == 0:
        return
    missing = [v for v, d in G.nodes(data=True) if d.get(size_by) is None]
    if not missing:
        return
    if size_by == "degree":
        values: dict[Any, float] = dict(G.degree())
    elif size_by == "pagerank":
        values = nx.pagerank(G, weight="weight") if G.number_of_edges() else {v: 0.0 for v in G}
    elif size_by == "betweenness":
        n = G.number_of_nodes()
        k = min(200, n) if n > 300 else None
        values = nx.betweenness_centrality(G, k=k, seed=seed)
    else:
        raise ValueError(f"unknown centrality {size_by!r}")
    for v in missing:
        G.nodes[v][size_by] = values.get(v, 0)


def ensure_communities(G: nx.Graph, seed: int = 42) -> bool:
    """Give every node a ``community`` (Louvain, fixed seed) unless all have one.

    Returns True when the communities were computed here.

    >>> G = nx.Graph([("a", "b"), ("c", "d")])
    >>> ensure_communities(G), G.nodes["a"]["community"] == G.nodes["b"]["community"]
    (True, True)
    """
    if all(d.get("community") is not None for _, d in G.nodes(data=True)):
        return False
    parts = nx.community.louvain_communities(G, weight="weight", seed=seed) if G.number_of_edges() else []
    ordered = sorted(parts, key=lambda c: (-len(c), min(map(str, c)))) if parts else []
    for i, members in enumerate(ordered):
        for v in members:
            G.nodes[v]["community"] = i
    for _v, d in G.nodes(data=True):
        if d.get("community") is None:
            d["community"] = -1
    return True


def _rank_key(G: nx.Graph, size_by: str) -> Any:
    return lambda v: (-(G.nodes[v].get(size_by) or 0), str(v))


def top_n(G: nx.Graph, n: int, size_by: str, keep: str | None = None) -> nx.Graph:
    """The ``n`` most central nodes (ties broken by id) and the ties among them;
    ``keep`` (an ego map's centre) is always kept.

    >>> G = nx.star_graph(5); ensure_centrality(G, "degree")
    >>> sorted(top_n(G, 2, "degree"))
    [0, 1]
    """
    ranked = sorted(G, key=_rank_key(G, size_by))
    chosen = ranked[:n]
    if keep is not None and keep in G and keep not in chosen:
        chosen = [keep, *chosen[: max(n - 1, 0)]]
    return G.subgraph(chosen).copy()


def aggregate_communities(G: nx.Graph, size_by: str) -> nx.Graph:
    """One node per community (``members``, dominant ``territory``, ``top`` names);
    ties summed between communities.

    >>> G = nx.Graph(); G.add_nodes_from([("a", {"community": 1, "territory": "ES21"}),
    ...   ("b", {"community": 1, "territory": "ES21"}), ("c", {"community": 2, "territory": "FRI"})])
    >>> G.add_edge("a", "b", weight=1); G.add_edge("b", "c", weight=3, cross_border=True)
    >>> A = aggregate_communities(G, "degree"); ensure_centrality(G, "degree")
    >>> sorted(A.nodes(data="members")), A["community:1"]["community:2"]["weight"]
    ([('community:1', 2), ('community:2', 1)], 3)
    """
    ensure_centrality(G, size_by)
    groups: dict[Any, list[Any]] = defaultdict(list)
    for v, d in G.nodes(data=True):
        groups[d.get("community")].append(v)
    A = nx.Graph()
    for c, members in groups.items():
        members.sort(key=_rank_key(G, size_by))
        territories = Counter(G.nodes[v].get("territory") or "" for v in members)
        kinds = Counter(G.nodes[v].get("kind") or "other" for v in members)
        A.add_node(
            f"community:{c}",
            community=c,
            members=len(members),
            territory=territories.most_common(1)[0][0] or None,
            kind=kinds.most_common(1)[0][0],
            top=[str(G.nodes[v].get("short_name") or G.nodes[v].get("name") or v) for v in members[:3]],
            aggregate=True,
            **{size_by: sum(float(G.nodes[v].get(size_by) or 0) for v in members)},
        )
    for a, b, d in G.edges(data=True):
        ca, cb = f"community:{G.nodes[a].get('community')}", f"community:{G.nodes[b].get('community')}"
        if ca == cb:
            continue
        if A.has_edge(ca, cb):
            A[ca][cb]["weight"] += d.get("weight", 1)
            A[ca][cb]["cross_border"] = A[ca][cb]["cross_border"] or bool(d.get("cross_border"))
        else:
            A.add_edge(ca, cb, weight=d.get("weight", 1), cross_border=bool(d.get("cross_border")))
    return A


def normalise_sizes(G: nx.Graph, size_by: str) -> None:
    """Set ``size`` in [0, 1]: square root of the min-max scaled centrality, so that
    skewed measures (PageRank) still give visible differences.

    >>> G = nx.Graph(); G.add_nodes_from([(1, {"degree": 0}), (2, {"degree": 4}), (3, {"degree": 1})])
    >>> normalise_sizes(G, "degree"); [G.nodes[v]["size"] for v in (1, 2, 3)]
    [0.0, 1.0, 0.5]
    """
    values = [float(d.get(size_by) or 0) for _, d in G.nodes(data=True)]
    if not values:
        return
    lo, hi = min(values), max(values)
    for _, d in G.nodes(data=True):
        v = float(d.get(size_by) or 0)
        d["size"] = round(math.sqrt((v - lo) / (hi - lo)), 4) if hi > lo else 0.5


def edge_backbone(G: nx.Graph, max_edges: int, per_node: int = 2) -> nx.Graph:
    """Keep about ``max_edges`` ties: first each node's ``per_node`` strongest (so no
    organisation loses all its ties, even if that takes more), then the strongest of the
    rest up to ``max_edges``. A 2,000-node
    co-participation map can hold 100,000 ties (a 40-partner project alone makes 780),
    which no one can read and a browser redraws slowly.

    >>> G = nx.complete_graph(5); nx.set_edge_attributes(G, 1, "weight"); G[0][1]["weight"] = 9
    >>> H = edge_backbone(G, 4, per_node=1)
    >>> H.number_of_nodes(), H.number_of_edges(), H.has_edge(0, 1)
    (5, 4, True)
    """
    if G.number_of_edges() <= max_edges:
        return G
    key = lambda e: (-float(e[2].get("weight", 1) or 1), str(e[0]), str(e[1]))  # noqa: E731
    chosen: set[frozenset[Any]] = set()
    for v in sorted(G, key=str):
        mine = sorted(((v, u, d) for u, d in G[v].items()), key=key)[:per_node]
        chosen.update(frozenset((a, b)) for a, b, _ in mine)
    if len(chosen) < max_edges:
        for a, b, _ in sorted(G.edges(data=True), key=key):
            if len(chosen) >= max_edges:
                break
            chosen.add(frozenset((a, b)))
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from((a, b, d) for a, b, d in G.edges(data=True) if frozenset((a, b)) in chosen)
    return H
