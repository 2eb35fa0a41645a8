"""Exports of a map: one self-contained HTML file (works with no network at all), PNG
(headless Chromium), GEXF and GraphML (for Gephi), CSV of nodes and edges.

The HTML export uses Lotura's own template (``_TEMPLATE`` below),
not pyvis': pyvis' template loads Bootstrap and tom-select from CDNs even with
``cdn_resources="in_line"``. Here vis-network, the map code and the styles are inlined
from ``web/static`` and a Content-Security-Policy forbids any request at all.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, Template

from graphsvc.csvsafe import write_csv
from graphsvc.errors import InvalidInput, LoturaError
from graphsvc.maps.i18n import Translator
from graphsvc.maps.model import MapData
from graphsvc.maps.payload import json_for_html, to_payload
from graphsvc.maps.select import crosses_border
from graphsvc.maps.style import RESIDENCY_COLOUR, size_label, territory_colour

__all__ = [
    "FORMATS",
    "ChromiumMissing",
    "static_dir",
    "render_html",
    "render_png",
    "to_export_graph",
    "gexf_bytes",
    "graphml_bytes",
    "csv_tables",
    "csv_zip",
    "export_map",
    "format_of",
]

FORMATS: tuple[str, ...] = ("html", "png", "gexf", "graphml", "csv", "zip")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ChromiumMissing(LoturaError):
    """PNG export needs a Chromium binary."""

    http_status = 501


def static_dir() -> Path:
    """Where the web package keeps its static files (``LOTURA_STATIC_DIR`` overrides).

    Found without importing ``web`` (which would import Flask).
    """
    override = os.environ.get("LOTURA_STATIC_DIR")
    if override:
        return Path(override)
    spec = importlib.util.find_spec("web")
    if spec and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "static"
    return Path(__file__).resolve().parents[2] / "web" / "static"


@dataclass(frozen=True)
class Assets:
    vis_js: str
    maps_js: str
    css: str


def _inline_js(text: str) -> str:
    # an inline <script> ends at the first "</script": make sure the code has none
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


@cache
def _assets(folder: str, stamp: float) -> Assets:
    base = Path(folder)
    read = lambda rel: (base / rel).read_text(encoding="utf-8")  # noqa: E731
    return Assets(
        vis_js=_inline_js(read("vendor/vis-network/vis-network.min.js")),
        maps_js=_inline_js(read("js/maps.js")),
        css=read("css/maps.css").replace("</", "<\\/"),
    )


def load_assets(folder: Path | None = None) -> Assets:
    base = folder or static_dir()
    try:
        stamp = max((base / p).stat().st_mtime for p in (
            "vendor/vis-network/vis-network.min.js", "js/maps.js", "css/maps.css"))
    except OSError as exc:
        raise LoturaError(f"the map assets are missing under {base}: {exc}") from exc
    return _assets(str(base), stamp)


# Lotura's own page for an exported map (a string, so that it ships with the module).
# Autoescaped; only the inlined code and the escaped JSON are marked safe.
_TEMPLATE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="generator" content="Lotura">
<title>{{ title }} · Lotura</title>
<style>{{ css|safe }}</style>
</head>
<body class="lotura-export{% if for_png %} png{% endif %}">
<header>
  <h1>{{ title }}</h1>
  <p class="map-counts">{{ heading }} · {{ n_label }} · {{ e_label }}</p>
  {% if note %}<p class="map-note" role="note">{{ note }}</p>{% endif %}
</header>
<div class="lotura-map-wrap">
  <div class="lotura-map" data-lotura-map data-json="map-data"></div>
  <aside class="map-legend"></aside>
</div>
<footer>{{ credits }}</footer>
<script type="application/json" id="map-data">{{ payload_json|safe }}</script>
<script>{{ vis_js|safe }}</script>
<script>{{ maps_js|safe }}</script>
</body>
</html>
"""


@cache
def _template() -> Template:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(_TEMPLATE)


def render_html(
    data: MapData,
    lang: str,
    tr: Translator,
    *,
    physics: bool = False,
    for_png: bool = False,
    payload: dict[str, Any] | None = None,
    assets: Assets | None = None,
) -> str:
    """One HTML document holding the whole map, its code and styles: no request at all."""
    _ = tr.gettext
    payload = payload or to_payload(data, lang, tr, physics=physics)
    a = assets or load_assets()
    return _template().render(
        lang=lang,
        title=payload["title"],
        note=payload["note"],
        payload_json=json_for_html(payload),
        vis_js=a.vis_js,
        maps_js=a.maps_js,
        css=a.css,
        for_png=for_png,
        heading=_("Lotura map"),
        credits=_("Made with Lotura from CORDIS and other open data. This file works offline."),
        counts=payload["counts"],
        n_label=tr.ngettext("%(num)d organisation", "%(num)d organisations", payload["counts"]["nodes"])
        % {"num": payload["counts"]["nodes"]},
        e_label=tr.ngettext("%(num)d tie", "%(num)d ties", payload["counts"]["edges"])
        % {"num": payload["counts"]["edges"]},
    )


