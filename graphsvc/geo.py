"""The geographic view: the 16 NUTS-3 regions of the Basque Country, Navarre and
Nouvelle-Aquitaine as SVG (no tile server, nothing fetched), organisations at their
coordinates, grouped where dense, and cross-border ties as arcs.

:func:`build_geo` is a pure function of plain rows (regions with their simplified
GeoJSON ``geometry``, organisations, ties) returning SVG markup in which every text from
the data is escaped; :func:`geo_map` reads those rows from Neo4j and the shared
projection.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import scipy.sparse as sp

from graphsvc.db import Graph
from graphsvc.maps.i18n import Translator
from graphsvc.maps.layout import LRUCache
from graphsvc.maps.style import CROSS_BORDER_COLOUR, TERRITORY_COLOURS, territory_colour
from graphsvc.projection import projection
from graphsvc.regions import TERRITORIES, territory_name, territory_of

__all__ = ["NUTS3_CODES", "GeoMap", "Projector", "build_geo", "geo_map", "geometry_paths"]

# The 16 NUTS-3 regions (NUTS 2021) of the three territories.
NUTS3_CODES: tuple[str, ...] = (
    "ES211", "ES212", "ES213", "ES220",
    "FRI11", "FRI12", "FRI13", "FRI14", "FRI15",
    "FRI21", "FRI22", "FRI23",
    "FRI31", "FRI32", "FRI33", "FRI34",
)
# lon/lat box of the three territories, used when no outline is loaded
DEFAULT_BOUNDS = (-3.5, 42.3, 2.7, 47.2)
WIDTH = 1000.0
MAX_ARCS = 400
OrgUrl = Callable[[str], str]


@dataclass(frozen=True)
class Projector:
    """Equirectangular projection scaled by the cosine of the middle latitude (a
    region this size shows no visible distortion), fitted into ``width`` pixels.

    >>> p = Projector.fit((-2.0, 43.0, 0.0, 45.0), width=100, margin=0)
    >>> p.xy(-2.0, 45.0), p.xy(0.0, 43.0)
    ((0.0, 0.0), (100.0, 139.0))
    """

    lon0: float
    lat1: float
    kx: float
    scale: float
    margin: float
    width: float
    height: float

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float], width: float = WIDTH, margin: float = 20.0) -> Projector:
        lon0, lat0, lon1, lat1 = bounds
        kx = math.cos(math.radians((lat0 + lat1) / 2))
        span_x = max((lon1 - lon0) * kx, 1e-6)
        scale = (width - 2 * margin) / span_x
        height = (lat1 - lat0) * scale + 2 * margin
        return cls(lon0, lat1, kx, scale, margin, width, round(height, 1))

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.lon0) * self.kx * self.scale + self.margin
        y = (self.lat1 - lat) * self.scale + self.margin
        return round(x, 1), round(y, 1)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry.get("coordinates") or [])
    if geometry.get("type") == "MultiPolygon":
        return [ring for poly in geometry.get("coordinates") or [] for ring in poly]
    return []


def _parse(geometry: Any) -> dict[str, Any] | None:
    if not geometry:
        return None
    if isinstance(geometry, dict):
        return geometry
    try:
        parsed = json.loads(geometry)
    except (TypeError, ValueError):
        return None
    return parsed if isinstance(parsed, dict) else None


def geometry_paths(geometry: dict[str, Any], proj: Projector) -> str:
    """SVG path data of a GeoJSON (Multi)Polygon (even-odd fill keeps holes).

    >>> p = Projector.fit((0, 0, 1, 1), width=10, margin=0)
    >>> geometry_paths({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}, p)
    'M0.0 10.0L10.0 10.0L10.0 0.0L0.0 10.0Z'
    """
    parts = []
    for ring in _rings(geometry):
        pts = [proj.xy(float(lon), float(lat)) for lon, lat, *_ in ring]
        if len(pts) < 3:
            continue
        parts.append("M" + "L".join(f"{x} {y}" for x, y in pts) + "Z")
    return "".join(parts)


def _bounds(geoms: Iterable[dict[str, Any]], points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    lons: list[float] = []
    lats: list[float] = []
    for g in geoms:
        for ring in _rings(g):
            for lon, lat, *_ in ring:
                lons.append(float(lon))
                lats.append(float(lat))
    if not lons:
        for lon, lat in points:
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return DEFAULT_BOUNDS
    pad = 0.05
    return (min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad)


def _centroid(geometry: dict[str, Any], proj: Projector) -> tuple[float, float]:
    """Area-weighted centroid of the largest ring, in pixels."""
    best: tuple[float, float, float] | None = None
    for ring in _rings(geometry):
        pts = np.array([proj.xy(float(lon), float(lat)) for lon, lat, *_ in ring])
        if len(pts) < 3:
            continue
        x, y = pts[:, 0], pts[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        area = cross.sum() / 2
        if abs(area) < 1e-9:
            continue
        cx = ((x[:-1] + x[1:]) * cross).sum() / (6 * area)
        cy = ((y[:-1] + y[1:]) * cross).sum() / (6 * area)
        if best is None or abs(area) > best[0]:
            best = (abs(area), cx, cy)
    if best is None:
        return (proj.width / 2, proj.height / 2)
    return (round(float(best[1]), 1), round(float(best[2]), 1))


@dataclass
class GeoMap:
    """The SVG of the geographic view and what it holds."""

    svg: str
    regions: list[str]
    missing: list[str]
    organisations: int
    placed: int
    groups: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    arcs: int = 0
    ties: int = 0


def _focus_rings(x: float, y: float, r: float) -> str:
    """A dark ring on a white halo around a mark, hidden until the mark has the focus
    (maps.css shows it; the standalone SVG file, without that CSS, never does)."""
    ring = round(r + 5, 1)
    return (f'<circle class="focus-ring halo" cx="{x}" cy="{y}" r="{ring}" visibility="hidden" aria-hidden="true"/>'
            f'<circle class="focus-ring" cx="{x}" cy="{y}" r="{ring}" visibility="hidden" aria-hidden="true"/>')


def build_geo(
    regions: Iterable[dict[str, Any]],
    orgs: Iterable[dict[str, Any]],
    ties: Iterable[tuple[str, str, int]],
    *,
    lang: str,
    tr: Translator,
    org_url: OrgUrl | None = None,
    cell: float = 16.0,
    width: float = WIDTH,
) -> GeoMap:
    """Draw the geographic view.

    Parameters
    ----------
    regions : rows with ``code``, ``name``, ``territory``, ``geometry`` (GeoJSON, dict or JSON text)
    orgs : rows with ``id``, ``name``, ``territory``, ``lat``, ``lon`` (and ``nuts3``:
        an organisation without coordinates, or with coordinates outside the map, is
        placed at its region's centre; without either it is left out)
    ties : ``(org id, org id, shared projects)``; only ties between two territories are drawn
    cell : organisations closer than this many pixels are drawn as one group

    Examples
    --------
    >>> from graphsvc.maps.i18n import NULL
    >>> sq = lambda x: {"type": "Polygon", "coordinates": [[[x, 43], [x + 1, 43], [x + 1, 44], [x, 43]]]}
    >>> regs = [{"code": "ES212", "name": "Gipuzkoa", "territory": "ES21", "geometry": sq(-2)},
    ...         {"code": "FRI15", "name": "Pyrénées-Atlantiques", "territory": "FRI", "geometry": sq(-1)}]
    >>> orgs = [{"id": "a", "name": "<b>A</b>", "territory": "ES21", "lat": 43.3, "lon": -1.9},
    ...         {"id": "b", "name": "B", "territory": "FRI", "lat": 43.4, "lon": -0.5}]
    >>> g = build_geo(regs, orgs, [("a", "b", 2)], lang="en", tr=NULL)
    >>> g.svg.count('class="region '), g.arcs, "<b>" in g.svg, "&lt;b&gt;A&lt;/b&gt;" in g.svg
    (2, 1, False, True)
    """
    _ = tr.gettext
    ngettext = tr.ngettext
    region_rows = [r for r in regions if r.get("code")]
    geoms = {r["code"]: _parse(r.get("geometry")) for r in region_rows}
    org_rows = [o for o in orgs if o.get("id")]
    points = [(float(o["lon"]), float(o["lat"])) for o in org_rows if o.get("lat") is not None and o.get("lon") is not None]
    proj = Projector.fit(_bounds([g for g in geoms.values() if g], points), width=width)
    out: list[str] = []
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="geo-map" viewBox="0 0 {proj.width:g} {proj.height:g}" '
        f'role="group" aria-labelledby="geo-title" data-regions="{len([g for g in geoms.values() if g])}">'
    )
    out.append(f'<title id="geo-title">{escape(_("Organisations of the Euroregion on the map"))}</title>')
    out.append('<g class="regions">')
    centres: dict[str, tuple[float, float]] = {}
    drawn: list[str] = []
    for r in sorted(region_rows, key=lambda r: r["code"]):
        g = geoms.get(r["code"])
        if not g:
            continue
        d = geometry_paths(g, proj)
        if not d:
            continue
        code = str(r["code"])
        terr = r.get("territory") or territory_of(code) or ""
        centres[code] = _centroid(g, proj)
        drawn.append(code)
        out.append(
            f'<path class="region t-{escape(terr)}" data-code="{escape(code)}" fill-rule="evenodd" '
            f'fill="{TERRITORY_COLOURS.get(terr, "#e9ecef")}" fill-opacity="0.18" d="{d}">'
            f"<title>{escape(str(r.get('name') or code))} ({escape(code)})</title></path>"
        )
    out.append("</g>")
    out.append('<g class="region-labels" aria-hidden="true">')
    for r in region_rows:
        code = str(r["code"])
        if code in centres:
            x, y = centres[code]
            out.append(f'<text class="region-label" x="{x}" y="{y}" text-anchor="middle">{escape(str(r.get("name") or code))}</text>')
    out.append("</g>")

    # organisations: coordinates, else the centre of their NUTS-3 region
    where: dict[str, tuple[float, float]] = {}
    info: dict[str, dict[str, Any]] = {}
    for o in org_rows:
        oid = str(o["id"])
        xy = proj.xy(float(o["lon"]), float(o["lat"])) if o.get("lat") is not None and o.get("lon") is not None else None
        if xy is not None and not (0 <= xy[0] <= proj.width and 0 <= xy[1] <= proj.height):
            xy = None  # coordinates outside the three territories (a head office elsewhere, a typo)
        if xy is None and o.get("nuts3") in centres:
            xy = centres[o["nuts3"]]
        if xy is None:
            continue
        where[oid] = xy
        info[oid] = o
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for oid in sorted(where):
        x, y = where[oid]
        cells[(int(x // cell), int(y // cell))].append(oid)
    group_of: dict[str, str] = {}
    group_pos: dict[str, tuple[float, float]] = {}
    groups: dict[str, list[dict[str, str]]] = {}
    arcs_svg: list[str] = []
    marks: list[str] = []
    for n, (_cell, members) in enumerate(sorted(cells.items())):
        gid = f"g{n}"
        xs = [where[m][0] for m in members]
        ys = [where[m][1] for m in members]
        gx, gy = round(sum(xs) / len(xs), 1), round(sum(ys) / len(ys), 1)
        group_pos[gid] = (gx, gy)
        for m in members:
            group_of[m] = gid
        if len(members) == 1:
            o = info[members[0]]
            name = str(o.get("name") or members[0])
            colour = territory_colour(o.get("territory"))
            text = escape(name + (" · " + str(o["city"]) if o.get("city") else ""))
            circle = f'<circle cx="{gx}" cy="{gy}" r="4.5" fill="{colour}"><title>{text}</title></circle>'
            if org_url:
                # named on the link itself: the circle's <title> is the pointer's tooltip
                marks.append(f'<a class="org" href="{escape(org_url(members[0]))}" data-id="{escape(members[0])}" '
                             f'aria-label="{text}">{circle}{_focus_rings(gx, gy, 4.5)}</a>')
            else:
                marks.append(f'<g class="org" data-id="{escape(members[0])}">{circle}</g>')
            continue
        terr = {info[m].get("territory") for m in members}
        colour = territory_colour(terr.pop()) if len(terr) == 1 else "#36414d"
        r = round(min(6 + 2.2 * math.sqrt(len(members)), 22), 1)
        names = sorted((str(info[m].get("name") or m) for m in members), key=str.lower)
        groups[gid] = [
            {"id": m, "name": str(info[m].get("name") or m), **({"url": org_url(m)} if org_url else {})}
            for m in sorted(members, key=lambda m: str(info[m].get("name") or m).lower())
        ]
        label = ngettext("%(num)d organisation", "%(num)d organisations", len(members)) % {"num": len(members)}
        shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
        marks.append(
            f'<g class="group" data-group="{gid}" tabindex="0" role="button" aria-label="{escape(label)}">'
            f'<circle cx="{gx}" cy="{gy}" r="{r}" fill="{colour}" fill-opacity="0.85" stroke="#ffffff" stroke-width="1.5"/>'
            f'<text x="{gx}" y="{gy}" dy="0.35em" text-anchor="middle">{len(members)}</text>'
            f"<title>{escape(label)}: {escape(shown)}</title>{_focus_rings(gx, gy, r)}</g>"
        )

    # cross-border ties between places, summed by pair of groups, heaviest first
    pair_weight: dict[tuple[str, str], int] = defaultdict(int)
    pair_count: dict[tuple[str, str], int] = defaultdict(int)
    n_ties = 0
    for a, b, w in ties:
        oa, ob = info.get(a), info.get(b)
        if not oa or not ob:
            continue
        ta, tb = oa.get("territory"), ob.get("territory")
        if ta not in TERRITORIES or tb not in TERRITORIES or ta == tb:
            continue
        n_ties += 1
        ga, gb = sorted((group_of[a], group_of[b]))
        if ga == gb:
            continue
        pair_weight[(ga, gb)] += int(w)
        pair_count[(ga, gb)] += 1
    ranked = sorted(pair_weight.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_ARCS]
    for (ga, gb), w in ranked:
        (x1, y1), (x2, y2) = group_pos[ga], group_pos[gb]
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        # bend every arc the same way, by a fifth of its length
        cx, cy = round(mx - dy * 0.2, 1), round(my + dx * 0.2, 1)
        width_px = round(min(0.8 + math.log2(1 + w), 6.0), 2)
        text = ngettext("%(num)d shared project", "%(num)d shared projects", w) % {"num": w}
        arcs_svg.append(
            f'<path class="arc" d="M{x1} {y1}Q{cx} {cy} {x2} {y2}" stroke="{CROSS_BORDER_COLOUR}" '
            f'stroke-width="{width_px}"><title>{escape(_("Cross-border tie"))}: {escape(text)}</title></path>'
        )
    out.append('<g class="arcs">' + "".join(arcs_svg) + "</g>")
    out.append('<g class="orgs">' + "".join(marks) + "</g>")
    out.append("</svg>")
    return GeoMap(
        svg="".join(out),
        regions=drawn,
        missing=[c for c in NUTS3_CODES if c not in drawn],
        organisations=len(org_rows),
        placed=len(where),
        groups=groups,
        arcs=len(ranked),
        ties=n_ties,
    )


def legend(lang: str, tr: Translator) -> dict[str, Any]:
    """The legend of the geographic view, as data."""
    _ = tr.gettext
    return {
        "territories": [{"key": t, "label": territory_name(t, lang), "color": TERRITORY_COLOURS[t]} for t in TERRITORIES],
        "group": _("A numbered circle groups organisations that are close together: select it to list them."),
        "arc": _("Purple arcs: cross-border ties (shared projects), thicker when there are more."),
    }


def _cross_border_ties(graph: Graph) -> list[tuple[str, str, int]]:
    proj = projection(graph, territories=list(TERRITORIES))
    co = proj.co
    if len(co) == 0:
        return []
    terr = np.array([t or "" for t in proj.territory])
    m = sp.triu(co.matrix, k=1).tocoo()
    keep = terr[m.row] != terr[m.col]
    return [
        (str(co.nodes[a]), str(co.nodes[b]), int(round(float(w))))
        for a, b, w in zip(m.row[keep], m.col[keep], m.data[keep], strict=True)
    ]


def geo_map(graph: Graph, lang: str, tr: Translator, *, org_url: OrgUrl | None = None, cache: LRUCache | None = None) -> GeoMap:
    """The geographic view from Neo4j (cached by the graph's stamp and the language)."""

    def compute() -> GeoMap:
        regions = graph.read("maps/regions", codes=list(NUTS3_CODES))
        orgs = graph.read("maps/located_organisations", territories=list(TERRITORIES))
        return build_geo(regions, orgs, _cross_border_ties(graph), lang=lang, tr=tr, org_url=org_url)

    if cache is None:
        return compute()
    return cache.get_or_compute(("geo", graph.stamp(), lang), compute)
