"""A laid-out map as the JSON the browser draws: vis-network nodes, edges and options,
the legend, the note and the words of the page, in one language.

Every text from the data is a plain string here; the browser code
(``web/static/js/maps.js``) only ever puts strings into ``textContent`` or into
vis-network's canvas and plain-text tooltips.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from graphsvc.maps.i18n import Translator
from graphsvc.maps.model import MapData, Selection
from graphsvc.maps.residency import tie_tooltip
from graphsvc.maps.style import (
    ABROAD_COLOUR,
    CROSS_BORDER_COLOUR,
    EDGE_COLOUR,
    KIND_SHAPES,
    RESIDENCY_COLOUR,
    RESIDENCY_DASHES,
    edge_width,
    kind_label,
    legend,
    node_label,
    node_tooltip,
    size_label,
    territory_colour,
    territory_label,
)
from graphsvc.regions import territory_name

__all__ = ["to_payload", "vis_options", "json_for_html", "selection_title", "note_text", "ui_strings", "map_table"]

OrgUrl = Callable[[str], str]


def json_for_html(obj: Any) -> str:
    """JSON safe to place inside ``<script type="application/json">`` (no ``</script>``).

    >>> json_for_html({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def vis_options(n_nodes: int, *, physics: bool = False, event: bool = False) -> dict[str, Any]:
    """vis-network options: still by default, labels large enough for a projector."""
    big = n_nodes > 600
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 42},
        "physics": {
            "enabled": physics,
            # the gentle option: slow drift from the server's layout, no explosion
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -40, "centralGravity": 0.002,
                                 "springLength": 110, "springConstant": 0.04, "avoidOverlap": 0.1},
            "maxVelocity": 6,
            "minVelocity": 0.5,
            "timestep": 0.25,
            "stabilization": {"enabled": False},
        },
        "nodes": {
            "borderWidth": 2 if event else 1,
            "font": {
                "size": 26 if event else 18,
                "face": "system-ui, 'DejaVu Sans', sans-serif",
                "color": "#ffffff" if event else "#1b1f24",
                "strokeWidth": 5 if event else 4,
                "strokeColor": "#000000" if event else "#ffffff",
            },
            "scaling": {
                "min": 10, "max": 56 if event else 46,
                "label": {"enabled": True, "min": 22 if event else 16, "max": 64 if event else 44,
                          "maxVisible": 72, "drawThreshold": 11 if big else 8},
            },
        },
        "edges": {
            "smooth": False,
            "color": {"color": "#9aa7b4" if event else EDGE_COLOUR, "highlight": "#ffd166" if event else "#0b5e7e",
                      "hover": "#0b5e7e", "opacity": 0.5 if event else 0.45},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "navigationButtons": False,
            "multiselect": False,
        },
    }


def selection_title(selection: Selection, data: MapData | None, lang: str, tr: Translator) -> str:
    _ = tr.gettext
    if selection.kind == "whole":
        return _("The whole ecosystem")
    if selection.kind == "territory":
        return _("Territory: %(name)s") % {"name": territory_name(selection.value, lang)}
    if selection.kind == "community":
        return _("Community %(num)s") % {"num": selection.value}
    if selection.kind == "topic":
        return _("Topic: %(name)s") % {"name": selection.value}
    if selection.kind == "cross-border":
        return _("Cross-border ties")
    name = selection.value or ""
    if data is not None and name in data.graph:
        name = str(data.graph.nodes[name].get("name") or name)
    if selection.hops == 2:
        return _("Network of %(name)s (partners and their partners)") % {"name": name}
    return _("Network of %(name)s (direct partners)") % {"name": name}


def note_text(data: MapData, tr: Translator) -> str | None:
    """What the map leaves out, in words (None when it shows the whole selection)."""
    _ = tr.gettext
    note = data.note
    if not note:
        return None
    parts = []
    if note["kind"] == "community":
        parts.append(_(
            "%(total)s organisations are too many to draw one by one: each node is a community "
            "(%(shown)s communities), sized by its number of organisations."
        ) % {"total": note["total"], "shown": note["shown"]})
    elif note["kind"] == "top":
        parts.append(_(
            "Showing the %(shown)s most central of %(total)s organisations (by %(measure)s) so that the map "
            "stays readable. Choose a smaller selection to see them all."
        ) % {"shown": note["shown"], "total": note["total"], "measure": size_label(note["by"], tr)})
    if "edges_shown" in note:
        parts.append(_(
            "Only the %(shown)s strongest of %(total)s ties are drawn; every organisation keeps its strongest ties."
        ) % {"shown": note["edges_shown"], "total": note["edges_total"]})
    return " ".join(parts)


