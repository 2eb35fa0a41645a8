"""Communities and brokers, and skills gaps per territory (graphsvc.analytics)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from flask import Blueprint, render_template

from graphsvc.regions import TERRITORIES
from web.core import graph
from web.ui import arg_bool, arg_choice, arg_int, cached, page_cached, plain

bp = Blueprint("analytics", __name__, url_prefix="/analytics")


def engine() -> ModuleType | None:
    try:
        return importlib.import_module("graphsvc.analytics")
    except ModuleNotFoundError as exc:
        if exc.name == "graphsvc.analytics":
            return None
        raise


def analysed() -> dict[str, Any]:
    mod = engine()
    if mod is None:
        return {"analysed_at": None, "engine": None}
    return cached("analysed_at", lambda: plain(mod.analysed_at(graph())))


@bp.get("/communities")
@page_cached
def communities() -> Any:
    mod = engine()
    limit = arg_int("limit", 30, lo=1, hi=200)
    rows = cached(("communities", limit), lambda: plain(mod.communities(graph(), limit=limit, top=6))) if mod else None
    top_brokers = cached(("brokers", 10, None), lambda: plain(mod.brokers(graph(), limit=10))) if mod else None
    return render_template("analytics/communities.html", rows=rows, brokers=top_brokers, meta=analysed(),
                           territories=TERRITORIES, limit=limit)


@bp.get("/brokers")
@page_cached
def brokers() -> Any:
    mod = engine()
    territory = arg_choice("territory", TERRITORIES)
    limit = arg_int("limit", 50, lo=1, hi=500)
    rows = cached(("brokers", limit, territory),
                  lambda: plain(mod.brokers(graph(), limit=limit, territory=territory))) if mod else None
    return render_template("analytics/brokers.html", rows=rows, meta=analysed(), territory=territory,
                           territories=TERRITORIES, limit=limit)


@bp.get("/gaps")
@page_cached
def gaps() -> Any:
    mod = engine()
    territory = arg_choice("territory", TERRITORIES)
    with_projects = arg_bool("projects")
    rows = cached(("gaps", with_projects),
                  lambda: plain(mod.skills_gaps(graph(), include_projects=with_projects))) if mod else None
    groups: dict[str, list[dict[str, Any]]] = {t: [] for t in TERRITORIES}
    for r in rows or []:
        if r["territory"] in groups and (territory is None or r["territory"] == territory):
            groups[r["territory"]].append(r)
    return render_template("analytics/gaps.html", available=rows is not None,
                           groups=[(t, groups[t]) for t in TERRITORIES if territory is None or t == territory],
                           territory=territory, territories=TERRITORIES, with_projects=with_projects)
