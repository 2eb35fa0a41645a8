"""Maps: network maps of any selection, the event mode for projectors, the geographic
view, and their downloads (HTML that works offline, PNG, GEXF, GraphML, CSV, SVG).

The maps themselves are built by :mod:`graphsvc.maps` and :mod:`graphsvc.geo`; this
module reads the request, passes Flask-Babel's translations in, and renders pages whose
data travels as JSON (``<script type="application/json">`` with the page's nonce, or
``/maps/data.json``) to the static ``js/maps*.js``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import segno
from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from graphsvc import geo as geo_svc
from graphsvc.errors import InvalidInput, LoturaError, NotFound
from graphsvc.maps import (
    ALGORITHMS,
    DEGRADE,
    TOURS,
    LRUCache,
    MapData,
    MapInputError,
    MapNotFound,
    Selection,
    build_map,
    check_max_nodes,
    parse_selection,
    parse_size_by,
    resolve_selection,
    to_payload,
    tour_steps,
)
from graphsvc.maps.export import ChromiumMissing, csv_zip, gexf_bytes, graphml_bytes, render_html, render_png
from graphsvc.maps.residency import ALL_PLANS, parse_residencies
from graphsvc.regions import TERRITORIES
from graphsvc.residency.graphio import list_plans
from web.core import current_lang, error_response, graph, lotura_error
from web.ui import check_choice

bp = Blueprint("maps", __name__, url_prefix="/maps")

KIND_CHOICES = [
    ("whole", _l("The whole ecosystem")),
    ("territory", _l("A territory")),
    ("community", _l("A community")),
    ("topic", _l("A topic")),
    ("ego", _l("An organisation's network")),
    ("cross-border", _l("Cross-border ties only")),
]
SIZE_CHOICES = [("degree", _l("Partners")), ("pagerank", _l("PageRank")), ("betweenness", _l("Betweenness"))]
DEGRADE_CHOICES = [("top", _l("Keep the most central")), ("community", _l("One node per community"))]
LAYOUT_CHOICES = [
    ("auto", _l("Automatic (fast)")),
    ("spring", _l("Spring (small maps)")),
    ("kamada-kawai", _l("Kamada-Kawai (small maps)")),
    ("forceatlas2", _l("ForceAtlas2 (small maps)")),
    ("circular", _l("Circle")),
]
TOUR_CHOICES = [("both", _l("Communities and cross-border ties")), ("communities", _l("Communities")),
                ("cross-border", _l("Cross-border ties"))]
DOWNLOADS = {
    "html": ("text/html", "html"),
    "png": ("image/png", "png"),
    "gexf": ("application/gexf+xml", "gexf"),
    "graphml": ("application/graphml+xml", "graphml"),
    "zip": ("application/zip", "zip"),
}
EGO_MAX_NODES = 150  # the map embedded in an organisation page stays small


# -- request parsing ---------------------------------------------------------------------------


def _arg(name: str, default: str | None = None) -> str | None:
    value = request.args.get(name)
    if value is None or not value.strip():
        return default
    return value.strip()


# the form's fields, in their order on the page
FORM_FIELDS = ("selection", "territory", "community", "topic", "org", "hops", "size_by", "max_nodes", "degrade",
               "layout", "residencies")
# the form's typed fields and the selection each one is for
TYPED_FIELDS = (("org", "ego"), ("topic", "topic"), ("community", "community"))


def requested_kind() -> str:
    """The ``selection`` asked for. On the maps form, Show left at "The whole ecosystem"
    with an Organisation (or a Topic, or a Community number) typed means that one: the
    person typed it to see it. ``drawn`` (a hidden field: the kind of the map the form
    was shown with) tells a Show left as it was from one set back to the whole ecosystem
    on purpose. Several typed fields with Show left so is an error: which one is meant?"""
    raw = _arg("selection", "whole") or "whole"
    if raw != "whole" or request.endpoint != "maps.index" or (_arg("drawn") or "whole") != "whole":
        return raw
    typed = [kind for name, kind in TYPED_FIELDS if _arg(name)]
    if len(typed) > 1:
        raise InvalidInput(_("Organisation, Topic and Community number: fill in only one of them, or choose "
                             "under Show which one the map is about."), field="selection")
    return typed[0] if typed else raw


def selection_from_request(override: str | None = None) -> Selection:
    """``?selection=territory:ES21`` or the form's ``selection=territory&territory=ES21``
    (likewise ``community=``, ``topic=``, ``org=`` for an ego network, or ``value=``)."""
    raw = override or requested_kind()
    if ":" not in raw and raw in ("territory", "community", "topic", "ego"):
        value = _arg("org" if raw == "ego" else raw) or _arg("value")
        raw = f"{raw}:{value}" if value else raw
    # an organisation or a topic by name too, as the partner finder reads them
    return resolve_selection(graph(), parse_selection(raw, _arg("hops", "1")))


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = (_arg(name, default) or default).lower()
    try:
        return check_choice(_field_label(name), value, allowed)  # the message names the form's field
    except InvalidInput as exc:
        raise InvalidInput(str(exc), field=name) from None  # ... and the error the parameter


# -- errors in the page's language ----------------------------------------------------------------
# graphsvc.maps says what is wrong in English for the command line, with a code and its
# params; the pages say it again in their language, naming the form's fields as the form
# does (the messages are the partner finder's and the request parsers' where they fit).
# Every error of these views is answered by ``map_error`` below.

FIELD_LABELS = {
    "selection": _l("Show"), "territory": _l("Territory"), "community": _l("Community number"),
    "topic": _l("Topic"), "org": _l("Organisation"), "ego": _l("Organisation"), "hops": _l("Hops"),
    "size_by": _l("Size by"), "max_nodes": _l("At most"), "degrade": _l("When too large"),
    "layout": _l("Layout"), "residencies": _l("Residencies"), "tour": _l("Tour"),
}
FORM_PAGES = ("maps.index", "maps.ego")  # they show an error above the form


def _field_label(field: str | None) -> str:
    return str(FIELD_LABELS.get(field or "", field or ""))


def map_error_message(exc: MapInputError | MapNotFound) -> str:
    """What went wrong with a map's request, in the page's language."""
    p, label = exc.params, _field_label(exc.field)
    code = exc.code
    if code == "no_org":
        return _("No organisation matches “%(text)s”.", text=p.get("text", ""))
    if code == "ambiguous_org":
        return _("Several organisations' names contain “%(text)s”: %(names)s. Give the full name, the PIC or the id.",
                 text=p.get("text", ""), names="; ".join(p.get("names") or []))
    if code == "no_topic":
        return _("There is no topic called “%(topic)s”.", topic=p.get("text", ""))
    if code == "no_community":
        if not p.get("count"):
            return _("There is no community %(num)s: the communities have not been computed yet.", num=p.get("num"))
        if p["count"] == 1:
            return _("There is no community %(num)s: this graph has one community, numbered %(lowest)s.",
                     num=p.get("num"), lowest=p.get("lowest"))
        return _("There is no community %(num)s: this graph has %(count)s communities, numbered %(lowest)s to "
                 "%(highest)s.", num=p.get("num"), count=p["count"], lowest=p.get("lowest"), highest=p.get("highest"))
    if code in ("no_plan", "plan_id"):
        return _("There is no saved residency plan “%(id)s”.", id=p.get("plan") or p.get("text") or "")
    if code == "no_value":
        return _("%(field)s must not be empty.", field=label)
    if code == "too_long":
        return _("%(field)s is too long (at most %(max)d characters).", field=label, max=p.get("max", 300))
    if code in ("community", "number"):
        return _("%(field)s must be a whole number.", field=label)
    if code == "range":
        return _("%(field)s must be between %(lo)d and %(hi)d.", field=label, lo=p["lo"], hi=p["hi"])
    choices = {"hops": ("1", "2"), "kind": tuple(code for code, _name in KIND_CHOICES),
               "territory": TERRITORIES}.get(code) or tuple(p.get("choices") or ())
    return _("%(field)s must be one of: %(choices)s.", field=label, choices=", ".join(choices))


def translated(exc: LoturaError) -> LoturaError:
    """``exc`` with its message in the page's language (other errors as they are)."""
    if isinstance(exc, MapInputError):
        return InvalidInput(map_error_message(exc), field=exc.field)
    if isinstance(exc, MapNotFound):
        return NotFound(map_error_message(exc))
    return exc


