"""The auto-tour of the event mode: steps that spotlight communities, cross-border ties
and, when the map draws them, residency ties in turn, each with a caption in the chosen
language and the organisation whose page the step's QR code opens."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graphsvc.maps.degrade import ensure_communities
from graphsvc.maps.i18n import Translator
from graphsvc.maps.model import MapData
from graphsvc.maps.style import territory_label

__all__ = ["TOURS", "residency_steps", "tour_steps"]

TOURS: tuple[str, ...] = ("communities", "cross-border", "both")


def _name(G: Any, v: Any) -> str:
    d = G.nodes[v]
    return str(d.get("short_name") or d.get("name") or v)


def _names(G: Any, ids: list[Any], lang: str, tr: Translator, most: int = 3) -> str:
    """``Name (Territory), ...`` of the first ``most`` organisations, then ``…``."""
    shown = [f"{_name(G, v)} ({territory_label(G.nodes[v].get('territory'), lang, tr)})" if v in G else str(v)
             for v in ids[:most]]
    return ", ".join(shown) + (", …" if len(ids) > most else "")


def residency_steps(data: MapData, lang: str, tr: Translator, limit: int = 8) -> list[dict[str, Any]]:
    """One step per saved plan and host organisation among the residency ties the map
    draws (``data.residency_ties``), most residents first: the host, the home
    organisations its residents come from, the ties between them (payload ids
    ``r<i>``) and a caption naming the plan, the host, the homes and the periods; the
    QR code opens the host's page. None without residency ties.

    >>> import networkx as nx
    >>> from graphsvc.maps.i18n import NULL
    >>> from graphsvc.maps.model import Selection
    >>> from graphsvc.maps.residency import group_ties
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("h", {"name": "Bordeaux", "territory": "FRI"}), ("a", {"name": "UPV/EHU", "territory": "ES21"})])
    >>> ties = group_ties([{"plan": "p1", "plan_name": "Spring", "period": "2026-1", "host": "h", "home": "a",
    ...                     "residents": 2}])
    >>> [s["caption"] for s in residency_steps(MapData(Selection(), G, residency_ties=ties), "en", NULL)]
    ['Residency plan Spring: Bordeaux (Nouvelle-Aquitaine) hosts 2 residents from UPV/EHU (Basque Country) · period 2026-1']
    """
    _ = tr.gettext
    ngettext = tr.ngettext
    G = data.graph
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for i, tie in enumerate(data.residency_ties):
        for item in tie["items"]:
            g = groups.setdefault((item["plan"], item["host"]), {
                "name": item["name"], "residents": 0, "homes": defaultdict(int), "periods": [], "edges": []})
            n = int(item["residents"])
            g["residents"] += n
            g["homes"][item["home"]] += n
            if item["period"] and item["period"] not in g["periods"]:
                g["periods"].append(item["period"])
            if f"r{i}" not in g["edges"]:
                g["edges"].append(f"r{i}")
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1]["residents"], kv[0][0], str(kv[0][1])))
    steps: list[dict[str, Any]] = []
    for (_plan, host), g in ranked[:limit]:
        homes = sorted(g["homes"], key=lambda v: (-g["homes"][v], _name(G, v) if v in G else str(v)))
        n, periods = g["residents"], sorted(g["periods"])
        caption = _("Residency plan %(plan)s") % {"plan": g["name"]} + ": " + ngettext(
            "%(host)s hosts %(num)d resident from %(homes)s", "%(host)s hosts %(num)d residents from %(homes)s", n,
        ) % {"host": _names(G, [host], lang, tr), "num": n, "homes": _names(G, homes, lang, tr)}
        if periods:
            caption += " · " + ngettext("period %(periods)s", "periods %(periods)s", len(periods)) % {
                "periods": ", ".join(periods)}
        steps.append({"kind": "residency", "nodes": [str(host)] + [str(v) for v in homes], "edges": g["edges"],
                      "caption": caption, "focus": str(host) if host in G else None})
    return steps


def tour_steps(data: MapData, lang: str, tr: Translator, mode: str = "both", limit: int = 8) -> list[dict[str, Any]]:
    """Up to ``limit`` steps of each kind asked for, biggest first, taken in turn; when
    the map draws residency ties, up to ``limit`` residency steps
    (:func:`residency_steps`) join the turn whatever ``mode`` says.

    Each step is ``{"kind", "nodes", "edges", "caption", "focus"}``; ``edges`` are the
    payload's edge ids (``e<i>``, in the order of ``data.graph.edges``, and ``r<i>``
    for residency ties), ``focus`` the organisation the step's QR code opens (None for
    an aggregated community).

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
                caption = _("Community %(num)s: %(what)s") % {"num": d.get("community"), "what": ngettext(
                    "%(num)d organisation", "%(num)d organisations", n) % {"num": n}}
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
                # the members drawn on this map (the community page counts the whole community)
                caption = _("Community %(num)s: %(what)s") % {"num": c, "what": ngettext(
                    "%(num)d organisation on this map", "%(num)d organisations on this map", n) % {"num": n}}
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
    kinds = [community_steps, tie_steps, residency_steps(data, lang, tr, limit)]
    steps: list[dict[str, Any]] = []
    for i in range(max(len(k) for k in kinds)):
        for k in kinds:
            steps.extend(k[i : i + 1])
    return steps
