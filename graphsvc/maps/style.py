"""How a map looks: colour by territory, shape by kind, size by centrality, edge
width by shared projects, and the words of legends and tooltips.

Tooltips are plain text (vis-network 9 puts a string ``title`` in ``innerText``);
nothing here produces HTML.
"""

from __future__ import annotations

import math
from typing import Any

from graphsvc.maps.i18n import N_, Translator
from graphsvc.regions import TERRITORIES, territory_name

__all__ = [
    "TERRITORY_COLOURS",
    "ABROAD_COLOUR",
    "CROSS_BORDER_COLOUR",
    "RESIDENCY_COLOUR",
    "RESIDENCY_DASHES",
    "KIND_SHAPES",
    "kind_label",
    "size_label",
    "territory_label",
    "legend",
    "node_label",
    "node_tooltip",
    "edge_width",
    "edge_tooltip",
]

# The same colours as web/static/css/lotura.css (--es21, --es22, --fri, --abroad).
TERRITORY_COLOURS = {"ES21": "#c8102e", "ES22": "#d9a400", "FRI": "#1f5fbf"}
ABROAD_COLOUR = "#6c757d"
CROSS_BORDER_COLOUR = "#7b2cbf"
RESIDENCY_COLOUR = "#0f8a5f"  # residency ties: green and dashed, apart from the territories and purple
RESIDENCY_DASHES = [10, 6]
EDGE_COLOUR = "#8a96a3"

# vis-network shapes whose label is drawn below the node, so labels stay readable.
KIND_SHAPES = {
    "university": "dot",
    "research": "diamond",
    "company": "square",
    "public": "triangle",
    "vet": "star",
    "cluster": "hexagon",
    "other": "triangleDown",
}
KIND_NAMES = {
    "university": N_("University"),
    "research": N_("Research centre"),
    "company": N_("Company"),
    "public": N_("Public body"),
    "vet": N_("Vocational training centre"),
    "cluster": N_("Cluster or association"),
    "other": N_("Other"),
}
SIZE_NAMES = {"degree": N_("Partners"), "pagerank": N_("PageRank"), "betweenness": N_("Betweenness")}
LABEL_MAX = 32


def territory_colour(territory: str | None) -> str:
    return TERRITORY_COLOURS.get(territory or "", ABROAD_COLOUR)


def kind_label(kind: str | None, tr: Translator) -> str:
    _ = tr.gettext
    return _(KIND_NAMES.get(kind or "other", KIND_NAMES["other"]))


def size_label(size_by: str, tr: Translator) -> str:
    _ = tr.gettext
    return _(SIZE_NAMES[size_by])


def territory_label(territory: str | None, lang: str, tr: Translator) -> str:
    _ = tr.gettext
    if territory in TERRITORIES:
        return territory_name(territory, lang)
    return _("Outside the Euroregion")


def legend(lang: str, tr: Translator, size_by: str, kinds: set[str] | None = None, aggregated: bool = False,
           residencies: bool = False) -> dict[str, Any]:
    """The legend of a map, as data the page or export renders with ``textContent``;
    ``residencies`` adds the entry of residency ties."""
    _ = tr.gettext
    territories = [
        {"key": t, "label": territory_name(t, lang), "color": TERRITORY_COLOURS[t]} for t in TERRITORIES
    ]
    territories.append({"key": "abroad", "label": _("Outside the Euroregion"), "color": ABROAD_COLOUR})
    shown = [k for k in KIND_SHAPES if kinds is None or k in kinds]
    out: dict[str, Any] = {
        "title": _("Legend"),
        "colour_title": _("Colour: territory"),
        "territories": territories,
        "shape_title": _("Shape: kind of organisation"),
        "kinds": [{"key": k, "label": kind_label(k, tr), "shape": KIND_SHAPES[k]} for k in shown],
        "size": (_("Size: organisations in the community") if aggregated
                 else _("Size: %(measure)s") % {"measure": size_label(size_by, tr)}),
        "edges": _("Line width: shared projects"),
        "cross_border": {"label": _("Cross-border tie"), "color": CROSS_BORDER_COLOUR},
    }
    if residencies:
        out["residency"] = {"label": _("Residency tie"), "color": RESIDENCY_COLOUR, "dashes": RESIDENCY_DASHES}
    return out


def node_label(data: dict[str, Any], fallback: str) -> str:
    """The short text drawn under a node.

    >>> node_label({"short_name": "UPV/EHU", "name": "Universidad del País Vasco"}, "x")
    'UPV/EHU'
    >>> node_label({"name": "A" * 40}, "x")
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…'
    """
    text = str(data.get("short_name") or data.get("name") or fallback).strip()
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4f}" if abs(v) < 1 else f"{v:.1f}"
    return str(v)


def node_tooltip(data: dict[str, Any], node_id: str, lang: str, tr: Translator, size_by: str) -> str:
    """The plain-text tooltip of a node (lines separated by newlines)."""
    _ = tr.gettext
    ngettext = tr.ngettext
    if data.get("aggregate"):
        n = int(data.get("members") or 0)
        lines = [
            _("Community %(num)s") % {"num": data.get("community")},
            ngettext("%(num)d organisation", "%(num)d organisations", n) % {"num": n},
        ]
        if data.get("top"):
            lines.append(_("Most central: %(names)s") % {"names": ", ".join(data["top"])})
        return "\n".join(lines)
    lines = [str(data.get("name") or node_id)]
    lines.append(f"{kind_label(data.get('kind'), tr)} · {territory_label(data.get('territory'), lang, tr)}")
    place = ", ".join(str(x) for x in (data.get("city"), data.get("country")) if x)
    if place:
        lines.append(place)
    if data.get(size_by) is not None:
        lines.append(f"{size_label(size_by, tr)}: {_fmt(data.get(size_by))}")
    if data.get("community") is not None and int(data.get("community") or 0) >= 0:
        lines.append(_("Community %(num)s") % {"num": data.get("community")})
    return "\n".join(lines)


def edge_width(weight: int) -> float:
    """Line width for a number of shared projects.

    >>> edge_width(1), edge_width(8)
    (1.0, 4.0)
    """
    return round(1.0 + math.log2(max(int(weight), 1)), 2)


def edge_tooltip(a: str, b: str, weight: int, cross_border: bool, tr: Translator) -> str:
    _ = tr.gettext
    ngettext = tr.ngettext
    text = f"{a} — {b}\n" + ngettext("%(num)d shared project", "%(num)d shared projects", weight) % {"num": weight}
    if cross_border:
        text += "\n" + _("Cross-border tie")
    return text