@bp.errorhandler(LoturaError)
def map_error(exc: LoturaError) -> Any:
    """The one answer to an error of these views, its message in the page's language:
    the form with the message above it on the map pages (bad input, nothing found),
    the JSON API's error from ``/maps/data.json``, the error page otherwise."""
    field = getattr(exc, "field", None)  # a MapNotFound's field: the translated NotFound has none
    exc = translated(exc)
    if request.endpoint in FORM_PAGES and isinstance(exc, InvalidInput | NotFound):
        return _form_page(g.get("map_selection"), error=exc, error_field=field)
    return lotura_error(exc, as_json=request.endpoint == "maps.data")


def _not_empty(data: MapData) -> MapData:
    """``data``, or a 404 saying the selection holds no organisations (a page or a file
    of an empty map is no use; ``/maps/data.json`` and event mode draw it empty)."""
    if data.graph.number_of_nodes() == 0:
        raise NotFound(_("Nothing to show: this selection has no organisations."))
    return data


def map_options() -> dict[str, Any]:
    return {
        "size_by": parse_size_by(_arg("size_by", "degree")),
        "max_nodes": check_max_nodes(_arg("max_nodes")),
        "degrade": _choice("degrade", DEGRADE, "top"),
        "layout": _choice("layout", ALGORITHMS, "auto"),
        "residencies": parse_residencies(_arg("residencies")),
    }


