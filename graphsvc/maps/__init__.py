"""Network maps of the ecosystem: selection, server-side layout, degradation of large
selections, styling, the event-mode tour and exports (HTML, PNG, GEXF, GraphML, CSV).

Typical use::

    from graphsvc.maps import build_map, parse_selection, export_map
    data = build_map(graph, parse_selection("territory:ES21"), size_by="pagerank")
    export_map(data, Path("es21.html"), "eu", translations)

Nothing here imports Flask or click; words come from a translator passed in
(:mod:`graphsvc.maps.i18n`).
"""

from __future__ import annotations

from graphsvc.maps.build import DEFAULT_CACHE, build_map, check_max_nodes, prepare_map
from graphsvc.maps.export import FORMATS, export_map, format_of, render_html
from graphsvc.maps.i18n import NULL, Translator, load_translations
from graphsvc.maps.layout import ALGORITHMS, LRUCache, layout_graph
from graphsvc.maps.model import (
    DEGRADE,
    SELECTION_KINDS,
    SIZE_BY,
    MapData,
    MapInputError,
    MapNotFound,
    Selection,
    parse_selection,
    parse_size_by,
)
from graphsvc.maps.payload import json_for_html, to_payload
from graphsvc.maps.select import resolve_selection
from graphsvc.maps.tour import TOURS, tour_steps

__all__ = [
    "ALGORITHMS",
    "DEFAULT_CACHE",
    "DEGRADE",
    "FORMATS",
    "NULL",
    "SELECTION_KINDS",
    "SIZE_BY",
    "TOURS",
    "LRUCache",
    "MapData",
    "MapInputError",
    "MapNotFound",
    "Selection",
    "Translator",
    "build_map",
    "check_max_nodes",
    "export_map",
    "format_of",
    "json_for_html",
    "layout_graph",
    "load_translations",
    "parse_selection",
    "parse_size_by",
    "prepare_map",
    "render_html",
    "resolve_selection",
    "to_payload",
    "tour_steps",
]
