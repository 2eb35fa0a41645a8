"""A synthetic co-participation graph shaped like Lotura's, for benchmarks and tests.

Organisations in the three territories and abroad take part in projects whose sizes
follow a skewed distribution, chosen with a preferential weight (a few hubs, many
occasional partners); the map graph links two organisations by the number of projects
they share, as the real projection does.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

__all__ = ["synthetic_graph"]

_BOXES = {  # rough lat/lon boxes of the territories, enough to place points
    "ES21": (42.6, 43.4, -3.4, -1.8),
    "ES22": (42.0, 43.2, -2.4, -0.8),
    "FRI": (43.2, 47.1, -1.6, 2.5),
}
_KINDS = ("university", "research", "company", "public", "vet", "cluster", "other")
_KIND_P = (0.08, 0.14, 0.5, 0.1, 0.06, 0.06, 0.06)


def synthetic_graph(
    n_orgs: int = 2000, seed: int = 1, projects_per_org: float = 0.6, clusters: int = 12
) -> nx.Graph:
    """A deterministic graph of ``n_orgs`` organisations with map attributes.

    Examples
    --------
    >>> G = synthetic_graph(50, seed=3)
    >>> G.number_of_nodes(), G.nodes["s:0"]["territory"] in ("ES21", "ES22", "FRI", None)
    (50, True)
    >>> all(d["weight"] >= 1 for _, _, d in G.edges(data=True))
    True
    """
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    territories = rng.choice(["ES21", "ES22", "FRI", "abroad"], size=n_orgs, p=[0.35, 0.1, 0.3, 0.25])
    kinds = rng.choice(_KINDS, size=n_orgs, p=_KIND_P)
    for i in range(n_orgs):
        t = str(territories[i])
        if t == "abroad":
            lat, lon, terr, country = None, None, None, str(rng.choice(["DE", "IT", "NL", "PT", "BE"]))
        else:
            la0, la1, lo0, lo1 = _BOXES[t]
            lat, lon = float(rng.uniform(la0, la1)), float(rng.uniform(lo0, lo1))
            terr, country = t, "FR" if t == "FRI" else "ES"
        G.add_node(
            f"s:{i}",
            name=f"Organisation {i} ({kinds[i]})",
            short_name=f"ORG{i}",
            kind=str(kinds[i]),
            territory=terr,
            country=country,
            city=None,
            lat=None if lat is None else round(lat, 4),
            lon=None if lon is None else round(lon, 4),
        )
    activity = rng.pareto(1.5, size=n_orgs) + 0.4
    p = activity / activity.sum()
    # thematic clusters: most of a project's partners share its cluster
    cluster_of = rng.integers(0, max(clusters, 1), size=n_orgs)
    in_cluster = [np.flatnonzero(cluster_of == c) for c in range(max(clusters, 1))]
    n_projects = int(n_orgs * projects_per_org)
    for _ in range(n_projects):
        size = int(min(2 + rng.geometric(0.22), 25))
        pool = in_cluster[int(rng.integers(len(in_cluster)))] if rng.random() < 0.8 else np.arange(n_orgs)
        if len(pool) < 2:
            pool = np.arange(n_orgs)
        q = p[pool] / p[pool].sum()
        members = pool[rng.choice(len(pool), size=min(size, len(pool)), replace=False, p=q)]
        for a_i in range(len(members)):
            for b_i in range(a_i + 1, len(members)):
                a, b = f"s:{members[a_i]}", f"s:{members[b_i]}"
                if G.has_edge(a, b):
                    G[a][b]["weight"] += 1
                else:
                    G.add_edge(a, b, weight=1)
    for a, b, d in G.edges(data=True):
        ta, tb = G.nodes[a]["territory"], G.nodes[b]["territory"]
        d["cross_border"] = bool(ta and tb and ta != tb)
    return G
