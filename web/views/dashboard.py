"""The dashboard: the partnership's KPIs, the ecosystem in numbers, the latest loads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from graphsvc import analytics
from graphsvc.regions import TERRITORIES
from web.core import graph
from web.ui import KINDS, cached, page_cached, plain

bp = Blueprint("dashboard", __name__)

# The partnership's KPIs (graphsvc.analytics.KPI_TARGETS) in the reader's language.
KPI_LABELS = {
    "capacities": _l("Training, research and transfer capacities identified"),
    "organisations": _l("Organisations taking part in the partnership"),
    "projects_supported": _l("Projects supported to transfer skills and capacities"),
    "hub_agents": _l("Agents in the Euroregional Green Audiovisual Hub"),
    "euroregional_projects": _l("Euroregional projects for cross-border cooperation"),
}
# The indicators of the partnership's document that the graph holds no data for.
KPI_NOT_COUNTED = (
    _l("Up- and reskilling opportunities offered (target 1, after 2025)"),
    _l("Share of the active workforce reskilled or upskilled (target 5%, by 2027)"),
    _l("Events and networks taken part in (target 3, 2024)"),
)
KPI_NOTES = {
    "capacities": _l("Capacities recorded in the graph (the partnership's capacity survey)."),
    "organisations": _l("Members of the KSIgune network in the graph."),
    "projects_supported": _l("Projects from the partnership's own records."),
    "hub_agents": _l("Members of the hub's network in the graph."),
    "euroregional_projects": _l("The partnership's own projects with participants in two or more territories of the Euroregion (funded research projects do not count)."),
}


def counts() -> dict[str, Any]:
    """Organisations per territory and kind, with totals both ways."""

    def run() -> dict[str, Any]:
        rows = graph().read("web/dashboard_counts", territories=list(TERRITORIES))
        table = {t: dict.fromkeys(KINDS, 0) for t in TERRITORIES}
        for r in rows:
            kind = r["kind"] if r["kind"] in KINDS else "other"
            table[r["territory"]][kind] += r["n"]
        by_kind = {k: sum(table[t][k] for t in TERRITORIES) for k in KINDS}
        by_territory = {t: sum(table[t].values()) for t in TERRITORIES}
        return {"table": table, "by_kind": by_kind, "by_territory": by_territory,
                "total": sum(by_territory.values())}

    return cached("dashboard_counts", run)


def years() -> list[dict[str, Any]]:
    return cached("dashboard_years", lambda: graph().read("web/dashboard_years"))


def totals() -> dict[str, Any]:
    return cached("dashboard_totals", lambda: graph().read_one("web/dashboard_totals") or {})


def latest_loads(limit: int = 8) -> list[dict[str, Any]]:
    return cached(("latest_loads", limit), lambda: plain(graph().read("web/latest_loads", limit=limit)))


def kpis() -> list[dict[str, Any]]:
    """The partnership's KPIs (graphsvc.analytics.kpis)."""
    rows = cached("kpis", lambda: analytics.kpis(graph()))
    return [{**k, "label": str(KPI_LABELS.get(k["key"], k.get("label", k["key"]))),
             "note": str(KPI_NOTES.get(k["key"], k.get("source", "")))} for k in rows]


@bp.get("/dashboard")
@page_cached
def index() -> Any:
    yrs = years()
    max_n = max((y["projects"] for y in yrs), default=0)
    c = counts()
    return render_template(
        "dashboard/index.html",
        kpis=kpis(),
        kpis_not_counted=[str(x) for x in KPI_NOT_COUNTED],
        counts=c,
        kinds=[k for k in KINDS if c["by_kind"][k]] or list(KINDS),
        territories=TERRITORIES,
        years=yrs,
        bars=[(y["year"], y["projects"]) for y in yrs],
        second={y["year"]: y["cross_border"] for y in yrs},
        max_n=max_n,
        totals=totals(),
        loads=latest_loads(),
    )