def _physics() -> bool:
    return (_arg("physics", "0") or "0").lower() in ("1", "true", "yes", "on")


# -- shared helpers ------------------------------------------------------------------------------


def _cache() -> LRUCache:
    cache = current_app.extensions.get("lotura_maps")
    if cache is None:
        cache = current_app.extensions.setdefault("lotura_maps", LRUCache(24))
    return cache


def org_url_maker(external: bool = False) -> Callable[[str], str]:
    """The organisation page's URL (the web UI's ``organisation.show``, else ``/org/<id>``)."""
    if "organisation.show" in current_app.view_functions:
        return lambda org_id: url_for("organisation.show", org_id=org_id, _external=external)
    root = request.url_root.rstrip("/") if external else ""
    return lambda org_id: f"{root}/org/{quote(org_id, safe=':')}"


def public_url(path_url: str) -> str:
    """An absolute URL for QR codes: ``LOTURA_PUBLIC_URL`` when set (the address phones
    can reach), else the address this request came to."""
    base = current_app.config.get("LOTURA_PUBLIC_URL")
    if base and path_url.startswith("/"):
        return str(base).rstrip("/") + path_url
    return path_url if not path_url.startswith("/") else request.url_root.rstrip("/") + path_url


def _build(selection: Selection, options: dict[str, Any]) -> MapData:
    return build_map(graph(), selection, cache=_cache(), **options)


def _payload(data: MapData, *, event: bool = False) -> dict[str, Any]:
    return to_payload(data, current_lang(), get_translations(), org_url=org_url_maker(), physics=_physics(),
                      event=event, table=not event)


def _query_args(selection: Selection, options: dict[str, Any], **extra: Any) -> dict[str, Any]:
    args = {"selection": selection.text(), **{k: v for k, v in options.items() if v is not None}}
    if selection.kind == "ego":
        args["hops"] = selection.hops
    args.update(extra)
    return args


def _download_links(selection: Selection, options: dict[str, Any]) -> list[tuple[str, str]]:
    args = _query_args(selection, options, lang=current_lang())
    return [
        (url_for("maps.download", fmt="html", **args), _("Interactive HTML (works offline)")),
        (url_for("maps.download", fmt="png", **args), _("Image (PNG)")),
        (url_for("maps.download", fmt="gexf", **args), _("GEXF for Gephi")),
        (url_for("maps.download", fmt="graphml", **args), _("GraphML")),
        (url_for("maps.download", fmt="zip", **args), _("CSV of nodes and edges (zip)")),
    ]


def _form_state(selection: Selection | None) -> dict[str, Any]:
    if selection:
        kind = selection.kind
    else:
        try:
            kind = requested_kind().split(":", 1)[0]
        except InvalidInput:
            kind = "whole"  # several typed fields: the page's error says so
    value = selection.value if selection else None

    def typed(name: str, for_kind: str) -> str:
        # what was typed (a name, say), not the id it was read as; a field the drawn map
        # does not use is left empty, or the next "whole ecosystem" would read it (requested_kind)
        if selection and kind != for_kind:
            return ""
        return _arg(name) or (value if kind == for_kind else "") or ""

    try:
        # as the map reads it: ?residencies=ALL draws every plan, so the form says so
        residencies = parse_residencies(_arg("residencies")) or ""
    except InvalidInput:
        residencies = ""  # not a plan id: the page's error says so
    return {
        "kind": kind,
        "territory": value if kind == "territory" else _arg("territory", ""),
        "community": typed("community", "community"),
        "topic": typed("topic", "topic"),
        "org": typed("org", "ego"),
        "drawn": kind if selection else "",
        "hops": str(selection.hops if selection else _arg("hops", "1")),
        "size_by": _arg("size_by", "degree"),
        "max_nodes": _arg("max_nodes", "2000"),
        "degrade": _arg("degrade", "top"),
        "layout": _arg("layout", "auto"),
        "physics": _physics(),
        "residencies": residencies,
    }