def render_png(html: str, out: Path, *, width: int = 1600, height: int = 1000, chromium: str | None = None) -> Path:
    """Screenshot ``html`` with headless Chromium into ``out``."""
    exe = chromium or os.environ.get("LOTURA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise ChromiumMissing(
            "PNG export needs Chromium on the PATH (Debian: apt-get install chromium) or LOTURA_CHROMIUM "
            "pointing at it. Export .html instead and take a screenshot in a browser."
        )
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="lotura-png-") as tmp:
        page = Path(tmp) / "map.html"
        page.write_text(html, encoding="utf-8")
        shot = Path(tmp) / "shot.png"
        cmd = [
            exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={Path(tmp) / 'profile'}", f"--window-size={width},{height}",
            "--virtual-time-budget=8000", "--run-all-compositor-stages-before-draw",
            f"--screenshot={shot}", page.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise LoturaError(f"Chromium failed to render the PNG: {exc}") from exc
        if not shot.is_file() or shot.stat().st_size == 0:
            tail = (proc.stderr or "").strip().splitlines()[-3:]
            raise LoturaError("Chromium did not write the PNG: " + " | ".join(tail))
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, out)
    return out


def _clean_text(value: Any) -> str:
    return _XML_BAD.sub("", str(value))


_STR_ATTRS = ("name", "short_name", "kind", "territory", "country", "city", "nuts3")
_FLOAT_ATTRS = ("lat", "lon", "degree", "pagerank", "betweenness", "x", "y", "size")


def to_export_graph(data: MapData) -> nx.Graph:
    """A copy of the map graph whose attributes Gephi and the XML writers accept:
    one type per attribute, no None, no control characters, positions and colours
    as GEXF ``viz``.

    >>> from graphsvc.maps.build import prepare_map
    >>> from graphsvc.maps.model import Selection
    >>> G = nx.Graph(); G.add_node("a", name="x\\x00<y>", kind=None, community=2)
    >>> H = to_export_graph(prepare_map(G, Selection()))
    >>> H.nodes["a"]["name"], "kind" in H.nodes["a"], H.nodes["a"]["community"]
    ('x<y>', False, '2')
    """
    G = data.graph
    H = nx.Graph()
    for v, d in G.nodes(data=True):
        attrs: dict[str, Any] = {"label": _clean_text(d.get("short_name") or d.get("name") or v)}
        for k in _STR_ATTRS:
            if d.get(k) not in (None, ""):
                attrs[k] = _clean_text(d[k])
        for k in _FLOAT_ATTRS:
            if d.get(k) is not None:
                try:
                    attrs[k] = float(d[k])
                except (TypeError, ValueError):
                    continue
        if d.get("community") is not None:
            attrs["community"] = _clean_text(d["community"])
        if d.get("members") is not None:
            attrs["members"] = int(d["members"])
        colour = territory_colour(d.get("territory")).lstrip("#")
        attrs["viz"] = {
            "color": {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:6], 16), "a": 1.0},
            "size": round(6.0 + 30.0 * float(d.get("size", 0.5) or 0), 2),
            "position": {"x": float(d.get("x", 0.0)), "y": -float(d.get("y", 0.0)), "z": 0.0},
        }
        H.add_node(_clean_text(v), **attrs)
    for a, b, d in G.edges(data=True):
        H.add_edge(_clean_text(a), _clean_text(b), weight=float(d.get("weight", 1) or 1),
                   cross_border=bool(d.get("cross_border")), kind="co-participation")
    if data.residency_ties:
        # a pair may share projects and a residency: two edges, so a multigraph
        H = nx.MultiGraph(H)
        r, g, b_ = (int(RESIDENCY_COLOUR[k:k + 2], 16) for k in (1, 3, 5))
        for i, tie in enumerate(data.residency_ties):
            a, b = tie["source"], tie["target"]
            items = tie["items"]
            H.add_edge(_clean_text(a), _clean_text(b), id=f"r{i}", kind="residency",
                       weight=float(tie["residents"]), residents=int(tie["residents"]),
                       cross_border=crosses_border(G, a, b),
                       plans=_clean_text("; ".join(dict.fromkeys(str(x["name"]) for x in items))),
                       plan_ids=_clean_text("; ".join(dict.fromkeys(str(x["plan"]) for x in items))),
                       periods=_clean_text("; ".join(dict.fromkeys(str(x["period"]) for x in items))),
                       viz={"color": {"r": r, "g": g, "b": b_, "a": 1.0}, "shape": "dashed"})
    return H


def gexf_bytes(data: MapData) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(to_export_graph(data), buf, encoding="utf-8", prettyprint=False)
    return buf.getvalue()


