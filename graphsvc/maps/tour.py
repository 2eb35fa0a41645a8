"""The auto-tour of the event mode: steps that spotlight communities or cross-border
ties in turn, each with a caption in the chosen language and the organisation whose
page the step's QR code opens."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graphsvc.maps.degrade import ensure_communities
from graphsvc.maps.i18n import Translator
from graphsvc.maps.model import MapData
from graphsvc.maps.style import territory_label

__all__ = ["TOURS", "tour_steps"]

TOURS: tuple[str, ...] = ("communities", "cross-border", "both")


def _name(G: Any, v: Any) -> str:
    d = G.nodes[v]
    return str(d.get("short_name") or d.get("name") or v)


def tour_steps(data: MapData, lang: str, tr: Translator, mode: str = "both", limit: int = 8) -> list[dict[str, Any]]:
    """Up to ``limit`` steps of each kind asked for, biggest first.

    Each step is ``{"kind", "nodes", "edges", "caption", "focus"}``; ``edges`` are the
    payload's edge ids (``e<i>``, in the order of ``data.graph.edges``), ``focus`` the
    organisation the step's QR code opens (None for an aggregated community).

    Examples
    --------
    >>> from graphsvc.maps.synthetic import synthetic_graph
    >>> from graphsvc.maps.build import prepare_map
    >>> from graphsvc.maps.model import Selection
    >>> from graphsvc.maps.i18n import NULL
    >>> m = prepare_map(synthetic_graph(80), Selection())
    >>> steps = tour_steps(m, "en", NULL, "both", limit=2)
    >>> [s["kind"] for s in steps], steps[0]["caption"].startswith("Community")
    (['community', 'tie', 'community', 'tie'], True)
    """
    _ = tr.gettext
    ngettext = tr.ngettext
    if mode not in TOURS:
        raise ValueError(f"unknown tour {mode!r}")
    G = data.graph.copy()
    community_steps: list[dict[str, Any]] = []
    tie_steps: list[dict[str, Any]] = []
    edge_ids = {frozenset((a, b)): f"e{i}" for i, (a, b) in enumerate(data.graph.edges())}
    if mode in ("communities", "both"):
        if data.aggregated:
            ranked = sorted(G.nodes(data=True), key=lambda vd: (-int(vd[1].get("members") or 0), str(vd[0])))
            for v, d in ranked[:limit]:
                n = int(d.get("members") or 0)
                caption = _("Community %(num)s") % {"num": d.get("community")} + ": " + ngettext(
                    "%(num)d organisation", "%(num)d organisations", n) % {"num": n}
                if d.get("top"):
                    caption += " · " + _("Most central: %(names)s") % {"names": ", ".join(d["top"])}
                community_steps.append({"kind": "community", "nodes": [str(v)], "edges": [],
                                        "caption": caption, "focus": None})
        else:
            ensure_communities(G)
            groups: dict[Any, list[Any]] = defaultdict(list)
            for v, d in G.nodes(data=True):
                if d.get("community") is not None and int(d.get("community")) >= 0:
                    groups[d["community"]].append(v)
            ranked_groups = sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))
            for c, members in ranked_groups[:limit]:
                if len(members) < 2:
                    continue
                members.sort(key=lambda v: (-(float(G.nodes[v].get("size") or 0)), str(v)))
                n = len(members)
                caption = _("Community %(num)s") % {"num": c} + ": " + ngettext(
                    "%(num)d organisation", "%(num)d organisations", n) % {"num": n}
                caption += " · " + _("Most central: %(names)s") % {
                    "names": ", ".join(_name(G, v) for v in members[:3])}
                inner = [edge_ids[frozenset((a, b))] for a, b in G.subgraph(members).edges()]
                community_steps.append({"kind": "community", "nodes": [str(v) for v in members],
                                        "edges": inner, "caption": caption, "focus": str(members[0])})
    if mode in ("cross-border", "both"):
        ties = [(a, b, d) for a, b, d in G.edges(data=True) if d.get("cross_border")]
        ties.sort(key=lambda t: (-int(t[2].get("weight") or 1), str(t[0]), str(t[1])))
        for a, b, d in ties[:limit]:
            w = int(d.get("weight") or 1)
            ta = territory_label(G.nodes[a].get("territory"), lang, tr)
            tb = territory_label(G.nodes[b].get("territory"), lang, tr)
            caption = (
                _("Cross-border tie") + f": {_name(G, a)} ({ta}) — {_name(G, b)} ({tb}): "
                + ngettext("%(num)d shared project", "%(num)d shared projects", w) % {"num": w}
            )
            focus = None if data.aggregated else str(a)
            tie_steps.append({"kind": "tie", "nodes": [str(a), str(b)], "edges": [edge_ids[frozenset((a, b))]],
                              "caption": caption, "focus": focus})
    if mode == "communities":
        return community_steps
    if mode == "cross-border":
        return tie_steps
    steps: list[dict[str, Any]] = []
    for i in range(max(len(community_steps), len(tie_steps))):
        steps.extend(community_steps[i : i + 1])
        steps.extend(tie_steps[i : i + 1])
    return steps
