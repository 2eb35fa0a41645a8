"""The partner finder: suggestions for an organisation, or for a described need
(topics or free text) for newcomers, with the CLI's filters."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from graphsvc.errors import InvalidInput, NotFound
from graphsvc.projection import projection
from graphsvc.regions import TERRITORIES
from graphsvc.suggest import exact_name
from web import data, suggestions
from web.core import current_lang, graph
from web.labels import KIND_LABELS, SCOPE_LABELS, label
from web.ui import KINDS, SCOPES, arg_choice, arg_str, page_cached

bp = Blueprint("finder", __name__)
MODES = ("org", "need")


def _resolve_org(text: str) -> tuple[str | None, list[dict[str, Any]]]:
    """An organisation id from an id, a PIC or a name; else the candidates to pick from."""
    real = data.resolve_org_id(text)
    try:
        data.organisation(real)
        return real, []
    except NotFound:
        pass
    dq = data.DirectoryQuery(q=text, territory="all", sort="relevance", per_page=10)
    # an organisation whose full name or short name is the text typed (case and accents
    # aside), as lotura suggest reads it, even when many other names contain the text
    proj = projection(graph())
    exact = exact_name(proj, text)
    if exact is not None:
        return proj.ids[exact], []
    found = data.directory(dq)
    if found["total"] == 1:
        return found["rows"][0]["id"], []
    return None, found["rows"]


@bp.get("/finder")
@page_cached
def index() -> Any:
    mode = arg_choice("mode", MODES) or ("need" if request.args.get("topics") or request.args.get("text") else "org")
    org_text = arg_str("org")
    org_id: str | None = None
    choices: list[dict[str, Any]] = []
    error: InvalidInput | None = None
    result = None
    sq = None
    org = None
    combined_members: list[dict[str, Any]] = []
    try:
        if mode == "org" and org_text:
            org_id, choices = _resolve_org(org_text)
            if org_id is None and not choices:
                raise InvalidInput(_("No organisation matches “%(text)s”.", text=org_text), field="org")
        sq = suggestions.SuggestQuery.from_args(request.args, org=org_id)
        if mode == "need" and sq.org is None and not sq.topics and not sq.text and (
            "topics" in request.args or "text" in request.args
        ):
            raise InvalidInput(_("Describe the need with at least one topic or a few words."), field="topics")
        if org_id or (mode == "need" and not sq.empty):
            result = suggestions.for_page(sq)
        if org_id:
            org = data.organisation(org_id)["org"]
            # An umbrella without projects of its own (a university whose faculties take part):
            # its suggestions combine its members' networks and profiles
            # (graphsvc.suggest.combined_members): id, name, projects of each, most active first.
            combined_members = suggestions.combined_members(org_id)
    except InvalidInput as exc:
        error = exc
    lang = current_lang()
    status = 400 if error else 200
    return render_template(
        "finder/index.html",
        mode=mode,
        org_text=org_text or "",
        org=org,
        combined_members=combined_members,
        choices=choices,
        sq=sq,
        result=result,
        error=error,
        args=request.args,
        topic_inputs=(request.args.getlist("topics") + ["", "", ""])[:3],
        scope_options=[(s, label(SCOPE_LABELS, s)) for s in SCOPES],
        territory_options=[(t, t) for t in TERRITORIES],
        kind_options=[(k, label(KIND_LABELS, k)) for k in KINDS],
        topic_datalist=data.topic_datalist(),
        lang=lang,
    ), status
