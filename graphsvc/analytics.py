"""Analytics written back to the graph, and the read functions the web app shows.

:func:`analyse` computes, on the co-participation graph of every organisation, the
Louvain community (fixed seed), degree (distinct partners), betweenness (sampled
sources with a seed when the graph is large), PageRank (weighted by shared projects),
broker score and territories reached (:mod:`graphsvc.algorithms.brokers`), and writes
them on each ``Organisation`` with batched ``UNWIND ... SET``; ``Meta.analysed_at`` is
set and the graph version bumped.

Two engines: ``networkx`` (default; in this process, from the cached projection) and
``gds`` (Neo4j Graph Data Science on the server: ``gds.graph.project`` with a Cypher
projection, then Louvain, PageRank, betweenness and degree ``.write``, then the
projection is dropped; the broker scores come from this process in both cases).

The read functions (:func:`communities`, :func:`brokers`, :func:`skills_gaps`,
:func:`kpis`) return plain data.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np

from graphsvc.algorithms.brokers import broker_scores
from graphsvc.algorithms.centrality import betweenness_scores, pagerank_scores
from graphsvc.algorithms.gaps import skills_gaps as _skills_gaps
from graphsvc.db import Graph
from graphsvc.errors import InvalidInput, QueryFailed
from graphsvc.projection import Projection, fetch, projection
from graphsvc.regions import TERRITORIES

__all__ = [
    "ENGINES",
    "analyse",
    "communities",
    "brokers",
    "skills_gaps",
    "kpis",
    "KPI_TARGETS",
    "analysed_at",
]

ENGINES = ("networkx", "gds")
SEED = 42
# Exact betweenness up to this many organisations; above, sampled sources.
EXACT_BETWEENNESS_UP_TO = 3000
BETWEENNESS_SAMPLES = 192
PARTNERSHIP_NETWORK = "ksigune"
HUB_NETWORK = "euroregional-green-audiovisual-hub"

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def analyse(
    graph: Graph,
    *,
    engine: str = "networkx",
    samples: int | None = None,
    seed: int = SEED,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Compute the analytics and write them on every Organisation.

    Parameters
    ----------
    graph : Graph
    engine : {'networkx', 'gds'}
        ``gds`` needs the Graph Data Science plugin on the server.
    samples : int, optional
        Betweenness sources to sample; default: exact up to
        :data:`EXACT_BETWEENNESS_UP_TO` organisations, else :data:`BETWEENNESS_SAMPLES`.
    seed : int
        Seed of Louvain and of the betweenness sample.
    progress : callable, optional
        Called with a short message at each step.

    Returns
    -------
    dict: a summary (counts, timings per step, engine).
    """
    if engine not in ENGINES:
        raise InvalidInput(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}", field="engine")
    say = progress or _quiet
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    last = [t0]

    def step(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - last[0], 2)
        last[0] = now

    say("reading the graph")
    proj = projection(graph)
    step("read")
    n = len(proj.ids)
    k = _samples(n, samples)
    if engine == "gds":
        summary = _analyse_gds(graph, proj, k, seed, say, step)
    else:
        summary = _analyse_networkx(graph, proj, k, seed, say, step)
    row = graph.write("analytics/mark_analysed", engine=engine)[0]
    step("finish")
    summary.update({
        "engine": engine,
        "organisations": n,
        "ties": int(proj.co.matrix.nnz // 2),
        "projects": len(proj.projects),
        "betweenness_samples": k,
        "seconds": round(time.perf_counter() - t0, 2),
        "timings": timings,
        "analysed_at": row["analysed_at"],
        "version": row["version"],
    })
    return summary


def _samples(n: int, samples: int | None) -> int:
    if samples is not None:
        return max(1, min(int(samples), n)) if n else 0
    return n if n <= EXACT_BETWEENNESS_UP_TO else min(BETWEENNESS_SAMPLES, n)


def _brokers(proj: Projection) -> tuple[np.ndarray, list[list[str]]]:
    return broker_scores(proj.co, proj.territory)


def _summary(proj: Projection, community: np.ndarray, brokers: np.ndarray) -> dict[str, Any]:
    sizes = np.bincount(community[community >= 0]) if community.size else np.zeros(0, dtype=int)
    return {
        "communities": int((sizes > 1).sum()),
        "largest_community": int(sizes.max()) if sizes.size else 0,
        "brokers": int((brokers > 0).sum()),
    }


def _analyse_networkx(
    graph: Graph, proj: Projection, k: int, seed: int, say: Progress, step: Callable[[str], None]
) -> dict[str, Any]:
    n = len(proj.ids)
    say(f"communities (Louvain, seed {seed}) on {n} organisations")
    community = proj.community if seed == SEED else _louvain(proj, seed)
    step("communities")
    say(f"betweenness ({'exact' if k >= n else f'{k} sampled sources'})")
    btw = betweenness_scores(proj.co, k=None if k >= n else k, seed=seed)
    step("betweenness")
    say("PageRank")
    pr = pagerank_scores(proj.co)
    step("pagerank")
    say("cross-border brokers")
    scores, reached = _brokers(proj)
    step("brokers")
    degree = proj.co.degree()
    rows = [
        {
            "id": proj.ids[i],
            "community": int(community[i]),
            "degree": int(degree[i]),
            "betweenness": float(btw[i]),
            "pagerank": float(pr[i]),
            "broker_score": int(scores[i]),
            "territories_reached": reached[i],
        }
        for i in range(n)
    ]
    say(f"writing {n} organisations")
    graph.write_batches("analytics/write_org_metrics", rows, batch_size=5000)
    step("write")
    return _summary(proj, community, scores)


def _louvain(proj: Projection, seed: int) -> np.ndarray:
    from graphsvc.algorithms.communities import louvain_sparse
    from graphsvc.projection import LOUVAIN_CORE_ABOVE

    core = proj.project_count >= 2 if proj.co.matrix.nnz // 2 > LOUVAIN_CORE_ABOVE else None
    return louvain_sparse(proj.co, seed=seed, core=core)


def _analyse_gds(
    graph: Graph, proj: Projection, k: int, seed: int, say: Progress, step: Callable[[str], None]
) -> dict[str, Any]:
    if not graph.has_procedure("gds."):
        raise QueryFailed(
            "the gds engine needs the Neo4j Graph Data Science plugin, which this server lacks; "
            "use --engine networkx"
        )
    name = f"lotura-{uuid.uuid4().hex[:12]}"
    n = len(proj.ids)
    say("projecting the co-participation graph into GDS")
    info = graph.write("analytics/gds_project", graph_name=name)[0]
    step("gds_project")
    try:
        say("Louvain (GDS)")
        louv = graph.write("analytics/gds_louvain", graph_name=name)[0]
        step("communities")
        say(f"betweenness (GDS, {'exact' if k >= n else f'{k} sampled sources'})")
        gds_n = int(info["nodes"])
        graph.write("analytics/gds_betweenness", graph_name=name, samples=min(k, gds_n), seed=seed)
        step("betweenness")
        say("PageRank and degree (GDS)")
        graph.write("analytics/gds_pagerank", graph_name=name)
        graph.write("analytics/gds_degree", graph_name=name)
        step("pagerank")
    finally:
        graph.write("analytics/gds_drop", graph_name=name)
    # GDS counts each unordered pair once on an undirected graph; networkx's normalised
    # value divides the ordered count by (n-1)(n-2). Scale to match.
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    total = graph.read_one("analytics/pagerank_total") or {"total": 0.0}
    graph.write("analytics/gds_finish", betweenness_scale=scale, pagerank_total=float(total["total"] or 0.0))
    say("cross-border brokers")
    scores, reached = _brokers(proj)
    rows = [
        {"id": proj.ids[i], "broker_score": int(scores[i]), "territories_reached": reached[i]} for i in range(n)
    ]
    graph.write_batches("analytics/write_brokers", rows, batch_size=5000)
    step("brokers")
    return {
        "communities": len(communities(graph, limit=1_000_000, top=0)),
        "communities_with_singletons": int(louv["communities"]),
        "modularity": round(float(louv["modularity"]), 4),
        "brokers": int((scores > 0).sum()),
        "gds_nodes": int(info["nodes"]),
        "gds_relationships": int(info["relationships"]),
    }


# -- reads ------------------------------------------------------------------------


def analysed_at(graph: Graph) -> dict[str, Any]:
    """When the analytics were last written (``analysed_at`` None if never) and how."""
    row = graph.read_one("analytics/analysed_at") or {}
    return {"analysed_at": row.get("analysed_at"), "engine": row.get("engine")}


def communities(graph: Graph, limit: int = 50, top: int = 5) -> list[dict[str, Any]]:
    """Communities written by :func:`analyse`, largest first (singletons left out).

    Each: ``community``, ``size``, members per territory (``es21``, ``es22``, ``fri``)
    and the ``top`` members by PageRank. Empty until ``lotura analyse`` has run.
    """
    return graph.read("analytics/communities", limit=int(limit), top=int(top))


def brokers(graph: Graph, limit: int = 20, territory: str | None = None) -> list[dict[str, Any]]:
    """Cross-border brokers written by :func:`analyse`, highest broker score first."""
    if territory is not None and territory not in TERRITORIES:
        raise InvalidInput(f"unknown territory {territory!r}: use one of {', '.join(TERRITORIES)}",
                           field="territory")
    return graph.read("analytics/brokers", limit=int(limit), territory=territory)


def skills_gaps(graph: Graph, *, include_projects: bool = False) -> list[dict[str, Any]]:
    """Topics needed in a territory and offered only across the border.

    Offered means a capacity covers the topic; with ``include_projects`` a project on
    it counts too. Each row: ``territory``, ``topic`` (id), ``topic_name``,
    ``needed_by`` and ``offered_by`` (lists of ``{id, name, territory, example}``),
    ``offered_in`` and ``example``. A need or an offer is an ``example`` when it is curated
    example data (``is_example`` on the need, on every capacity behind the offer, or on the
    organisation); a gap is an ``example`` when all its needs or all its offers are.
    """
    data = fetch(graph)
    orgs = {o["id"]: o for o in data.orgs}
    territory = {o["id"]: o.get("territory") for o in data.orgs}
    placeholder = {i for i, o in orgs.items() if o.get("is_example")}
    needs: dict[str, set[str]] = {}
    for org, topic in data.needs:
        needs.setdefault(org, set()).add(topic)
    offers: dict[str, set[str]] = {}
    real_offers: set[tuple[str, str]] = set()  # (org, topic) offered by a capacity that is not an example
    for c in data.capacities:
        offers.setdefault(c["org"], set()).update(c["topics"])
        if not c.get("example"):
            real_offers.update((c["org"], t) for t in c["topics"])
    if include_projects:
        for p in data.projects:
            for org in p.orgs:
                offers.setdefault(org, set()).update(p.topics)
                real_offers.update((org, t) for t in p.topics)

    def who(ids: list[str], topic: str, example: Callable[[str, str], bool]) -> list[dict[str, Any]]:
        return [{"id": i, "name": orgs[i].get("name") or i, "territory": territory.get(i),
                 "example": example(i, topic)} for i in ids if i in orgs]

    def example_need(org: str, topic: str) -> bool:
        return org in placeholder or (org, topic) in data.example_needs

    def example_offer(org: str, topic: str) -> bool:
        return org in placeholder or (org, topic) not in real_offers

    out = []
    for row in _skills_gaps(needs, offers, territory):
        needed_by = who(row["needed_by"], row["topic"], example_need)
        offered_by = who(row["offered_by"], row["topic"], example_offer)
        out.append({
            "territory": row["territory"],
            "topic": row["topic"],
            "topic_name": data.topics.get(row["topic"], (row["topic"], None))[0],
            "needed_by": needed_by,
            "offered_by": offered_by,
            "offered_in": row["offered_in"],
            # the gap rests on curated example data only: every need or every offer is one
            "example": all(x["example"] for x in needed_by) or all(x["example"] for x in offered_by),
        })
    return out


# The partnership's own scoreboard: ../shared/seeds/001 (KSIgune Regional Skills
# Partnership, EU Pact for Skills), "Tracking your impact".
KPI_TARGETS: list[dict[str, Any]] = [
    {"key": "capacities", "label": "Training, research and transfer capacities identified",
     "target": 100, "timeframe": "2024",
     "source": "Capacity nodes (the partnership's capacity survey, lotura load capacities)"},
    {"key": "organisations", "label": "Organisations taking part in the partnership",
     "target": 49, "timeframe": "2025",
     "source": "organisations that are MEMBER_OF the KSIgune network"},
    {"key": "projects_supported", "label": "Projects supported (skills and capacity transfer)",
     "target": 30, "timeframe": "2024",
     "source": "projects from the partnership's own records (programme OTHER)"},
    {"key": "hub_agents", "label": "Agents in the Euroregional Green Audiovisual Hub",
     "target": 500, "timeframe": "2024",
     "source": "organisations that are MEMBER_OF the Euroregional Green Audiovisual Hub network"},
    {"key": "euroregional_projects", "label": "Euroregional projects for cross-border cooperation",
     "target": 1, "timeframe": "2024-25",
     "source": "the partnership's own projects (programme OTHER) with participants in two or more "
               "territories of the Euroregion (cross_border); funded research projects do not count"},
]


def kpis(graph: Graph) -> list[dict[str, Any]]:
    """The partnership's KPIs: actual count, target, progress and where the count comes from.

    ``actual`` counts everything in the graph; ``examples`` says how many of those are
    curated examples (``is_example`` on the item, its membership or its organisation).
    ``progress`` is the share of the target reached by the real ones (examples do not
    count), capped at 1.
    """
    row = graph.read_one("analytics/kpis", partnership=PARTNERSHIP_NETWORK, hub=HUB_NETWORK) or {}
    counts = {"capacities": "capacities", "organisations": "members", "projects_supported": "partnership_projects",
              "hub_agents": "hub_agents", "euroregional_projects": "euroregional_projects"}
    out = []
    for kpi in KPI_TARGETS:
        field = counts[kpi["key"]]
        value, examples = int(row.get(field) or 0), int(row.get(f"{field}_examples") or 0)
        real = value - examples
        out.append({
            **kpi,
            "actual": value,
            "examples": examples,
            "progress": round(min(real / kpi["target"], 1.0), 3) if kpi["target"] else None,
        })
    return out