def _choices() -> dict[str, Any]:
    return {
        "kinds": KIND_CHOICES,
        "sizes": SIZE_CHOICES,
        "degrades": DEGRADE_CHOICES,
        "layouts": LAYOUT_CHOICES,
        "tours": TOUR_CHOICES,
        "territories": TERRITORIES,
        "plans": _plan_choices(),
    }


def _plan_choices() -> list[tuple[str, str]]:
    """The residency overlays the form offers: none, every saved plan, or one of them.

    The saved plans are cached like the maps, by graph version: saving or deleting a
    plan bumps it.
    """
    db = graph()
    plans = _cache().get_or_compute(("plans", db.stamp()), lambda: list_plans(db, limit=200))
    return [("", _("No residency ties")), (ALL_PLANS, _("All saved plans"))] + [
        (str(p["id"]), f"{p['name'] or p['id']} ({p['residencies']})") for p in plans]


def _slug(selection: Selection) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", selection.key()).strip("-")[:60] or "map"


# -- pages ------------------------------------------------------------------------------------------


@bp.get("/")
def index() -> Any:
    """The map of a selection, with the form to choose it and the downloads."""
    return _map_page()


@bp.get("/ego/<path:org_id>")
def ego(org_id: str) -> Any:
    """The network of one organisation (``?hops=2`` for partners of partners)."""
    return _map_page(f"ego:{org_id}")


def _map_page(override: str | None = None) -> Any:
    # kept for map_error: should what comes after fail, the form still shows the
    # selection as it was read (an organisation's id for its name, say)
    g.map_selection = selection = selection_from_request(override)
    options = map_options()
    data = _not_empty(_build(selection, options))  # say so, and offer no empty downloads
    payload = _payload(data)
    return _form_page(
        selection,
        payload=payload,
        table=payload.pop("table"),  # rendered as HTML under the map, not sent twice
        downloads=_download_links(selection, options),
        event_url=url_for("maps.event", **_query_args(selection, options)),
    )


def _field_attrs(field: str | None) -> dict[str, Markup]:
    """The attributes of the form fields an error about ``field`` concerns: that field,
    and for "which one?" (Show) every typed field too, marked invalid and pointing to the
    message; the first of them, in the form's order, takes the focus."""
    fields = {field} if field else set()
    if field == "selection":
        fields |= {name for name, _ in TYPED_FIELDS if _arg(name)}
    marked = [f for f in FORM_FIELDS if f in fields]
    return {f: Markup(' aria-invalid="true" aria-describedby="map-error"' + (" autofocus" if i == 0 else ""))
            for i, f in enumerate(marked)}


def _form_page(selection: Selection | None, *, payload: dict[str, Any] | None = None,
               downloads: list[tuple[str, str]] | None = None, event_url: str | None = None,
               error: LoturaError | None = None, error_field: str | None = None,
               table: dict[str, Any] | None = None) -> Any:
    """The form and the map (``payload``) with its ``table``, or the form and what went
    wrong (``error``)."""
    return render_template(
        "maps/index.html",
        payload=payload,
        table=table,
        form=_form_state(selection),
        error=str(error) if error else None,
        field_attrs=_field_attrs(error_field or getattr(error, "field", None)) if error else {},
        downloads=downloads or [],
        event_url=event_url,
        **_choices(),
    ), error.http_status if error else 200


@bp.get("/data.json")
def data() -> Any:
    """The map payload as JSON (for the embedded ego-network map and scripts); errors
    as the JSON API gives them (``map_error``)."""
    resp = jsonify(_payload(_build(selection_from_request(), map_options())))
    resp.headers["Cache-Control"] = "private, max-age=60"
    return resp


