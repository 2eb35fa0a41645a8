"""From a selection to a networkx graph of organisations and co-participation ties.

:func:`fetch_selection` takes the ties from the shared projection
(:mod:`graphsvc.projection`) and the organisations from ``cypher/maps/``; everything
after that (:func:`build_graph`, :func:`cross_border_only`,
:func:`ego_subgraph`) is a pure function of plain data, testable without Neo4j.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.algorithms.centrality import betweenness_scores, pagerank_scores
from graphsvc.algorithms.sparse import SparseGraph
from graphsvc.db import Graph
from graphsvc.errors import AmbiguousName, InvalidInput, NotFound
from graphsvc.maps.model import MapNotFound, Selection
from graphsvc.projection import projection, topic_index
from graphsvc.regions import TERRITORIES
from graphsvc.suggest import resolve
from graphsvc.topics import TopicMatch

__all__ = [
    "NODE_FIELDS",
    "build_graph",
    "cross_border_only",
    "crosses_border",
    "ego_subgraph",
    "fetch_selection",
    "Fetched",
    "reduce_sparse",
    "backbone",
    "mark_cross_border",
    "resolve_selection",
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


def crosses_border(G: nx.Graph, a: Any, b: Any) -> bool:
    """True when the organisations ``a`` and ``b`` of ``G`` lie in two different
    territories of the Euroregion.

    >>> G = nx.Graph([("a", "b"), ("a", "c")])
    >>> nx.set_node_attributes(G, {"a": "ES21", "b": "FRI", "c": "DE"}, "territory")
    >>> crosses_border(G, "a", "b"), crosses_border(G, "a", "c")
    (True, False)
    """
    ta, tb = G.nodes[a].get("territory"), G.nodes[b].get("territory")
    return bool(ta in TERRITORIES and tb in TERRITORIES and ta != tb)


def mark_cross_border(G: nx.Graph) -> nx.Graph:
    """Set ``cross_border`` on each edge: its ends lie in two different territories."""
    for a, b, d in G.edges(data=True):
        d["cross_border"] = crosses_border(G, a, b)
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


def subgraph_from_sparse(
    co: SparseGraph, ids: Iterable[str], rows: Iterable[dict[str, Any]], max_edges: int | None = None
) -> nx.Graph:
    """The map graph of ``ids``: attributes from ``rows`` (organisations), ties and
    weights from the co-participation matrix ``co`` of the shared projection; at most
    ``max_edges`` ties (see :func:`backbone`).

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> co = from_edges(["a", "b", "c"], [("a", "b", 2.0), ("b", "c", 1.0)])
    >>> G = subgraph_from_sparse(co, ["a", "b"], [{"id": "a"}, {"id": "b"}])
    >>> list(G.edges(data="weight"))
    [('a', 'b', 2)]
    """
    rows = list(rows)
    known = {r["id"] for r in rows}
    index = [co.index[i] for i in ids if i in co.index and i in known]
    G = build_graph(rows, [])
    if index:
        idx = np.array(sorted(set(index)), dtype=np.int64)
        sub = sp.triu(co.matrix[idx][:, idx], k=1).tocoo()
        r, c, w = sub.row, sub.col, sub.data
        if max_edges is not None and len(w) > max_edges:
            keep = backbone(r, c, w, max_edges)
            r, c, w = r[keep], c[keep], w[keep]
        names = [co.nodes[i] for i in idx]
        G.add_edges_from(
            (names[a], names[b], {"weight": int(round(float(x)))}) for a, b, x in zip(r, c, w, strict=True)
        )
        mark_cross_border(G)
    return G


def backbone(r: np.ndarray, c: np.ndarray, w: np.ndarray, max_edges: int, per_node: int = 2) -> np.ndarray:
    """Indices of about ``max_edges`` ties to keep: each node's ``per_node``
    strongest first (no organisation loses all its ties, even beyond ``max_edges``),
    then the strongest others up to ``max_edges``.
    Ties between equal weights go to the lower indices, so the choice is stable.

    >>> r, c, w = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 2]), np.array([9.0, 1, 1, 1])
    >>> backbone(r, c, w, 3, per_node=1).tolist()
    [0, 1, 2]
    """
    m = len(w)
    if m <= max_edges:
        return np.arange(m)
    order = np.lexsort((c, r, -w))  # strongest first
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)
    ends = np.concatenate([r, c])
    eid = np.concatenate([np.arange(m), np.arange(m)])
    by_end = np.lexsort((rank[eid], ends))
    ends_sorted = ends[by_end]
    first = np.r_[0, np.flatnonzero(np.diff(ends_sorted)) + 1]
    position = np.arange(len(ends_sorted)) - np.repeat(first, np.diff(np.r_[first, len(ends_sorted)]))
    chosen = np.zeros(m, dtype=bool)
    chosen[eid[by_end][position < per_node]] = True
    room = max_edges - int(chosen.sum())
    if room > 0:
        rest = order[~chosen[order]][:room]
        chosen[rest] = True
    return np.flatnonzero(chosen)


def _within_hops(co: SparseGraph, center: str, hops: int) -> list[str]:
    seen = np.zeros(len(co), dtype=bool)
    frontier = np.array([co.index[center]], dtype=np.int64)
    seen[frontier] = True
    for _ in range(hops):
        reached = np.unique(co.matrix[frontier].indices) if len(frontier) else frontier
        frontier = reached[~seen[reached]]
        seen[frontier] = True
        if seen.sum() > MAX_FETCH:
            break
    return [str(co.nodes[i]) for i in np.flatnonzero(seen)]


@dataclass
class Fetched:
    """A selection read from the graph, already reduced to at most ``max_nodes``.

    ``note`` says how it was reduced (as :attr:`MapData.note`); ``total_nodes`` and
    ``total_edges`` count the whole selection.
    """

    graph: nx.Graph
    note: dict[str, Any] | None
    total_nodes: int
    total_edges: int


def _scores(sub: SparseGraph, rows: dict[str, dict[str, Any]], size_by: str, seed: int) -> tuple[np.ndarray, str]:
    """The centrality that ranks a large selection: the one ``lotura analyse`` stored,
    else computed on the selection's sparse matrix (betweenness sampled)."""
    stored = [rows.get(str(v), {}).get(size_by) for v in sub.nodes]
    if stored and all(x is not None for x in stored):
        return np.array([float(x) for x in stored]), size_by
    if size_by == "pagerank":
        return pagerank_scores(sub), size_by
    if size_by == "betweenness":
        return betweenness_scores(sub, k=min(64, len(sub)), seed=seed), size_by
    return sub.degree().astype(float), "degree"


