"""Counts that describe the graph: ``lotura stats`` and the web dashboard share them."""

from __future__ import annotations

from typing import Any

from graphsvc.db import Graph
from graphsvc.regions import TERRITORIES

__all__ = ["graph_stats", "TERRITORY_KEYS", "format_stats"]

#: The territory buckets of the counts: the three territories and everywhere else.
TERRITORY_KEYS = (*TERRITORIES, "abroad")


def graph_stats(graph: Graph, *, loads: int = 5) -> dict[str, Any]:
    """Counts by label, by relationship type, organisations by territory and kind,
    projects by territory, the partnership's capacities and needs, the last loads.

    Parameters
    ----------
    graph : Graph
        The graph to count.
    loads : int
        How many recent ``(:Load)`` records to include.

    Returns
    -------
    dict
        ``labels``, ``relationships``, ``organisations`` (``total``, ``by_territory``
        with keys ES21, ES22, FRI and abroad, ``by_kind``, ``by_territory_kind``),
        ``projects`` (``total``, ``by_territory``, ``cross_border``), ``curated``,
        ``loads`` and ``version``.
    """
    labels = {r["label"]: r["n"] for r in graph.read("stats/labels")}
    rels = {r["type"]: r["n"] for r in graph.read("stats/relationships")}
    by_territory = dict.fromkeys(TERRITORY_KEYS, 0)
    by_kind: dict[str, int] = {}
    by_tk: dict[str, dict[str, int]] = {t: {} for t in TERRITORY_KEYS}
    for r in graph.read("stats/organisations"):
        t = r["territory"] if r["territory"] in TERRITORIES else "abroad"
        by_territory[t] += r["n"]
        by_kind[r["kind"]] = by_kind.get(r["kind"], 0) + r["n"]
        by_tk[t][r["kind"]] = by_tk[t].get(r["kind"], 0) + r["n"]
    p = graph.read_one("stats/projects") or {}
    c = graph.read_one("stats/curated") or {}
    return {
        "labels": labels,
        "relationships": rels,
        "organisations": {
            "total": sum(by_territory.values()),
            "by_territory": by_territory,
            "by_kind": dict(sorted(by_kind.items())),
            "by_territory_kind": {t: dict(sorted(v.items())) for t, v in by_tk.items()},
        },
        "projects": {
            "total": p.get("total", 0),
            "by_territory": {"ES21": p.get("es21", 0), "ES22": p.get("es22", 0), "FRI": p.get("fri", 0)},
            "cross_border": p.get("cross_border", 0),
        },
        "curated": {k: c.get(k) or 0 for k in ("capacities", "capacity_examples", "needs", "need_examples")},
        "loads": graph.read("stats/last_load", limit=loads),
        "version": graph.graph_version(),
    }


def format_stats(stats: dict[str, Any]) -> str:
    """The counts of :func:`graph_stats` as aligned text.

    >>> s = {"labels": {"Organisation": 3}, "relationships": {}, "version": 2,
    ...      "organisations": {"total": 3, "by_territory": {"ES21": 2, "abroad": 1},
    ...                        "by_kind": {"vet": 3}, "by_territory_kind": {}},
    ...      "projects": {"total": 0, "by_territory": {}, "cross_border": 0}, "curated": {}, "loads": []}
    >>> print(format_stats(s))  # doctest: +NORMALIZE_WHITESPACE
    Graph version 2
    Nodes by label
      Organisation  3
    Organisations by territory
      ES21    2
      abroad  1
    Organisations by kind
      vet  3
    Projects: 0 (cross-border 0)
    """
    def block(title: str, counts: dict[str, Any]) -> list[str]:
        if not counts:
            return []
        width = max(len(str(k)) for k in counts) + 2
        return [title] + [f"  {str(k).ljust(width)}{v}" for k, v in counts.items()]

    lines = [f"Graph version {stats['version']}"]
    lines += block("Nodes by label", stats["labels"])
    lines += block("Relationships by type", stats["relationships"])
    lines += block("Organisations by territory", stats["organisations"]["by_territory"])
    lines += block("Organisations by kind", stats["organisations"]["by_kind"])
    pr = stats["projects"]
    lines.append(f"Projects: {pr['total']} (cross-border {pr['cross_border']})")
    lines += block("Projects with a participant in", pr["by_territory"])
    lines += block("Partnership records", stats["curated"])
    if stats["loads"]:
        lines.append("Last loads")
        for ld in stats["loads"]:
            lines.append(f"  {ld['started']}  {ld['source']:<10} {ld['status']:<8} rows {ld['rows_read']}, "
                         f"rejected {ld['rows_rejected']}, nodes +{ld['nodes_created']}, "
                         f"relationships +{ld['relationships_created']}")
    return "\n".join(lines)
