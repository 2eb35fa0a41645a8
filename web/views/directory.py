"""The directory: full-text search over organisations, filters, paging, sorting, CSV."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from graphsvc.errors import InvalidInput
from graphsvc.regions import TERRITORIES
from web import data
from web.core import current_lang
from web.labels import KIND_LABELS, SORT_LABELS, label, territory_filter_label
from web.ui import KINDS, TERRITORY_FILTERS, arg_choice, csv_response, page_cached

bp = Blueprint("directory", __name__)
CSV_LIMIT = 20000


def csv_headers() -> list[str]:
    return [_("Id"), _("PIC"), _("Name"), _("Short name"), _("Kind"), _("City"), _("Country"),
            _("NUTS-3"), _("Territory"), _("Projects"), _("Capacities")]


def _query_and_errors() -> tuple[data.DirectoryQuery, list[InvalidInput]]:
    """The query of the address, leaving out each parameter that is not valid (the
    page lists them in its form, as the finder does) instead of refusing the page."""
    args = request.args.copy()
    errors: list[InvalidInput] = []
    while True:
        try:
            return data.DirectoryQuery.from_args(args), errors
        except InvalidInput as exc:
            if not exc.field or exc.field not in args:
                raise
            errors.append(exc)
            args.poplist(exc.field)


@bp.get("/directory")
@page_cached
def index() -> Any:
    fmt = arg_choice("format", ("html", "csv"), "html")
    if fmt == "csv":
        dq = data.DirectoryQuery.from_args()  # a bad parameter: 400, no half-filtered file
    else:
        dq, errors = _query_and_errors()
    if fmt == "csv":
        result = data.directory(dq, limit_override=CSV_LIMIT)
        from graphsvc.regions import territory_name

        lang = current_lang()
        rows = ([o["id"], o.get("pic"), o["name"], o.get("short_name"), label(KIND_LABELS, o.get("kind")),
                 o.get("city"), o.get("country"), o.get("nuts3"), territory_name(o.get("territory"), lang),
                 o["projects"], o["capacities"]] for o in result["rows"])
        return csv_response(f"lotura-directory-{lang}.csv", csv_headers(), rows)
    result = data.directory(dq)
    lang = current_lang()
    return render_template(
        "directory/index.html",
        dq=dq,
        result=result,
        territory_options=[(t, territory_filter_label(t, lang)) for t in TERRITORY_FILTERS],
        kind_options=[(k, label(KIND_LABELS, k)) for k in KINDS],
        sort_options=[(s, label(SORT_LABELS, s)) for s in data.SORTS if s != "relevance" or dq.q],
        nuts3_options=data.nuts3_regions(),
        topic_datalist=data.topic_datalist(),
        topic_name=_topic_name(dq.topic) if dq.topic else request.args.get("topic", ""),
        territories=TERRITORIES,
        args=request.args,
        errors=errors,
    ), (400 if errors else 200)


def _topic_name(topic_id: str | None) -> str:
    if not topic_id:
        return ""
    return data.resolve_topic(topic_id).name
