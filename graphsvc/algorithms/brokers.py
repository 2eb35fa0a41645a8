"""Cross-border brokers: organisations whose ties span the territories of the Euroregion.

An organisation's **broker score** counts the Euroregional cross-territory connections
that pass through it:

- its own ties to partners in another territory of the Euroregion than its own, and
- the pairs of its partners that sit in two different territories of the Euroregion and
  are not partners themselves (it is the only link between them here: Burt's
  structural hole, restricted to the border).

A German institute with partners in both Euskadi and Nouvelle-Aquitaine who never
worked together scores on the second term; a Navarre cluster tied to ten French
organisations scores ten on the first. **Territories reached** lists the Euroregion
territories among the organisation's own and its partners'.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.algorithms.sparse import SparseGraph, from_networkx
from graphsvc.regions import TERRITORIES

__all__ = ["cross_border_brokers", "broker_scores"]


def cross_border_brokers(
    g: nx.Graph, territory: str = "territory", territories: Sequence[str] = TERRITORIES
) -> dict[Hashable, dict[str, object]]:
    """Broker score and territories reached of every node.

    Parameters
    ----------
    g : networkx.Graph
        Co-participation graph; nodes carry a ``territory`` attribute (None outside).
    territory : str
        Node attribute holding the territory.
    territories : sequence of str
        The territories between which ties count as cross-border.

    Returns
    -------
    dict node -> {"broker_score": int, "territories_reached": [codes]}

    Examples
    --------
    ``de`` links a Basque and an Aquitaine organisation that never met; ``eus`` has a
    tie to Navarre:

    >>> g = nx.Graph([("de", "eus"), ("de", "fri"), ("eus", "nav")])
    >>> nx.set_node_attributes(g, {"de": None, "eus": "ES21", "fri": "FRI", "nav": "ES22"}, "territory")
    >>> b = cross_border_brokers(g)
    >>> b["de"], b["eus"]["broker_score"], b["fri"]["broker_score"]
    ({'broker_score': 1, 'territories_reached': ['ES21', 'FRI']}, 1, 0)
    """
    sg = from_networkx(g, weight=None)
    terr = [g.nodes[n].get(territory) for n in sg.nodes]
    scores, reached = broker_scores(sg, terr, territories)
    return {n: {"broker_score": int(scores[i]), "territories_reached": reached[i]} for i, n in enumerate(sg.nodes)}


def broker_scores(
    sg: SparseGraph, territory: Sequence[str | None], territories: Sequence[str] = TERRITORIES
) -> tuple[np.ndarray, list[list[str]]]:
    """Vectorised :func:`cross_border_brokers`: scores (int array) and reached lists.

    >>> from graphsvc.algorithms.sparse import from_edges
    >>> sg = from_edges(["de", "eus", "fri", "nav"], [("de", "eus", 1), ("de", "fri", 1), ("eus", "nav", 1)])
    >>> s, r = broker_scores(sg, [None, "ES21", "FRI", "ES22"])
    >>> s.tolist(), r[1]
    ([1, 1, 0, 1], ['ES21', 'ES22'])
    """
    n = len(sg)
    a = sp.csr_array(sg.binary)
    codes = list(territories)
    members = [np.array([i for i, t in enumerate(territory) if t == c], dtype=np.int64) for c in codes]
    ind = np.zeros((n, len(codes)))
    for k, idx in enumerate(members):
        ind[idx, k] = 1.0
    per = np.asarray(a @ ind)  # partners in each territory
    own = np.array([codes.index(t) if t in codes else -1 for t in territory])
    direct = per.sum(axis=1) - np.where(own >= 0, per[np.arange(n), np.maximum(own, 0)], per.sum(axis=1))
    brokered = np.zeros(n)
    for x in range(len(codes)):
        for y in range(x + 1, len(codes)):
            open_pairs = per[:, x] * per[:, y]
            if members[x].size and members[y].size:
                ax = a[:, members[x]]
                ay = a[:, members[y]]
                between = a[members[x]][:, members[y]]
                closed = np.asarray((sp.csr_array(ax @ between)).multiply(ay).sum(axis=1)).ravel()
                open_pairs = open_pairs - closed
            brokered += open_pairs
    scores = np.rint(direct + brokered).astype(np.int64)
    reached: list[list[str]] = []
    for i in range(n):
        got = {codes[k] for k in range(len(codes)) if per[i, k] > 0}
        if own[i] >= 0:
            got.add(codes[own[i]])
        reached.append(sorted(got))
    return scores, reached
