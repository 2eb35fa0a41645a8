"""Build a map: fetch the selection, reduce it if too large, size it, lay it out.

:func:`prepare_map` is the pure part (a networkx graph in, a :class:`MapData` out);
:func:`build_map` adds Neo4j and the cache, keyed by ``graph.stamp()`` and
everything that changes the drawing, so a load or an analysis invalidates it.
"""

from __future__ import annotations

import time
from typing import Any

import networkx as nx

from graphsvc.db import Graph
from graphsvc.maps.degrade import (
    aggregate_communities,
    edge_backbone,
    ensure_centrality,
    ensure_communities,
    normalise_sizes,
    top_n,
)
from graphsvc.maps.layout import ALGORITHMS, LRUCache, layout_graph
from graphsvc.maps.model import (
    DEFAULT_MAX_EDGES,
    DEFAULT_MAX_NODES,
    DEGRADE,
    MAX_NODES_LIMIT,
    MapData,
    MapInputError,
    Selection,
    is_aggregated,
)
from graphsvc.maps.residency import ResidencyOverlay, fetch_overlay, overlay, parse_residencies
from graphsvc.maps.select import NODE_FIELDS, fetch_selection, resolve_selection

__all__ = ["prepare_map", "build_map", "check_max_nodes", "DEFAULT_CACHE"]

# The process's cache for the CLI; the web app keeps its own in app.extensions.
DEFAULT_CACHE = LRUCache(16)


def check_max_nodes(value: int | str | None) -> int:
    """Parse ``max_nodes`` (10 to 5,000; default 2,000).

    >>> check_max_nodes(None), check_max_nodes("150")
    (2000, 150)
    """
    if value in (None, ""):
        return DEFAULT_MAX_NODES
    try:
        n = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise MapInputError("max-nodes must be a whole number", field="max_nodes", code="number") from None
    if not 10 <= n <= MAX_NODES_LIMIT:
        raise MapInputError(f"max-nodes must be between 10 and {MAX_NODES_LIMIT}", field="max_nodes",
                            code="range", lo=10, hi=MAX_NODES_LIMIT)
    return n


def prepare_map(
    G: nx.Graph,
    selection: Selection,
    *,
    size_by: str = "degree",
    max_nodes: int = DEFAULT_MAX_NODES,
    degrade: str = "top",
    layout: str = "auto",
    seed: int = 42,
    version: int = 0,
    note: dict[str, Any] | None = None,
    totals: tuple[int, int] | None = None,
    max_edges: int = DEFAULT_MAX_EDGES,
    residency: ResidencyOverlay | None = None,
) -> MapData:
    """Reduce, size and lay out ``G`` (not modified) for drawing.

    With ``residency``, its ties that touch the reduced map are drawn too, and the
    organisations at their other end join the map (on top of ``max_nodes``); the
    layout pulls them together like a tie of one shared project. A map of one node per
    community draws no residency ties.

    Examples
    --------
    >>> from graphsvc.maps.synthetic import synthetic_graph
    >>> m = prepare_map(synthetic_graph(120), Selection(), max_nodes=50)
    >>> m.graph.number_of_nodes(), m.note["kind"], m.note["total"]
    (50, 'top', 120)
    >>> all("x" in d and "size" in d for _, d in m.graph.nodes(data=True))
    True
    """
    if degrade not in DEGRADE:
        raise MapInputError(f"degrade must be one of {', '.join(DEGRADE)}", field="degrade", code="choice",
                            choices=DEGRADE)
    if layout not in ALGORITHMS:
        raise MapInputError(f"layout must be one of {', '.join(ALGORITHMS)}", field="layout", code="choice",
                            choices=ALGORITHMS)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    H = G.copy()
    total_nodes, total_edges = totals or (H.number_of_nodes(), H.number_of_edges())
    if H.number_of_nodes() > max_nodes:
        note = None
        if degrade == "community":
            ensure_communities(H, seed)
            A = aggregate_communities(H, size_by)
            if A.number_of_nodes() <= max_nodes:
                H = A
                note = {"kind": "community", "shown": H.number_of_nodes(), "total": total_nodes, "by": size_by}
        if note is None:
            ensure_centrality(H, size_by, seed)
            keep = selection.value if selection.kind == "ego" else None
            H = top_n(H, max_nodes, size_by, keep=keep)
            note = {"kind": "top", "shown": H.number_of_nodes(), "total": total_nodes, "by": size_by}
    ties: list[dict[str, Any]] = []
    if residency is not None and not is_aggregated(note):
        ties = overlay(H, residency, NODE_FIELDS)
    ensure_centrality(H, size_by, seed)
    normalise_sizes(H, size_by)
    if H.number_of_edges() > max_edges:
        shown_edges = H.number_of_edges()
        H = edge_backbone(H, max_edges)
        note = {**(note or {"kind": "edges", "shown": H.number_of_nodes(), "total": total_nodes, "by": size_by}),
                "edges_shown": H.number_of_edges(), "edges_total": note.get("edges_total", shown_edges)
                if note else shown_edges}
    timings["reduce_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    L = H
    if ties:
        L = H.copy()
        L.add_edges_from((t["source"], t["target"], {"weight": 1}) for t in ties
                         if not L.has_edge(t["source"], t["target"]))
    for v, (x, y) in layout_graph(L, layout, seed).items():
        H.nodes[v]["x"], H.nodes[v]["y"] = x, y
    timings["layout_s"] = time.perf_counter() - t1
    return MapData(
        selection=selection,
        graph=H,
        size_by=size_by,
        note=note,
        total_nodes=total_nodes,
        total_edges=total_edges,
        version=version,
        layout=layout,
        timings=timings,
        residencies=residency.plan if residency is not None else None,
        residency_ties=ties,
    )


def build_map(
    graph: Graph,
    selection: Selection,
    *,
    size_by: str = "degree",
    max_nodes: int = DEFAULT_MAX_NODES,
    degrade: str = "top",
    layout: str = "auto",
    seed: int = 42,
    cache: LRUCache | None = None,
    residencies: str | None = None,
) -> MapData:
    """The map of ``selection`` from Neo4j, from the cache when the graph has not changed.

    ``residencies`` (``"all"`` or a saved plan's id) overlays the residency ties of the
    saved plans (:mod:`graphsvc.maps.residency`); saving a plan bumps the graph version.
    An ego network's organisation may be named by id, PIC or name, a topic by id or
    name (:func:`~graphsvc.maps.select.resolve_selection`).
    """
    residencies = parse_residencies(residencies)
    selection = resolve_selection(graph, selection)  # a name and its id make one map
    stamp = graph.stamp()
    version = int(stamp[0] or 0)
    key = ("map", stamp, selection.key(), size_by, max_nodes, degrade, layout, seed, residencies)

    def compute() -> MapData:
        t0 = time.perf_counter()
        f = fetch_selection(graph, selection, max_nodes=max_nodes, max_edges=DEFAULT_MAX_EDGES, size_by=size_by,
                            degrade=degrade, seed=seed)
        # a map of one node per community draws no residency ties: only check the plan
        residency = fetch_overlay(graph, residencies, ties=not is_aggregated(f.note)) if residencies else None
        fetched = time.perf_counter() - t0
        data = prepare_map(
            f.graph, selection, size_by=size_by, max_nodes=max_nodes, degrade=degrade, layout=layout,
            seed=seed, version=version, note=f.note, totals=(f.total_nodes, f.total_edges), residency=residency,
        )
        data.timings["fetch_s"] = fetched
        return data

    return (cache if cache is not None else DEFAULT_CACHE).get_or_compute(key, compute)