def graphml_bytes(data: MapData) -> bytes:
    H = to_export_graph(data)
    for d in [d for _, d in H.nodes(data=True)] + [d for *_, d in H.edges(data=True)]:
        d.pop("id", None)  # GEXF's edge id; GraphML's comes from the multigraph key
        viz = d.pop("viz", None)
        if viz:
            c = viz["color"]
            d["color"] = f"#{c['r']:02x}{c['g']:02x}{c['b']:02x}"
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", prettyprint=False)
    return buf.getvalue()


def csv_tables(data: MapData, lang: str, tr: Translator) -> tuple[str, str]:
    """``(nodes.csv, edges.csv)``: headers in ``lang``; text cells that start with
    ``= + - @`` are prefixed with ``'`` so no spreadsheet runs them
    (:func:`graphsvc.csvsafe.safe_cell`)."""
    _ = tr.gettext
    G = data.graph
    measure = size_label(data.size_by, tr)
    if data.aggregated:
        header = [_("Id"), _("Community"), _("Organisations"), _("Territory"), _("Most central"), measure, "x", "y"]
        rows = [[str(v), d.get("community"), d.get("members"), d.get("territory"), "; ".join(d.get("top") or []),
                 d.get(data.size_by), d.get("x"), d.get("y")] for v, d in G.nodes(data=True)]
    else:
        header = [_("Id"), _("Name"), _("Short name"), _("Kind"), _("Territory"), _("Country"), _("City"),
                  _("Latitude"), _("Longitude"), _("Community"), measure, "x", "y"]
        rows = [[str(v), d.get("name"), d.get("short_name"), d.get("kind"), d.get("territory"), d.get("country"),
                 d.get("city"), d.get("lat"), d.get("lon"), d.get("community"), d.get(data.size_by),
                 d.get("x"), d.get("y")] for v, d in G.nodes(data=True)]
    nodes_csv = write_csv(rows, header)
    names = {v: str(d.get("name") or v) for v, d in G.nodes(data=True)}
    eheader = [_("Source"), _("Target"), _("Source name"), _("Target name"), _("Shared projects"), _("Cross-border")]
    erows = [[str(a), str(b), names[a], names[b], int(d.get("weight", 1) or 1), int(bool(d.get("cross_border")))]
             for a, b, d in G.edges(data=True)]
    if data.residencies is not None:
        # with the residency overlay: one row per residency tie too, told apart by kind
        eheader += [_("Kind"), _("Residencies")]
        for row in erows:
            row += ["co-participation", ""]
        for tie in data.residency_ties:
            a, b = tie["source"], tie["target"]
            erows.append([str(a), str(b), names[a], names[b], "", int(crosses_border(G, a, b)), "residency",
                          "; ".join(f"{x['name']} ({x['period']}): {x['residents']}" for x in tie["items"])])
    return nodes_csv, write_csv(erows, eheader)


def csv_zip(data: MapData, lang: str, tr: Translator) -> bytes:
    nodes_csv, edges_csv = csv_tables(data, lang, tr)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("nodes.csv", "\ufeff" + nodes_csv)
        z.writestr("edges.csv", "\ufeff" + edges_csv)
    return buf.getvalue()


def format_of(path: Path | str) -> str:
    """The export format named by a file's extension.

    >>> format_of("map.GEXF"), format_of("x.zip")
    ('gexf', 'zip')
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "htm":
        suffix = "html"
    if suffix not in FORMATS:
        raise InvalidInput(
            f"cannot export to {Path(path).name!r}: use .html, .png, .gexf, .graphml, .csv or .zip", field="out"
        )
    return suffix


def export_map(data: MapData, out: Path, lang: str, tr: Translator, *, physics: bool = False) -> list[Path]:
    """Write ``data`` to ``out`` in the format its extension names; return the files written.

    ``.csv`` writes two files, ``NAME-nodes.csv`` and ``NAME-edges.csv``; ``.zip``
    holds both.
    """
    fmt = format_of(out)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        out.write_text(render_html(data, lang, tr, physics=physics), encoding="utf-8")
        return [out]
    if fmt == "png":
        return [render_png(render_html(data, lang, tr, for_png=True), out)]
    if fmt == "gexf":
        out.write_bytes(gexf_bytes(data))
        return [out]
    if fmt == "graphml":
        out.write_bytes(graphml_bytes(data))
        return [out]
    if fmt == "zip":
        out.write_bytes(csv_zip(data, lang, tr))
        return [out]
    nodes_csv, edges_csv = csv_tables(data, lang, tr)
    stem = out.with_suffix("")
    n_path, e_path = Path(f"{stem}-nodes.csv"), Path(f"{stem}-edges.csv")
    n_path.write_text("\ufeff" + nodes_csv, encoding="utf-8", newline="")
    e_path.write_text("\ufeff" + edges_csv, encoding="utf-8", newline="")
    return [n_path, e_path]
