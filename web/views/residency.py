"""The residency planner (/residency/): organisers upload or edit hosts and applicants,
lock or forbid pairs, plan, download the plan as CSV, print it and save it to the graph.

The working plan is one shared document for all organisers, kept in the graph as
``(:Plan {id: 'working', status: 'working'})`` (see :mod:`graphsvc.residency.graphio`):
it survives restarts and several worker processes, and carries a revision number so
that two organisers editing at once get a clear conflict instead of losing work. Every
change re-plans at once, so the table always matches the inputs.

Applicants are people: their names are shown to organisers only. Visitors see the
saved plans, whose residencies link organisations (no names).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from graphsvc.errors import InvalidInput, NotFound, Problem
from graphsvc.regions import TERRITORIES, territory_name
from graphsvc.residency import Options, Pair, plan
from graphsvc.residency.csvio import (
    APPLICANT_COLUMNS,
    HOST_COLUMNS,
    Inputs,
    inputs_to_csv,
    plan_table,
    read_inputs,
    to_csv,
)
from graphsvc.residency.explain import language_names, render_reason, render_why
from graphsvc.residency.graphio import (
    Draft,
    GraphResolver,
    delete_plan,
    get_draft,
    list_plans,
    plan_residencies,
    proximity,
    put_draft,
    save_plan,
)
from graphsvc.residency.model import Reason
from graphsvc.residency.problems import translated
from web.auth import require_role
from web.core import current_lang, graph
from web.labels import decimal_text
from web.ui import csv_response

bp = Blueprint("residency", __name__, url_prefix="/residency")

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
MAX_UPLOAD = 2 * 1024 * 1024
FIELD_MAX = 2000


# -- helpers ------------------------------------------------------------------------------
@bp.app_template_filter("fit")
def fit(value: Any) -> str:
    """A residency score or total fit with three decimals, as the plan's CSV writes them
    (``1.000``, never ``1`` beside ``1.167``), in the page's language."""
    return decimal_text(value, 3, fixed=True)


def _can_plan() -> bool:
    return bool(current_user.is_authenticated and current_user.has_role("organiser"))


def _form(name: str, max_len: int = FIELD_MAX) -> str:
    value = (request.form.get(name) or "").strip()
    if len(value) > max_len:
        raise InvalidInput(gettext("%(field)s is too long.", field=name), field=name)
    return value


def _draft_for_write() -> Draft:
    """The stored working plan, at the revision the form was made from."""
    draft = get_draft(graph())
    sent = request.form.get("revision", "")
    if sent.isdigit():
        draft.revision = int(sent)
    return draft


def _replan(draft: Draft) -> Draft:
    """Plan again from the draft's inputs, pairs and options (nothing when empty)."""
    inputs = draft.inputs
    if not inputs.hosts or not inputs.applicants:
        draft.plan = None
        return draft
    prox = proximity(graph(), [a.organisation for a in inputs.applicants if a.organisation],
                     [h.organisation for h in inputs.hosts if h.organisation])
    opts = Options(mode=draft.mode, cross_border=draft.cross_border,  # type: ignore[arg-type]
                   locks=tuple(draft.locks), forbids=tuple(draft.forbids), proximity=prox)
    draft.plan = plan(inputs.hosts, inputs.applicants, opts)
    return draft


def _store(draft: Draft, message: str) -> Any:
    _replan(draft)
    put_draft(graph(), draft)
    flash(message, "success")
    return redirect(url_for("residency.index") + "#plan")


def _problems_page(problems: list[Problem], status: int = 400) -> Any:
    draft = get_draft(graph())
    ctx = _workspace(draft)
    # the English message stays in the exception (and the logs); the page shows each
    # problem from its code, in the page's language
    ctx.update(problems=[translated(p, gettext, ngettext) for p in problems])
    return render_template("residency/index.html", **ctx), status