def ui_strings(tr: Translator) -> dict[str, str]:
    """Words of the map's controls, for the browser code."""
    _ = tr.gettext
    return {
        "fit": _("Fit to screen"),
        "physics_on": _("Let it move gently"),
        "physics_off": _("Hold still"),
        "open": _("Open the organisation page"),
        "close": _("Close"),
        "details": _("Details"),
        "empty": _("Nothing to show: this selection has no organisations."),
        "loading": _("Loading the map…"),
        "failed": _("The map could not be loaded."),
        "nodes": _("Organisations"),
        "edges": _("Ties"),
        "members": _("Organisations in this group"),
        "previous": _("Previous"),
        "next": _("Next"),
        "pause": _("Pause the tour"),
        "play": _("Play the tour"),
        # the canvas' accessible name: what it is, how keys move it, where its text alternative is
        "canvas": _("Network map: %(title)s. Arrow keys move it, + and − zoom."),
        "canvas_list": _("Network map: %(title)s. Arrow keys move it, + and − zoom. The organisations it shows "
                         "are listed in the table “Organisations on this map”."),
        "list_title": _("Organisations on this map"),
        "col_name": _("Organisation"),
        "col_kind": _("Kind"),
        "col_territory": _("Territory"),
        "col_ties": _("Ties on the map"),
        "col_community": _("Community"),
        "col_show": _("On the map"),
        "show_on_map": _("Show on the map"),
    }


def to_payload(
    data: MapData,
    lang: str,
    tr: Translator,
    *,
    org_url: OrgUrl | None = None,
    physics: bool = False,
    event: bool = False,
    table: bool = False,
) -> dict[str, Any]:
    """Everything a page or an export needs to draw ``data`` in ``lang``; with ``table``,
    also the map's text alternative (:func:`map_table`), which the pages show under it."""
    ngettext = tr.ngettext
    G = data.graph
    aggregated = data.aggregated
    nodes = []
    labels: dict[Any, str] = {}
    kinds: set[str] = set()
    for v, d in G.nodes(data=True):
        colour = territory_colour(d.get("territory"))
        kind = d.get("kind") if d.get("kind") in KIND_SHAPES else "other"
        kinds.add(kind)
        label = (_community_label(d, tr) if aggregated else node_label(d, str(v)))
        labels[v] = label
        node: dict[str, Any] = {
            "id": str(v),
            "label": label,
            "title": node_tooltip(d, str(v), lang, tr, data.size_by),
            "x": d.get("x", 0.0),
            "y": d.get("y", 0.0),
            "value": d.get("size", 0.5),
            "shape": "dot" if aggregated else KIND_SHAPES[kind],
            "color": {
                "background": colour,
                "border": "#ffffff" if event else "#1b1f24",
                "highlight": {"background": colour, "border": "#ffd166" if event else "#000000"},
                "hover": {"background": colour, "border": "#ffd166" if event else "#000000"},
            },
            "territory": d.get("territory") or "abroad",
            "kind": kind,
            "community": d.get("community"),
        }
        if org_url is not None and not aggregated:
            node["url"] = org_url(str(v))
        nodes.append(node)
    edges = []
    weights: set[int] = set()
    for i, (a, b, d) in enumerate(G.edges(data=True)):
        w = int(d.get("weight", 1) or 1)
        weights.add(w)
        edge: dict[str, Any] = {"id": f"e{i}", "from": str(a), "to": str(b), "width": edge_width(w), "w": w}
        if d.get("cross_border"):
            edge["cross"] = True
            edge["color"] = {"color": CROSS_BORDER_COLOUR, "opacity": 0.85}
        edges.append(edge)
    names = {str(v): str(d.get("name") or d.get("short_name") or v) for v, d in G.nodes(data=True)}
    for i, tie in enumerate(data.residency_ties):
        # a plain-text title made here: the browser keeps it (maps.js writes titles only for the others)
        edges.append({
            "id": f"r{i}", "from": tie["source"], "to": tie["target"], "kind": "residency",
            "width": 2.5, "w": int(tie["residents"]), "dashes": RESIDENCY_DASHES,
            "color": {"color": RESIDENCY_COLOUR, "highlight": RESIDENCY_COLOUR, "hover": RESIDENCY_COLOUR,
                      "opacity": 0.95},
            "title": tie_tooltip(tie, names, tr),
        })
    words = ui_strings(tr)
    # plural forms differ by language, so the browser gets each needed phrase ready-made
    shared = {str(w): ngettext("%(num)d shared project", "%(num)d shared projects", w) % {"num": w} for w in weights}
    payload = {
        "lang": lang,
        "title": selection_title(data.selection, data, lang, tr),
        "selection": data.selection.key(),
        "note": note_text(data, tr),
        "counts": {"nodes": len(nodes), "edges": len(edges), "total_nodes": data.total_nodes,
                   "total_edges": data.total_edges, "residencies": len(data.residency_ties)},
        "residencies": data.residencies,
        "version": data.version,
        "center": data.selection.value if data.selection.kind == "ego" else None,
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(len(nodes), physics=physics, event=event),
        "legend": legend(lang, tr, data.size_by, kinds=kinds, aggregated=aggregated,
                         residencies=data.residencies is not None),
        "strings": {**words, "shared": shared, "cross_border": tr.gettext("Cross-border tie")},
        "colours": {"abroad": ABROAD_COLOUR, "cross": CROSS_BORDER_COLOUR, "residency": RESIDENCY_COLOUR},
    }
    if table:
        payload["table"] = map_table(payload, data, lang, tr)
    return payload


