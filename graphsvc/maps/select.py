"""From a selection to a networkx graph of organisations and co-participation ties.

:func:`fetch_selection` takes the ties from the shared projection
(:mod:`graphsvc.projection`) and the organisations from ``cypher/maps/``; everything
after that (:func:`build_graph`, :func:`cross_border_only`,
:func:`ego_subgraph`) is a pure function of plain data, testable without Neo4j.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.algorithms.sparse import SparseGraph
from graphsvc.db import Graph
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.maps.model import Selection
from graphsvc.projection import projection
from graphsvc.regions import TERRITORIES

__all__ = [
    "NODE_FIELDS",
    "build_graph",
    "cross_border_only",
    "ego_subgraph",
    "fetch_selection",
    "mark_cross_border",
    "subgraph_from_sparse",
]

NODE_FIELDS = (
    "name", "short_name", "kind", "territory", "country", "city", "nuts3", "lat", "lon",
    "community", "degree", "betweenness", "pagerank",
)
MAX_FETCH = 50_000  # organisations; beyond this a map is refused rather than built


def build_graph(nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]) -> nx.Graph:
    """A map graph from rows of organisations and ties (``source``, ``target``, ``weight``).

    Ties to organisations missing from ``nodes`` are dropped.

    >>> G = build_graph([{"id": "a", "territory": "ES21"}, {"id": "b", "territory": "FRI"}],
    ...                 [{"source": "a", "target": "b", "weight": 2}, {"source": "a", "target": "z"}])
    >>> G.number_of_edges(), G["a"]["b"]
    (1, {'weight': 2, 'cross_border': True})
    """
    G = nx.Graph()
    for row in nodes:
        G.add_node(row["id"], **{k: row.get(k) for k in NODE_FIELDS})
    for row in edges:
        a, b = row["source"], row["target"]
        if a == b or a not in G or b not in G:
            continue
        G.add_edge(a, b, weight=int(row.get("weight") or 1))
    mark_cross_border(G)
    return G


def mark_cross_border(G: nx.Graph) -> nx.Graph:
    """Set ``cross_border`` on each edge: its ends lie in two different territories."""
    for a, b, d in G.edges(data=True):
        ta, tb = G.nodes[a].get("territory"), G.nodes[b].get("territory")
        d["cross_border"] = bool(ta in TERRITORIES and tb in TERRITORIES and ta != tb)
    return G


def cross_border_only(G: nx.Graph) -> nx.Graph:
    """Only the cross-border ties and the organisations they join.

    >>> G = build_graph([{"id": "a", "territory": "ES21"}, {"id": "b", "territory": "FRI"},
    ...                  {"id": "c", "territory": "ES21"}],
    ...                 [{"source": "a", "target": "b"}, {"source": "a", "target": "c"}])
    >>> sorted(cross_border_only(G).edges())
    [('a', 'b')]
    """
    H = nx.Graph()
    for a, b, d in G.edges(data=True):
        if d.get("cross_border"):
            H.add_node(a, **G.nodes[a])
            H.add_node(b, **G.nodes[b])
            H.add_edge(a, b, **d)
    return H


def ego_subgraph(G: nx.Graph, center: str, hops: int = 1) -> nx.Graph:
    """The organisations within ``hops`` ties of ``center``, with every tie among them.

    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> sorted(ego_subgraph(G, "a", 2))
    ['a', 'b', 'c']
    """
    if center not in G:
        raise NotFound(f"no organisation {center!r} in this map")
    return nx.ego_graph(G, center, radius=hops).copy()


def subgraph_from_sparse(co: SparseGraph, ids: Iterable[str], rows: Iterable[dict[str, Any]]) -> nx.Graph:
    """The map graph of ``ids``: attributes from ``rows`` (organisations), ties and
    weights from the co-participation matrix ``co`` of the shared projection.

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> co = from_edges(["a", "b", "c"], [("a", "b", 2.0), ("b", "c", 1.0)])
    >>> G = subgraph_from_sparse(co, ["a", "b"], [{"id": "a"}, {"id": "b"}])
    >>> list(G.edges(data="weight"))
    [('a', 'b', 2)]
    """
    rows = list(rows)
    known = {r["id"] for r in rows}
    index = [co.index[i] for i in ids if i in co.index and i in known]
    edges: list[dict[str, Any]] = []
    if index:
        idx = np.array(sorted(set(index)), dtype=np.int64)
        sub = sp.triu(co.matrix[idx][:, idx], k=1).tocoo()
        edges = [
            {"source": co.nodes[idx[a]], "target": co.nodes[idx[b]], "weight": int(round(float(w)))}
            for a, b, w in zip(sub.row, sub.col, sub.data, strict=True)
        ]
    return build_graph(rows, edges)


def _within_hops(co: SparseGraph, center: str, hops: int) -> list[str]:
    seen = {co.index[center]}
    frontier = [co.index[center]]
    for _ in range(hops):
        nxt: set[int] = set()
        for i in frontier:
            nxt.update(int(j) for j in co.neighbours(i))
        frontier = sorted(nxt - seen)
        seen |= nxt
        if len(seen) > MAX_FETCH:
            break
    return [str(co.nodes[i]) for i in sorted(seen)]


def fetch_selection(graph: Graph, selection: Selection) -> nx.Graph:
    """Read the organisations and ties of ``selection``.

    Ties come from the shared co-participation projection (:mod:`graphsvc.projection`,
    cached by the graph's stamp); the organisations' attributes (coordinates,
    community, centralities) from ``cypher/maps/``. Raises
    :class:`~graphsvc.errors.NotFound` for an unknown organisation or topic.
    """
    kind = selection.kind
    if kind in ("whole", "cross-border", "territory"):
        territories = [selection.value] if kind == "territory" else list(TERRITORIES)
        co = projection(graph, territories=territories).co
        ids = [str(x) for x in co.nodes]
    else:
        co = projection(graph).co
        if kind == "community":
            value = selection.value or ""
            rows = graph.read("maps/organisations_by_community", community=int(value))
            if not rows:
                rows = graph.read("maps/organisations_by_community", community=value)
            ids = [r["id"] for r in rows]
        elif kind == "topic":
            if not graph.read("maps/topic_get", topic=selection.value):
                raise NotFound(f"no topic {selection.value!r}")
            ids = [r["id"] for r in graph.read("maps/organisations_by_topic", topic=selection.value)]
        elif kind == "ego":
            center = selection.value or ""
            if center not in co.index:
                if not graph.read("maps/organisations_by_ids", ids=[center]):
                    raise NotFound(f"no organisation {center!r}")
                ids = [center]  # an organisation with no project: a map of one
            else:
                ids = _within_hops(co, center, selection.hops)
        else:  # parse_selection guards this
            raise InvalidInput(f"unknown selection {kind!r}", field="selection")
    if len(ids) > MAX_FETCH:
        raise InvalidInput(
            f"the selection holds {len(ids)} organisations, more than {MAX_FETCH}: choose a smaller one",
            field="selection",
        )
    rows = graph.read("maps/organisations_by_ids", ids=sorted(ids)) if ids else []
    G = subgraph_from_sparse(co, ids, rows)
    if kind == "cross-border":
        G = cross_border_only(G)
    return G
