"""Server-side layout of map graphs: deterministic (fixed seed) and fast enough for
2,000 nodes, so a map opens already laid out and still.

The default (``auto``) lays out each connected component with pivot MDS (Brandes and
Pich, 2006: a classical MDS of the graph distances to a few pivots, which gives the
global shape in a few milliseconds) refined by Fruchterman-Reingold iterations whose
repulsion only acts between nodes closer than two ideal edge lengths (found with a k-d
tree), then packs the components in rows, largest first. networkx's own
``spring_layout`` needs about ten seconds for 2,000 nodes; this needs well under one.
``spring``, ``kamada-kawai``, ``forceatlas2`` and ``circular`` call networkx per
component for smaller maps.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import shortest_path
from scipy.spatial import cKDTree

__all__ = ["ALGORITHMS", "SPACING", "layout_graph", "LRUCache"]

ALGORITHMS: tuple[str, ...] = ("auto", "spring", "kamada-kawai", "forceatlas2", "circular")
SPACING = 110.0  # vis-network units (pixels at zoom 1) per layout unit
NEAREST = 0.75  # typical distance to the nearest neighbour, in layout units
GRAVITY = 0.02
DENSE_UP_TO = 400  # nodes; above, far-field repulsion on a mesh
_SMALL_ONLY = {"kamada-kawai": 400, "forceatlas2": 800, "spring": 1000}

T = TypeVar("T")


def layout_graph(G: nx.Graph, algorithm: str = "auto", seed: int = 42) -> dict[Hashable, tuple[float, float]]:
    """Positions (in vis-network pixels) for every node of ``G``; same input, same output.

    Parameters
    ----------
    G : networkx.Graph
        The map graph; an edge attribute ``weight`` pulls heavier ties closer.
    algorithm : str
        One of :data:`ALGORITHMS`. The networkx algorithms fall back to ``auto`` on
        components too large for them.
    seed : int
        Seed of every random choice.

    Returns
    -------
    dict
        ``{node: (x, y)}`` with rounded coordinates.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> pos = layout_graph(G)
    >>> sorted(pos) == ["a", "b", "c"] and pos == layout_graph(G)
    True
    >>> layout_graph(nx.Graph())
    {}
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown layout {algorithm!r}")
    if G.number_of_nodes() == 0:
        return {}
    comps = [sorted(c, key=str) for c in nx.connected_components(G)]
    comps.sort(key=lambda c: (-len(c), str(c[0])))
    placed: list[tuple[list[Hashable], np.ndarray]] = []
    for i, nodes in enumerate(comps):
        xy = _component(G.subgraph(nodes), nodes, algorithm, seed + i)
        placed.append((nodes, xy))
    packed = _pack(placed)
    return {n: (round(float(x) * SPACING, 1), round(float(y) * SPACING, 1)) for n, (x, y) in packed.items()}


def _component(H: nx.Graph, nodes: list[Hashable], algorithm: str, seed: int) -> np.ndarray:
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    if algorithm != "auto" and n <= _SMALL_ONLY.get(algorithm, 10**9):
        if algorithm == "spring":
            pos = nx.spring_layout(H, seed=seed, weight=None)
        elif algorithm == "kamada-kawai":
            pos = nx.kamada_kawai_layout(H, weight=None)
        elif algorithm == "forceatlas2":
            pos = nx.forceatlas2_layout(H, seed=seed, max_iter=150)
        else:
            pos = nx.circular_layout(H)
        xy = np.array([pos[v] for v in nodes], dtype=float)
        return _unit_edges(H, nodes, xy)
    return _pmds_fr(H, nodes, seed)