def map_table(payload: dict[str, Any], data: MapData, lang: str, tr: Translator) -> dict[str, Any]:
    """The map as a table, for people who cannot see or point at it: one row per node
    drawn (its name, kind, territory, ties drawn on this map and community), the most
    central first, made from the payload itself so that it lists exactly what is drawn.

    Examples
    --------
    >>> import networkx as nx
    >>> from graphsvc.maps.i18n import NULL
    >>> G = nx.Graph()
    >>> G.add_node("a", name="Alpha", kind="university", territory="ES21", community=1, size=0.2)
    >>> G.add_node("b", name="Beta", kind="company", territory="FRI", community=2, size=0.9)
    >>> G.add_edge("a", "b", weight=2)
    >>> m = MapData(graph=G, selection=Selection(), size_by="degree")
    >>> t = to_payload(m, "en", NULL, org_url=lambda i: f"/org/{i}", table=True)["table"]
    >>> [(r["name"], r["kind"], r["territory"], r["ties"], r["url"]) for r in t["rows"]]
    [('Beta', 'Company', 'Nouvelle-Aquitaine', 1, '/org/b'), ('Alpha', 'University', 'Basque Country', 1, '/org/a')]
    """
    attrs = {str(v): d for v, d in data.graph.nodes(data=True)}
    ties: dict[str, int] = {n["id"]: 0 for n in payload["nodes"]}
    for e in payload["edges"]:  # co-participation and residency ties, as drawn
        for end in (e["from"], e["to"]):
            if end in ties:
                ties[end] += 1
    rows = []
    for n in payload["nodes"]:
        d = attrs.get(n["id"], {})
        community = d.get("community")
        rows.append({
            "id": n["id"],
            "name": n["label"] if data.aggregated else str(d.get("name") or d.get("short_name") or n["id"]),
            "url": n.get("url"),
            "kind": "" if data.aggregated else kind_label(n["kind"], tr),
            "territory": "" if data.aggregated else territory_label(d.get("territory"), lang, tr),
            "ties": ties[n["id"]],
            "community": community if community is not None and int(community) >= 0 else None,
            "value": n["value"],
        })
    rows.sort(key=lambda r: (-float(r["value"] or 0), r["name"].casefold()))
    for r in rows:
        del r["value"]
    return {"rows": rows, "caption": tr.gettext("Most central first, by %(measure)s.")
            % {"measure": size_label(data.size_by, tr)}}


def _community_label(d: dict[str, Any], tr: Translator) -> str:
    _ = tr.gettext
    return _("Community %(num)s") % {"num": d.get("community")}