@bp.get("/download/<fmt>")
def download(fmt: str) -> Any:
    """The same map as a file: ``html`` (self-contained, offline), ``png``, ``gexf``,
    ``graphml`` or ``zip`` (CSV of nodes and edges)."""
    if fmt not in DOWNLOADS:
        raise NotFound(_("There is nothing at this address."))
    selection = selection_from_request()
    options = map_options()
    data = _not_empty(_build(selection, options))
    lang, tr = current_lang(), get_translations()
    mimetype, ext = DOWNLOADS[fmt]
    if fmt == "html":
        body: bytes = render_html(data, lang, tr, physics=_physics()).encode("utf-8")
    elif fmt == "png":
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory(prefix="lotura-map-") as tmp:
            out = Path(tmp) / "map.png"
            try:
                render_png(render_html(data, lang, tr, for_png=True), out)
            except ChromiumMissing:
                return error_response(501, _("Not available"), _(
                    "PNG export needs Chromium on the server. Download the HTML map and take a screenshot instead."))
            except LoturaError:
                return error_response(500, _("Something went wrong"), _("The image could not be rendered."))
            body = out.read_bytes()
    elif fmt == "gexf":
        body = gexf_bytes(data)
    elif fmt == "graphml":
        body = graphml_bytes(data)
    else:
        body = csv_zip(data, lang, tr)
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="lotura-map-{_slug(selection)}-{lang}.{ext}"'
    # a downloaded file is not a page of this site: never run it here
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'; object-src 'none'"
    return resp


def _qr_svg(url: str) -> Markup:
    # segno draws the modules as one <path>; the URL is encoded in them, not written as text
    return Markup(segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, dark="#000000", light="#ffffff"))


@bp.get("/event")
def event() -> Any:
    """Full-screen map for a projector: large type, high contrast, legend, an auto-tour
    of communities and cross-border ties (and of residency ties, when ``residencies``
    draws them), and QR codes to organisation pages."""
    selection = selection_from_request()
    options = map_options()
    tour = _choice("tour", TOURS, "both")
    try:
        interval = max(2, min(int(_arg("interval", "9") or 9), 120))
    except ValueError:
        raise InvalidInput(_("%(field)s must be a whole number.", field="interval"), field="interval") from None
    data = _build(selection, options)
    payload = _payload(data, event=True)
    steps = tour_steps(data, current_lang(), get_translations(), tour)
    page_url = org_url_maker()
    qr: dict[str, dict[str, Any]] = {}
    pinned = _arg("org")
    wanted = [s["focus"] for s in steps if s.get("focus")]
    if pinned:
        if pinned not in data.graph:  # by id, PIC or name, as the selection
            pinned = resolve_selection(graph(), Selection("ego", pinned)).value or pinned
        wanted.insert(0, pinned)
    for org_id in dict.fromkeys(wanted):
        node = data.graph.nodes[org_id] if org_id in data.graph else {}
        url = public_url(page_url(org_id))
        qr[org_id] = {"svg": _qr_svg(url), "name": node.get("name") or org_id, "url": url}
    for i, s in enumerate(steps):
        s["qr"] = pinned or s.get("focus")
        s["index"] = i
    tour_data = {
        "steps": steps,
        "interval_ms": interval * 1000,
        "strings": {
            "counter": _("Step %(num)s of %(total)s"),
            "none": _("Nothing to tour: this map has no communities or cross-border ties."),
        },
    }
    return render_template(
        "maps/event.html",
        payload=payload,
        tour=tour_data,
        qr=qr,
        pinned=pinned,
        title=payload["title"],
        back_url=url_for("maps.index", **_query_args(selection, options)),
        qr_unreachable=bool(qr) and qr_unreachable(),
    )


def qr_unreachable() -> bool:
    """Whether the QR codes would send phones to this machine's loopback address: no
    ``LOTURA_PUBLIC_URL``, and the page was asked for as localhost."""
    if current_app.config.get("LOTURA_PUBLIC_URL"):
        return False
    return (urlsplit(request.url_root).hostname or "") in ("127.0.0.1", "localhost", "::1")


@bp.get("/geo")
def geo() -> Any:
    """Organisations on the NUTS-3 outlines of the three territories, cross-border arcs."""
    gm = geo_svc.geo_map(graph(), current_lang(), get_translations(), org_url=org_url_maker(), cache=_cache())
    return render_template(
        "maps/geo.html",
        svg=Markup(gm.svg),
        geo=gm,
        legend=geo_svc.legend(current_lang(), get_translations()),
        groups=gm.groups,
    )


@bp.get("/geo.svg")
def geo_svg() -> Any:
    """The geographic view as a standalone SVG file."""
    gm = geo_svc.geo_map(graph(), current_lang(), get_translations(), org_url=org_url_maker(external=True), cache=None)
    svg = gm.svg.replace("<svg ", '<svg style="background:#eef3f7" ', 1)
    resp = Response('<?xml version="1.0" encoding="utf-8"?>\n' + svg, mimetype="image/svg+xml")
    resp.headers["Content-Disposition"] = f'attachment; filename="lotura-geo-{current_lang()}.svg"'
    resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'; object-src 'none'"
    return resp