def reduce_sparse(
    co: SparseGraph,
    ids: list[str],
    rows: list[dict[str, Any]],
    *,
    max_nodes: int,
    max_edges: int | None = None,
    size_by: str = "degree",
    degrade: str = "top",
    keep: str | None = None,
    communities: dict[str, Any] | None = None,
    seed: int = 42,
    load_rows: Callable[[list[str]], list[dict[str, Any]]] | None = None,
) -> Fetched:
    """Build the map graph of ``ids`` without ever building a networkx graph larger than
    ``max_nodes``: a large selection is ranked (or grouped by community) on the sparse
    co-participation matrix first. ``rows`` may be light (id, names, kind, territory
    and the centrality) when ``load_rows`` fetches the full rows of the kept ids.

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> co = from_edges(list("abcd"), [("a", "b", 1), ("a", "c", 1), ("a", "d", 1), ("b", "c", 1)])
    >>> f = reduce_sparse(co, list("abcd"), [{"id": x} for x in "abcd"], max_nodes=2)
    >>> sorted(f.graph), f.note["kind"], f.total_nodes, f.total_edges
    (['a', 'b'], 'top', 4, 4)
    """
    by_id = {r["id"]: r for r in rows}
    present = sorted({i for i in ids if i in co.index and i in by_id})
    absent = sorted({i for i in ids if i in by_id} - set(present))  # organisations without projects
    idx = np.array([co.index[i] for i in present], dtype=np.int64)
    matrix = sp.csr_array(co.matrix[idx][:, idx]) if len(idx) else sp.csr_array((0, 0))
    sub = SparseGraph([co.nodes[i] for i in idx], matrix)
    total_nodes = len(present) + len(absent)
    total_edges = int(matrix.nnz // 2)
    if total_nodes <= max_nodes:
        G = subgraph_from_sparse(co, present + absent, load_rows(present + absent) if load_rows else rows, max_edges)
        return Fetched(G, _edge_note(None, G, total_nodes, total_edges, size_by), total_nodes, total_edges)
    if degrade == "community":
        labels = [(communities or {}).get(str(v), by_id[str(v)].get("community")) for v in sub.nodes]
        if all(x is not None for x in labels) and len(set(labels)) <= max_nodes:
            return Fetched(_aggregate_sparse(sub, labels, by_id, size_by, seed), {
                "kind": "community", "shown": len(set(labels)), "total": total_nodes, "by": size_by,
            }, total_nodes, total_edges)
    score, by = _scores(sub, by_id, size_by, seed)
    order = sorted(range(len(sub)), key=lambda i: (-score[i], str(sub.nodes[i])))
    kept = [str(sub.nodes[i]) for i in order[:max_nodes]]
    if keep is not None and keep in by_id and keep not in kept:
        kept = [keep, *kept[: max_nodes - 1]]
    kept_rows = load_rows(kept) if load_rows else [by_id[k] for k in kept]
    G = subgraph_from_sparse(co, kept, kept_rows, max_edges)
    if by == size_by:
        for i in order[:max_nodes]:
            v = str(sub.nodes[i])
            if v in G and G.nodes[v].get(size_by) is None:
                G.nodes[v][size_by] = float(score[i])
    note = {"kind": "top", "shown": G.number_of_nodes(), "total": total_nodes, "by": by}
    kept_idx = np.array([co.index[k] for k in kept if k in co.index], dtype=np.int64)
    kept_edges = int(co.matrix[kept_idx][:, kept_idx].nnz // 2) if len(kept_idx) else 0
    return Fetched(G, _edge_note(note, G, total_nodes, kept_edges, size_by), total_nodes, total_edges)


def _edge_note(
    note: dict[str, Any] | None, G: nx.Graph, total_nodes: int, edges_among: int, size_by: str
) -> dict[str, Any] | None:
    if G.number_of_edges() >= edges_among:
        return note
    base = note or {"kind": "edges", "shown": G.number_of_nodes(), "total": total_nodes, "by": size_by}
    return {**base, "edges_shown": G.number_of_edges(), "edges_total": edges_among}


def _aggregate_sparse(
    sub: SparseGraph, labels: list[Any], by_id: dict[str, dict[str, Any]], size_by: str, seed: int
) -> nx.Graph:
    groups = sorted(set(labels), key=str)
    gindex = {g: i for i, g in enumerate(groups)}
    member = sp.csr_array(
        (np.ones(len(labels)), (np.arange(len(labels)), [gindex[x] for x in labels])), shape=(len(labels), len(groups))
    )
    between = sp.triu(sp.csr_array(member.T @ sub.matrix @ member), k=1).tocoo()
    score, _by = _scores(sub, by_id, size_by, seed)
    G = nx.Graph()
    for g in groups:
        rows_g = [i for i, x in enumerate(labels) if x == g]
        rows_g.sort(key=lambda i: (-score[i], str(sub.nodes[i])))
        terr = Counter(by_id[str(sub.nodes[i])].get("territory") or "" for i in rows_g).most_common(1)[0][0]
        kinds = Counter(by_id[str(sub.nodes[i])].get("kind") or "other" for i in rows_g).most_common(1)[0][0]
        top = [str(by_id[str(sub.nodes[i])].get("short_name") or by_id[str(sub.nodes[i])].get("name") or sub.nodes[i])
               for i in rows_g[:3]]
        G.add_node(f"community:{g}", community=g, members=len(rows_g), territory=terr or None, kind=kinds, top=top,
                   aggregate=True, **{size_by: float(len(rows_g))})
    territories = {f"community:{g}": G.nodes[f"community:{g}"]["territory"] for g in groups}
    for a, b, w in zip(between.row, between.col, between.data, strict=True):
        ga, gb = f"community:{groups[a]}", f"community:{groups[b]}"
        G.add_edge(ga, gb, weight=int(round(float(w))),
                   cross_border=bool(territories[ga] and territories[gb] and territories[ga] != territories[gb]))
    return G


def fetch_selection(
    graph: Graph,
    selection: Selection,
    *,
    max_nodes: int = 10**9,
    max_edges: int | None = None,
    size_by: str = "degree",
    degrade: str = "top",
    seed: int = 42,
) -> Fetched:
    """Read the organisations and ties of ``selection``, reduced to ``max_nodes``.

    Ties come from the shared co-participation projection (:mod:`graphsvc.projection`,
    cached by the graph's stamp); the organisations' attributes (coordinates,
    community, centralities) from ``cypher/maps/``. Raises
    :class:`~graphsvc.errors.NotFound` for an unknown organisation or topic.
    """
    kind = selection.kind
    if kind in ("whole", "cross-border", "territory"):
        territories = [selection.value] if kind == "territory" else list(TERRITORIES)
        proj = projection(graph, territories=territories)
    else:
        proj = projection(graph)
    co = proj.co
    if kind in ("whole", "cross-border", "territory"):
        ids = [str(x) for x in co.nodes]
    elif kind == "community":
        value = selection.value or ""
        found = graph.read("maps/organisations_by_community", community=int(value))
        if not found:
            found = graph.read("maps/organisations_by_community", community=value)
        if not found:
            raise _no_community(graph, value)
        ids = [r["id"] for r in found]
    elif kind == "topic":
        topics = _topic(graph, selection.value or "").ids
        ids = [r["id"] for r in graph.read("maps/organisations_by_topic", topics=list(topics))]
    elif kind == "ego":
        selection = resolve_selection(graph, selection)
        center = selection.value or ""
        if center not in co.index:
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
    if kind == "cross-border":
        ids = _cross_border_ids(co, proj.territory)

    def load(chosen: list[str]) -> list[dict[str, Any]]:
        return graph.read("maps/organisations_by_ids", ids=sorted(chosen)) if chosen else []

    communities = None
    if len(ids) <= max_nodes:
        rows = load(ids)
    else:
        # a large selection is ranked first on light rows: names, kind and territory from
        # the projection, the stored centrality in one record; full rows for the kept only
        rows = _light_rows(proj, ids, dict(_pairs(graph, f"maps/scores_{size_by}", ids)), size_by)
        if degrade == "community":
            stored = dict(_pairs(graph, "maps/scores_community", ids))
            if any(stored.get(i) is None for i in ids):
                labels = proj.community  # the projection's seeded Louvain, when analyse has not run
                stored = {str(proj.ids[i]): int(labels[i]) for i in range(len(proj.ids))}
            communities = stored
    keep = selection.value if kind == "ego" else None
    if kind == "cross-border":
        co = _cross_border_only_sparse(co, proj.territory)
    return reduce_sparse(co, ids, rows, max_nodes=max_nodes, max_edges=max_edges, size_by=size_by,
                         degrade=degrade, keep=keep, communities=communities, seed=seed,
                         load_rows=load if len(ids) > max_nodes else None)


def resolve_selection(graph: Graph, selection: Selection) -> Selection:
    """The selection with its organisation named by id, its topic by id or stored name.

    An ego network's organisation may be given by id, PIC or name (as the partner
    finder and ``lotura suggest`` read them: :func:`graphsvc.suggest.resolve`); a topic
    by id or name (:mod:`graphsvc.topics`: a name stands for every topic of that name,
    and the selection keeps the name).
    Raises :class:`~graphsvc.maps.model.MapNotFound` (codes ``no_org``, ``no_topic``).
    Other selections come back unchanged.
    """
    value = selection.value or ""
    if selection.kind == "topic":
        return Selection("topic", _topic(graph, value).ref, selection.hops)
    if selection.kind != "ego":
        return selection
    proj = projection(graph)  # every organisation, so an id is in its index
    if value in proj.co.index:
        return selection
    try:
        row_index = resolve(proj, value)
    except AmbiguousName as exc:  # a part of several names: say which, not "no organisation"
        raise MapNotFound(str(exc), field="org", code="ambiguous_org", text=value,
                          names=[name for _, name in exc.candidates]) from None
    except NotFound as exc:  # its message names near matches, for the command line
        raise MapNotFound(str(exc), field="org", code="no_org", text=value) from None
    return Selection("ego", str(proj.ids[row_index]), selection.hops)


def _topic(graph: Graph, value: str) -> TopicMatch:
    found = topic_index(graph).find(value)
    if found is None:
        raise MapNotFound(f"no topic {value!r}", field="topic", code="no_topic", text=value)
    return found


def _no_community(graph: Graph, value: str) -> MapNotFound:
    row = graph.read_one("maps/communities_count") or {}
    count = int(row.get("communities") or 0)
    if count:
        where = f"the graph has {count} communities, numbered {row.get('lowest')} to {row.get('highest')}"
    else:
        where = "the graph has no communities yet (lotura analyse computes them)"
    return MapNotFound(f"no community {value}: {where}", field="community", code="no_community", num=value,
                       count=count, lowest=row.get("lowest"), highest=row.get("highest"))


def _pairs(graph: Graph, name: str, ids: list[str]) -> list[tuple[str, Any]]:
    if name.split("/")[-1] not in {f"scores_{k}" for k in ("degree", "pagerank", "betweenness", "community")}:
        raise InvalidInput(f"no scores query {name!r}")
    row = graph.read_one(name, ids=ids)
    return [(str(a), b) for a, b in (row or {}).get("pairs") or []]


def _light_rows(proj: Any, ids: list[str], scores: dict[str, Any], size_by: str) -> list[dict[str, Any]]:
    out = []
    for i in ids:
        j = proj.index.get(i)
        if j is None:
            out.append({"id": i, size_by: scores.get(i)})
            continue
        out.append({"id": i, "name": proj.name[j], "short_name": proj.short_name[j], "kind": proj.kind[j],
                    "territory": proj.territory[j], size_by: scores.get(i)})
    return out


def _cross_border_only_sparse(co: SparseGraph, territory: list[str | None]) -> SparseGraph:
    terr = np.array([t or "" for t in territory])
    m = co.matrix.tocoo()
    keep = (terr[m.row] != terr[m.col]) & (terr[m.row] != "") & (terr[m.col] != "")
    kept = sp.csr_array((m.data[keep], (m.row[keep], m.col[keep])), shape=co.matrix.shape)
    return SparseGraph(list(co.nodes), kept)


def _cross_border_ids(co: SparseGraph, territory: list[str | None]) -> list[str]:
    only = _cross_border_only_sparse(co, territory)
    return [str(co.nodes[i]) for i in np.flatnonzero(np.diff(only.matrix.indptr) > 0)]
