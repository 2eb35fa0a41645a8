"""An undirected graph as a sparse adjacency matrix plus its node list.

networkx is the clear way to state an algorithm, but a Python loop over the
neighbours of neighbours of a university with a thousand partners takes too long for a
web request. The vectorised algorithms take a :class:`SparseGraph` instead: the same
graph as a symmetric ``scipy.sparse`` CSR matrix (weights as values) and the node of
each row.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

__all__ = ["SparseGraph", "from_networkx", "from_edges"]


@dataclass(frozen=True, eq=False)
class SparseGraph:
    """A symmetric weighted adjacency matrix and the node of each row.

    Parameters
    ----------
    nodes : sequence of hashable
        The node of each row and column.
    matrix : scipy.sparse.csr_array
        Symmetric, zero diagonal; values are edge weights (1 when unweighted).

    Examples
    --------
    >>> g = from_edges(["a", "b", "c"], [("a", "b", 2.0), ("b", "c", 1.0)])
    >>> g.degree().tolist(), g.strength().tolist()
    ([1, 2, 1], [2.0, 3.0, 1.0])
    >>> g.index["c"]
    2
    """

    nodes: Sequence[Hashable]
    matrix: sp.csr_array
    index: dict[Hashable, int] = field(init=False, repr=False)
    _cache: dict[str, Any] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {n: i for i, n in enumerate(self.nodes)})

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def binary(self) -> sp.csr_array:
        """The unweighted adjacency (1 where an edge exists)."""
        if "binary" not in self._cache:
            b = self.matrix.copy()
            b.data = np.ones_like(b.data, dtype=np.float64)
            self._cache["binary"] = b
        return self._cache["binary"]

    def degree(self) -> np.ndarray:
        """Number of neighbours of each node."""
        if "degree" not in self._cache:
            self._cache["degree"] = np.diff(self.matrix.indptr).astype(np.int64)
        return self._cache["degree"]

    def strength(self) -> np.ndarray:
        """Sum of the edge weights of each node."""
        if "strength" not in self._cache:
            self._cache["strength"] = np.asarray(self.matrix.sum(axis=1)).ravel().astype(np.float64)
        return self._cache["strength"]

    def neighbours(self, i: int) -> np.ndarray:
        """Row indices of the neighbours of row ``i``."""
        return self.matrix.indices[self.matrix.indptr[i] : self.matrix.indptr[i + 1]]

    def row(self, i: int, *, binary: bool = True) -> np.ndarray:
        """Dense row ``i`` of the adjacency (binary by default)."""
        out = np.zeros(len(self.nodes), dtype=np.float64)
        lo, hi = self.matrix.indptr[i], self.matrix.indptr[i + 1]
        out[self.matrix.indices[lo:hi]] = 1.0 if binary else self.matrix.data[lo:hi]
        return out

    def cached(self, key: str, make: Any) -> Any:
        """A value derived from the graph, computed once (the graph is immutable)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]


def from_edges(
    nodes: Sequence[Hashable], edges: Sequence[tuple[Hashable, Hashable, float]]
) -> SparseGraph:
    """Build a :class:`SparseGraph` from ``(u, v, weight)`` triples (summed if repeated).

    >>> from_edges([1, 2], [(1, 2, 1.0), (2, 1, 1.0)]).matrix.toarray().tolist()
    [[0.0, 2.0], [2.0, 0.0]]
    """
    index = {n: i for i, n in enumerate(nodes)}
    rows = [index[u] for u, v, _ in edges if u != v]
    cols = [index[v] for u, v, _ in edges if u != v]
    vals = [float(w) for u, v, w in edges if u != v]
    m = sp.coo_array((vals + vals, (rows + cols, cols + rows)), shape=(len(nodes), len(nodes)))
    return SparseGraph(list(nodes), sp.csr_array(m))


def from_networkx(g: nx.Graph, weight: str | None = "weight") -> SparseGraph:
    """The :class:`SparseGraph` of an undirected networkx graph (node order kept).

    >>> g = nx.Graph([("a", "b")])
    >>> from_networkx(g).matrix.toarray().tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    nodes = list(g.nodes)
    m = nx.to_scipy_sparse_array(g, nodelist=nodes, weight=weight, dtype=np.float64, format="csr")
    m.setdiag(0)
    m.eliminate_zeros()
    return SparseGraph(nodes, sp.csr_array(m))
