"""Communities and brokers, and skills gaps per territory (graphsvc.analytics)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from graphsvc import analytics
from graphsvc.regions import TERRITORIES
from web.core import graph
from web.ui import arg_bool, arg_choice, arg_int, cached, page_cached, plain

bp = Blueprint("analytics", __name__, url_prefix="/analytics")


def analysed() -> dict[str, Any]:
    return cached("analysed_at", lambda: plain(analytics.analysed_at(graph())))


@bp.get("/communities")
@page_cached
def communities() -> Any:
    limit = arg_int("limit", 30, lo=1, hi=200)
    rows = cached(("communities", limit), lambda: plain(analytics.communities(graph(), limit=limit, top=6)))
    top_brokers = cached(("brokers", 10, None), lambda: plain(analytics.brokers(graph(), limit=10)))
    return render_template("analytics/communities.html", rows=rows, brokers=top_brokers, meta=analysed(),
                           territories=TERRITORIES, limit=limit)


@bp.get("/brokers")
@page_cached
def brokers() -> Any:
    territory = arg_choice("territory", TERRITORIES)
    limit = arg_int("limit", 50, lo=1, hi=500)
    rows = cached(("brokers", limit, territory),
                  lambda: plain(analytics.brokers(graph(), limit=limit, territory=territory)))
    return render_template("analytics/brokers.html", rows=rows, meta=analysed(), territory=territory,
                           territories=TERRITORIES, limit=limit)


@bp.get("/gaps")
@page_cached
def gaps() -> Any:
    territory = arg_choice("territory", TERRITORIES)
    with_projects = arg_bool("projects")
    rows = cached(("gaps", with_projects),
                  lambda: plain(analytics.skills_gaps(graph(), include_projects=with_projects)))
    groups: dict[str, list[dict[str, Any]]] = {t: [] for t in TERRITORIES}
    for r in rows:
        if r["territory"] in groups and (territory is None or r["territory"] == territory):
            groups[r["territory"]].append(r)
    return render_template("analytics/gaps.html",
                           groups=[(t, groups[t]) for t in TERRITORIES if territory is None or t == territory],
                           territory=territory, territories=TERRITORIES, with_projects=with_projects,
                           any_example=any(g["example"] for _, gs in groups.items() for g in gs))