def _edge_arrays(H: nx.Graph, nodes: list[Hashable]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    index = {v: i for i, v in enumerate(nodes)}
    src, dst, w = [], [], []
    for a, b, d in H.edges(data=True):
        if a == b:
            continue
        src.append(index[a])
        dst.append(index[b])
        w.append(float(d.get("weight", 1) or 1))
    return np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(w, dtype=float)


def _unit_edges(H: nx.Graph, nodes: list[Hashable], xy: np.ndarray) -> np.ndarray:
    """Rescale so that the mean edge is one unit long."""
    src, dst, _ = _edge_arrays(H, nodes)
    xy = xy - xy.mean(axis=0)
    if len(src):
        mean = float(np.linalg.norm(xy[src] - xy[dst], axis=1).mean())
        if mean > 1e-9:
            return xy / mean
    return xy


def _pmds_fr(H: nx.Graph, nodes: list[Hashable], seed: int) -> np.ndarray:
    n = len(nodes)
    rng = np.random.default_rng(seed)
    src, dst, w = _edge_arrays(H, nodes)
    A = nx.to_scipy_sparse_array(H, nodelist=nodes, weight=None, format="csr", dtype=np.float64)
    xy = _pivot_mds(A, rng)
    if xy is None:
        angles = np.linspace(0, 2 * math.pi, n, endpoint=False)
        xy = np.stack([np.cos(angles), np.sin(angles)], axis=1) * math.sqrt(n) / 2
    if len(src):
        mean = float(np.linalg.norm(xy[src] - xy[dst], axis=1).mean())
        if mean > 1e-9:
            xy = xy / mean
    xy = xy + rng.normal(0.0, 0.05, xy.shape)
    return _fruchterman_reingold(xy, src, dst, w)


def _pivot_mds(A: Any, rng: np.random.Generator, pivots: int = 50) -> np.ndarray | None:
    n = A.shape[0]
    k = min(pivots, n)
    degree = np.asarray(A.sum(axis=1)).ravel()
    chosen = [int(np.argmax(degree))]
    D = np.empty((n, k))
    nearest = np.full(n, np.inf)
    for i in range(k):
        d = shortest_path(A, unweighted=True, directed=False, indices=chosen[-1])
        D[:, i] = d
        nearest = np.minimum(nearest, d)
        if i < k - 1:
            far = np.flatnonzero(nearest == nearest.max())
            chosen.append(int(far[rng.integers(len(far))]))
    if not np.isfinite(D).all():
        return None
    D2 = D**2
    C = -0.5 * (D2 - D2.mean(axis=0)[None, :] - D2.mean(axis=1)[:, None] + D2.mean())
    vals, vecs = np.linalg.eigh(C.T @ C)
    if vals[-1] <= 1e-12:
        return None
    xy = C @ vecs[:, [-1, -2]]
    if not np.isfinite(xy).all() or np.ptp(xy, axis=0).max() < 1e-9:
        return None
    return xy


def _mesh_kernels(m: int) -> tuple[np.ndarray, np.ndarray]:
    """FFTs of the 2-D repulsion field r / |r|^2 on a zero-padded (2m x 2m) mesh."""
    off = np.arange(2 * m)
    off[off >= m] -= 2 * m
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = (dx * dx + dy * dy).astype(float)
    r2[0, 0] = 1.0
    kx, ky = dx / r2, dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


_KERNELS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _fruchterman_reingold(xy: np.ndarray, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Force-directed refinement: FR attraction (d^2) along ties, repulsion between
    all pairs (k^2/d) weighted by sqrt(1 + degree), as ForceAtlas2 weights it by degree
    so that dense cores of hubs open up, and a weak gravity that keeps loose nodes near.

    Far-field repulsion is computed on a mesh with an FFT convolution (particle-mesh),
    near-field pairs exactly with a k-d tree: O(n log n) per iteration instead of n^2.
    """
    n = len(xy)
    iterations = 70 if n < 300 else 55 if n < 1000 else 45
    mesh = 64
    if mesh not in _KERNELS:
        _KERNELS[mesh] = _mesh_kernels(mesh)
    kx, ky = _KERNELS[mesh]
    degree = np.bincount(np.concatenate([src, dst]), minlength=n).astype(float)
    mass = np.sqrt(1.0 + degree)
    attract = 1.0 + np.log(np.maximum(w, 1.0)) * 0.5
    pos = xy.copy()
    t0 = max(1.0, 0.1 * float(np.ptp(pos, axis=0).max()))
    rho = np.zeros((2 * mesh, 2 * mesh))
    for it in range(iterations):
        temp = t0 * (1.0 - it / iterations) ** 1.5 + 0.02
        if n <= DENSE_UP_TO:
            # small graphs: every pair exactly
            dr = pos[:, None, :] - pos[None, :, :]
            d2 = np.maximum((dr * dr).sum(axis=2), 1e-4)
            rep = (dr * (mass[:, None] * mass[None, :] / d2)[:, :, None]).sum(axis=1)
            a = b = np.zeros(0, dtype=np.int64)
            near = np.zeros((0, 2))
        else:
            lo = pos.min(axis=0)
            span = max(float(np.ptp(pos, axis=0).max()), 1e-6) * 1.0001
            h = span / mesh
            cell = np.floor((pos - lo) / h).astype(np.int64)
            np.clip(cell, 0, mesh - 1, out=cell)
            rho.fill(0.0)
            np.add.at(rho, (cell[:, 0], cell[:, 1]), mass)
            spectrum = np.fft.rfft2(rho)
            fx = np.fft.irfft2(spectrum * kx, s=rho.shape)[cell[:, 0], cell[:, 1]]
            fy = np.fft.irfft2(spectrum * ky, s=rho.shape)[cell[:, 0], cell[:, 1]]
            rep = np.stack([fx, fy], axis=1) * (mass / h)[:, None]
            pairs = cKDTree(pos).query_pairs(h, output_type="ndarray")
            a, b = pairs[:, 0], pairs[:, 1]
            dr = pos[a] - pos[b]
            d2 = np.maximum((dr * dr).sum(axis=1), 1e-4)
            near = dr * (mass[a] * mass[b] / d2)[:, None]
        de = pos[src] - pos[dst]
        dist = np.sqrt((de * de).sum(axis=1))
        att = de * (dist * attract)[:, None]
        idx = np.concatenate([a, b, src, dst])
        force = np.concatenate([near, -near, -att, att])
        disp = np.stack([np.bincount(idx, force[:, 0], n), np.bincount(idx, force[:, 1], n)], axis=1) + rep
        centre = pos - pos.mean(axis=0)
        r = np.maximum(np.sqrt((centre * centre).sum(axis=1)), 1e-9)
        disp -= centre / r[:, None] * (GRAVITY * mass * np.sqrt(n))[:, None]
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
    pos -= pos.mean(axis=0)
    # one unit = the typical distance to the nearest neighbour, so that nodes of any
    # map get the same room on screen
    nearest = cKDTree(pos).query(pos, k=2)[0][:, 1]
    typical = float(np.median(nearest))
    return pos / typical * NEAREST if typical > 1e-9 else pos


def _pack(placed: list[tuple[list[Hashable], np.ndarray]]) -> dict[Hashable, tuple[float, float]]:
    """Shelf-pack components (already sorted largest first) into rows."""
    boxes = []
    for nodes, xy in placed:
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        boxes.append((nodes, xy - lo, hi - lo + 1.2))
    area = sum(float(s[0] * s[1]) for _, _, s in boxes)
    row_width = max(math.sqrt(area) * 1.3, float(boxes[0][2][0]))
    out: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for nodes, xy, size in boxes:
        if x > 0 and x + size[0] > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, (px, py) in zip(nodes, xy, strict=True):
            out[v] = (px + x, py + y)
        x += float(size[0])
        row_height = max(row_height, float(size[1]))
    arr = np.array(list(out.values()))
    centre = (arr.min(axis=0) + arr.max(axis=0)) / 2
    return {v: (p[0] - centre[0], p[1] - centre[1]) for v, p in out.items()}


class LRUCache:
    """A small thread-safe least-recently-used cache of computed maps.

    >>> c = LRUCache(2)
    >>> c.get_or_compute("a", lambda: 1), c.get_or_compute("a", lambda: 2)
    (1, 1)
    """

    def __init__(self, maxsize: int = 32) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            return None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        found = self.get(key)
        if found is not None:
            return found
        self.misses += 1
        value = compute()
        self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