def _cells(obj: Any, columns: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for c in columns:
        v = getattr(obj, c, None)
        out[c] = "|".join(v) if isinstance(v, tuple) else ("" if v is None else str(v))
    return out


def _reread(inputs: Inputs, hosts_rows: list[dict[str, str]] | None = None,
            app_rows: list[dict[str, str]] | None = None, files: tuple[str, str] | None = None,
            raw: tuple[str | bytes | None, str | bytes | None] = (None, None)) -> Inputs:
    """Check edited inputs exactly as an upload: through the CSV reader and the graph."""
    hosts_csv, apps_csv = inputs_to_csv(inputs)
    if hosts_rows is not None:
        hosts_csv = to_csv(HOST_COLUMNS, ([r.get(c, "") for c in HOST_COLUMNS] for r in hosts_rows))
    if app_rows is not None:
        apps_csv = to_csv(APPLICANT_COLUMNS, ([r.get(c, "") for c in APPLICANT_COLUMNS] for r in app_rows))
    hosts_data = raw[0] if raw[0] is not None else hosts_csv
    apps_data = raw[1] if raw[1] is not None else apps_csv
    hf, af = files or (gettext("hosts"), gettext("applicants"))
    return read_inputs(hosts_data, apps_data, hosts_file=hf, applicants_file=af, resolver=GraphResolver(graph()))


def _why(draft: Draft) -> tuple[dict[str, list[str]], dict[str, str]]:
    lang = current_lang()
    if draft.plan is None:
        return {}, {}
    why = {a.applicant: render_why(a, gettext, ngettext, lang) for a in draft.plan.assignments}
    reasons = {u.applicant: render_reason(u.reason, gettext, ngettext, lang) for u in draft.plan.unmatched}
    return why, reasons


def _workspace(draft: Draft) -> dict[str, Any]:
    why, reasons = _why(draft)
    hosts = {h.id: h for h in draft.inputs.hosts}
    apps = {a.id: a for a in draft.inputs.applicants}
    edit_host = hosts.get(request.args.get("edit_host", ""))
    edit_app = apps.get(request.args.get("edit_applicant", ""))
    return {
        "draft": draft, "hosts": hosts, "apps": apps, "why": why, "reasons": reasons,
        "locked": {(p.applicant, p.host) for p in draft.locks},
        "host_form": _cells(edit_host, HOST_COLUMNS) if edit_host else dict.fromkeys(HOST_COLUMNS, ""),
        "app_form": _cells(edit_app, APPLICANT_COLUMNS) if edit_app else dict.fromkeys(APPLICANT_COLUMNS, ""),
        "editing_host": edit_host is not None, "editing_app": edit_app is not None,
        "territories": TERRITORIES, "saved": list_plans(graph()), "has_example": (EXAMPLES / "HOSTS.csv").is_file(),
        "problems": [], "can_delete": True,
        "lang_names": lambda codes: ", ".join(language_names(codes, current_lang())),
    }


# -- pages ----------------------------------------------------------------------------------
@bp.get("/")
def index() -> Any:
    """The working plan for organisers; the saved plans for everyone else."""
    if not _can_plan():
        return render_template("residency/public.html", saved=list_plans(graph()), can_delete=False)
    return render_template("residency/index.html", **_workspace(get_draft(graph())))


@bp.get("/plans/<plan_id>")
def saved(plan_id: str) -> Any:
    """A saved plan: which organisation hosts a resident from which, in which period."""
    plans = {p["id"]: p for p in list_plans(graph(), limit=1000)}
    if plan_id not in plans:
        raise NotFound(gettext("There is no saved plan with this id."))
    lang = current_lang()
    rows = plan_residencies(graph(), plan_id)
    # A resident's preference rank and working languages, beside the home organisation
    # and the period, can point to a person in a small programme: signed-in users only.
    show_why = bool(current_user.is_authenticated)
    for r in rows:
        r["reasons"] = [render_reason(Reason(x["code"], x["params"]), gettext, ngettext, lang)
                        for x in r["why"] if x["code"] not in ("stable",)] if show_why else []
    return render_template("residency/saved.html", p=plans[plan_id], rows=rows, can_plan=_can_plan(),
                           show_why=show_why, org_pages="organisation.show" in current_app.view_functions)


@bp.get("/plan.csv")
@require_role("organiser")
def plan_csv() -> Any:
    draft = get_draft(graph())
    if draft.plan is None:
        raise NotFound(gettext("There is no plan yet: add hosts and applicants first."))
    lang = current_lang()
    header, rows = plan_table(draft.plan, draft.inputs, gettext, ngettext, lang,
                              territory=lambda c: territory_name(c, lang))
    return csv_response(f"residency-plan-{lang}.csv", header, rows)


@bp.get("/inputs/<kind>.csv")
@require_role("organiser")
def inputs_csv(kind: str) -> Any:
    """The current hosts or applicants in the template's columns (to edit offline)."""
    draft = get_draft(graph())
    hosts_csv, apps_csv = inputs_to_csv(draft.inputs)
    if kind not in ("hosts", "applicants"):
        abort(404)
    rows = list(csv.reader(io.StringIO(hosts_csv if kind == "hosts" else apps_csv)))
    return csv_response(f"{kind.upper()}.csv", rows[0], rows[1:])


@bp.get("/print")
@require_role("organiser")
def printable() -> Any:
    draft = get_draft(graph())
    why, reasons = _why(draft)
    return render_template("residency/print.html", draft=draft, why=why, reasons=reasons,
                           hosts={h.id: h for h in draft.inputs.hosts}, apps={a.id: a for a in draft.inputs.applicants})


# -- changes (organisers) -----------------------------------------------------------------------
def _guard(fn: Callable[[], Any]) -> Any:
    """Run a change; show the file problems or a refused lock on the page (400)."""
    try:
        return fn()
    except InvalidInput as exc:
        message = exc.message.split("\n", 1)[0]
        return _problems_page(exc.problems or [Problem("", 0, exc.field or "", message)])


@bp.post("/upload")
@require_role("organiser")
def upload() -> Any:
    hosts_file = request.files.get("hosts")
    apps_file = request.files.get("applicants")
    files = [f for f in (hosts_file, apps_file) if f is not None and f.filename]

    def read(f: Any) -> bytes | None:
        if f is None or not f.filename:
            return None
        data = f.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise InvalidInput(gettext("%(file)s is larger than 2 MB.", file=f.filename), field="file")
        return data

    def work() -> Any:
        if not files:  # shown in the planner's form, like a file's problems
            raise InvalidInput(gettext("Choose a hosts file, an applicants file or both."))
        draft = _draft_for_write()
        raw = (read(hosts_file), read(apps_file))
        names = (hosts_file.filename if raw[0] is not None and hosts_file else gettext("hosts"),
                 apps_file.filename if raw[1] is not None and apps_file else gettext("applicants"))
        draft.inputs = _reread(draft.inputs, files=(str(names[0]), str(names[1])), raw=raw)
        _drop_stale_pairs(draft)
        return _store(draft, gettext("Files read: %(hosts)s hosts, %(applicants)s applicants.",
                                     hosts=len(draft.inputs.hosts), applicants=len(draft.inputs.applicants)))

    return _guard(work)


@bp.post("/example")
@require_role("organiser")
def example() -> Any:
    if not (EXAMPLES / "HOSTS.csv").is_file():
        abort(404)

    def work() -> Any:
        draft = _draft_for_write()
        draft.inputs = _reread(draft.inputs, files=("HOSTS.csv", "APPLICANTS.csv"),
                               raw=((EXAMPLES / "HOSTS.csv").read_bytes(), (EXAMPLES / "APPLICANTS.csv").read_bytes()))
        draft.locks, draft.forbids = [], []
        return _store(draft, gettext("The example hosts and applicants are loaded."))

    return _guard(work)


def _drop_stale_pairs(draft: Draft) -> None:
    hosts = {h.id for h in draft.inputs.hosts}
    apps = {a.id for a in draft.inputs.applicants}
    draft.locks = [p for p in draft.locks if p.applicant in apps and p.host in hosts]
    draft.forbids = [p for p in draft.forbids if p.applicant in apps and p.host in hosts]


def _upsert(kind: str) -> Any:
    columns = HOST_COLUMNS if kind == "host" else APPLICANT_COLUMNS

    def work() -> Any:
        draft = _draft_for_write()
        row = {c: _form(c) for c in columns}
        original = _form("original_id", 64)
        items = draft.inputs.hosts if kind == "host" else draft.inputs.applicants
        rows = [_cells(x, columns) for x in items]
        target = original or row["id"]
        at = next((i for i, r in enumerate(rows) if r["id"] == target), None)
        if at is None:
            rows.append(row)
        else:
            rows[at] = row
        if kind == "host":
            draft.inputs = _reread(draft.inputs, hosts_rows=rows)
        else:
            draft.inputs = _reread(draft.inputs, app_rows=rows)
        if original and original != row["id"]:
            _rename(draft, kind, original, row["id"])
        _drop_stale_pairs(draft)
        return _store(draft, gettext("Saved %(id)s.", id=row["id"]))

    return _guard(work)


def _rename(draft: Draft, kind: str, old: str, new: str) -> None:
    def fix(p: Pair) -> Pair:
        if kind == "host" and p.host == old:
            return Pair(p.applicant, new, p.period)
        if kind == "applicant" and p.applicant == old:
            return Pair(new, p.host, p.period)
        return p

    draft.locks = [fix(p) for p in draft.locks]
    draft.forbids = [fix(p) for p in draft.forbids]


@bp.post("/hosts")
@require_role("organiser")
def save_host() -> Any:
    return _upsert("host")


@bp.post("/applicants")
@require_role("organiser")
def save_applicant() -> Any:
    return _upsert("applicant")


def _delete(kind: str, item_id: str) -> Any:
    def work() -> Any:
        draft = _draft_for_write()
        if kind == "host":
            keep_h = [_cells(h, HOST_COLUMNS) for h in draft.inputs.hosts if h.id != item_id]
            # preferences naming the host go too, or the applicants would no longer read
            apps = [_cells(a, APPLICANT_COLUMNS) for a in draft.inputs.applicants]
            for a in apps:
                a["preferences"] = "|".join(x for x in a["preferences"].split("|") if x and x != item_id)
            draft.inputs = _reread(draft.inputs, hosts_rows=keep_h, app_rows=apps)
        else:
            hosts = [_cells(h, HOST_COLUMNS) for h in draft.inputs.hosts]
            for h in hosts:
                h["ranking"] = "|".join(x for x in h["ranking"].split("|") if x and x != item_id)
            keep_a = [_cells(a, APPLICANT_COLUMNS) for a in draft.inputs.applicants if a.id != item_id]
            draft.inputs = _reread(draft.inputs, hosts_rows=hosts, app_rows=keep_a)
        _drop_stale_pairs(draft)
        return _store(draft, gettext("Deleted %(id)s.", id=item_id))

    return _guard(work)


@bp.post("/hosts/<host_id>/delete")
@require_role("organiser")
def delete_host(host_id: str) -> Any:
    return _delete("host", host_id)


@bp.post("/applicants/<applicant_id>/delete")
@require_role("organiser")
def delete_applicant(applicant_id: str) -> Any:
    return _delete("applicant", applicant_id)


@bp.post("/pairs")
@require_role("organiser")
def pairs() -> Any:
    """Lock, forbid, unlock or allow again one applicant–host pair, then plan again."""
    action = _form("action", 16)
    if action not in ("lock", "forbid", "unlock", "allow"):
        raise InvalidInput(gettext("Unknown action."), field="action")
    pair = Pair(_form("applicant", 64), _form("host", 64), _form("period", 64) or None)
    if not pair.applicant or not pair.host:
        raise InvalidInput(gettext("Choose an applicant and a host."), field="applicant")

    def work() -> Any:
        draft = _draft_for_write()
        if action == "lock":
            draft.locks = [p for p in draft.locks if p.applicant != pair.applicant] + [pair]
            draft.forbids = [p for p in draft.forbids if (p.applicant, p.host) != (pair.applicant, pair.host)]
            message = gettext("Locked %(pair)s.", pair=str(pair))
        elif action == "forbid":
            draft.forbids = [p for p in draft.forbids if p != pair] + [pair]
            draft.locks = [p for p in draft.locks if (p.applicant, p.host) != (pair.applicant, pair.host)]
            message = gettext("Forbade %(pair)s.", pair=str(pair))
        elif action == "unlock":
            draft.locks = [p for p in draft.locks if (p.applicant, p.host) != (pair.applicant, pair.host)]
            message = gettext("Unlocked %(pair)s.", pair=str(pair))
        else:
            draft.forbids = [p for p in draft.forbids if (p.applicant, p.host, p.period) != (pair.applicant, pair.host, pair.period)]
            message = gettext("Allowed %(pair)s again.", pair=str(pair))
        return _store(draft, message)

    return _guard(work)


@bp.post("/plan")
@require_role("organiser")
def replan() -> Any:
    mode = _form("mode", 16) or "optimal"
    if mode not in ("optimal", "stable"):
        raise InvalidInput(gettext("Unknown mode."), field="mode")

    def work() -> Any:
        draft = _draft_for_write()
        draft.mode = mode
        draft.cross_border = request.form.get("cross_border") == "1"
        return _store(draft, gettext("Planned again."))

    return _guard(work)


@bp.post("/clear")
@require_role("organiser")
def clear() -> Any:
    draft = _draft_for_write()
    fresh = Draft(revision=draft.revision)
    return _store(fresh, gettext("The working plan is empty."))


@bp.post("/save")
@require_role("organiser")
def save() -> Any:
    """Write the working plan to the graph, so that maps show the new ties."""
    draft = get_draft(graph())
    if draft.plan is None:
        raise InvalidInput(gettext("There is no plan to save yet."), field="name")
    name = _form("name", 120) or None
    result = save_plan(graph(), draft.plan, draft.inputs, name=name)
    before = result["previous_name"]
    if before is None:
        flash(gettext("Saved to the graph as %(plan)s: %(count)s residencies.", plan=result["plan"],
                      count=result["residencies"]), "success")
    elif before != result["name"]:
        # The id comes from the plan's content: the same plan is one saved plan.
        flash(gettext("This plan was already saved as “%(old)s”; it is now named “%(new)s”.",
                      old=before, new=result["name"]), "info")
    else:
        flash(gettext("This plan was already saved as “%(name)s”; nothing changed.", name=before), "info")
    return redirect(url_for("residency.saved", plan_id=result["plan"]))


@bp.post("/plans/<plan_id>/delete")
@require_role("organiser")
def remove_saved(plan_id: str) -> Any:
    delete_plan(graph(), plan_id)
    flash(gettext("Deleted the saved plan %(plan)s.", plan=plan_id), "success")
    return redirect(url_for("residency.index"))
