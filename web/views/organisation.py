"""The pages of one thing: an organisation, a project, a topic."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for

from graphsvc.regions import TERRITORIES
from web import data, suggestions
from web.ui import page_cached

bp = Blueprint("organisation", __name__)
SUGGESTIONS_ON_PAGE = 8


@bp.get("/org/<path:org_id>")
@page_cached
def show(org_id: str) -> Any:
    real = data.resolve_org_id(org_id)
    if real != org_id:
        return redirect(url_for("organisation.show", org_id=real), code=301)
    org = data.organisation(org_id)
    sugg = suggestions.for_org_page(org_id, limit=SUGGESTIONS_ON_PAGE)
    return render_template(
        "organisation/show.html",
        o=org["org"],
        org=org,
        suggestions=sugg,
        territories=TERRITORIES,
    )


@bp.get("/project/<path:project_id>")
@page_cached
def project(project_id: str) -> Any:
    row = data.project(project_id)
    groups: dict[str, list[dict[str, Any]]] = {}
    for p in row["participants"]:
        groups.setdefault(p.get("territory") or "other", []).append(p)
    order = [*TERRITORIES, "other"]
    return render_template(
        "organisation/project.html",
        p=row["project"],
        participants=row["participants"],
        groups=[(g, groups[g]) for g in order if g in groups],
        topics=row["topics"],
    )


@bp.get("/topic/<path:topic_id>")
@page_cached
def topic(topic_id: str) -> Any:
    row = data.topic(topic_id)
    return render_template("organisation/topic.html", t=row["topic"], row=row)
