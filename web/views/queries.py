"""Saved queries: the reviewed, read-only Cypher files of ``cypher/saved/``, run from a
form with parameters only (never free Cypher); results as a table or CSV.

Each file starts with header lines (parsed by :func:`graphsvc.queries.header`)::

    // title: English title            (and title_eu, title_es, title_fr)
    // description: English text        (and description_eu, description_es, description_fr)
    // params: name:type=default name:type? ...
    // distinct: name name                (optional: these parameters must differ)

Types: ``text``, ``int``, ``float``, ``bool``, ``year``, ``limit`` (1–1000),
``territory`` (ES21, ES22, FRI), ``kind`` (an organisation kind), ``nuts3``. A ``?``
after the type makes the parameter optional (empty means ``null``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from graphsvc.errors import InvalidInput, NotFound
from graphsvc.queries import header, names, parameters
from graphsvc.regions import TERRITORIES
from web.core import current_lang, graph
from web.labels import CAPACITY_KIND_LABELS, KIND_LABELS, ROLE_LABELS, label
from web.ui import (
    KINDS,
    arg_bool,
    arg_choice,
    arg_float,
    arg_int,
    arg_str,
    cached,
    csv_response,
    page_cached,
    plain,
)

bp = Blueprint("queries", __name__)
FOLDER = "saved"
TYPES = ("text", "int", "float", "bool", "year", "limit", "territory", "kind", "nuts3")
_SPEC = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*):(?P<type>[a-z0-9]+)(?P<optional>\?)?(?:=(?P<default>\S*))?$")
NUTS3 = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")

PARAM_LABELS = {
    "territory": _l("Territory"),
    "first": _l("First territory"),
    "second": _l("Second territory"),
    "since": _l("Since the year"),
    "kind": _l("Kind of organisation"),
    "limit": _l("At most this many rows"),
    "topic": _l("Topic contains"),
    "nuts3": _l("NUTS-3 region"),
    "cross_border_only": _l("Cross-border projects only"),
}

COLUMN_LABELS = {
    "id": _l("Id"),
    "project_id": _l("Project id"),
    "organisation": _l("Organisation"),
    "organisations": _l("Organisations"),
    "kind": _l("Kind"),
    "city": _l("City"),
    "territory": _l("Territory"),
    "territories": _l("Territories"),
    "year": _l("Year"),
    "projects": _l("Projects"),
    "partners_across_the_border": _l("Partners across the border"),
    "cross_border_partners": _l("Cross-border partners"),
    "shared_projects": _l("Shared projects"),
    "capacity_kind": _l("Kind of capacity"),
    "capacity": _l("Capacity"),
    "topic": _l("Topic"),
    "acronym": _l("Acronym"),
    "title": _l("Title"),
    "first_partners": _l("Partners in the first territory"),
    "second_partners": _l("Partners in the second territory"),
    "needed_by": _l("Needed by"),
    "offered_by": _l("Offered by"),
    "role": _l("Role"),
    "cross_border": _l("Cross-border"),
}
# Columns whose values are codes shown with their label.
CODED = {"kind": KIND_LABELS, "role": ROLE_LABELS, "capacity_kind": CAPACITY_KIND_LABELS}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    default: str | None

    @property
    def label(self) -> str:
        return str(PARAM_LABELS.get(self.name, self.name))


@dataclass(frozen=True)
class SavedQuery:
    name: str
    meta: dict[str, str]
    params: tuple[Param, ...]
    distinct: tuple[str, ...] = ()

    def text(self, key: str, lang: str) -> str:
        return self.meta.get(f"{key}_{lang}") or self.meta.get(key, "")


def parse_params(spec: str) -> tuple[Param, ...]:
    """Parse a ``// params:`` line.

    >>> [(p.name, p.type, p.optional, p.default) for p in parse_params("territory:territory=ES21 kind:kind?")]
    [('territory', 'territory', False, 'ES21'), ('kind', 'kind', True, None)]
    """
    out = []
    for item in spec.split():
        m = _SPEC.match(item)
        if not m or m.group("type") not in TYPES:
            raise ValueError(f"bad parameter spec {item!r}")
        out.append(Param(m.group("name"), m.group("type"), bool(m.group("optional")), m.group("default")))
    return tuple(out)


def saved_queries(root: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved query, by short name (the file name without folder), from the query
    folder ``root`` (default: the bundled one or ``LOTURA_CYPHER_DIR``)."""
    found: dict[str, SavedQuery] = {}
    for full in names(FOLDER, root):
        short = full.split("/", 1)[1]
        meta = header(full, root)
        params = parse_params(meta.get("params", ""))
        declared = {p.name for p in params}
        missing = [p for p in parameters(full, root) if p not in declared]
        if missing:
            raise ValueError(f"{full}: parameters used but not declared: {missing}")
        distinct = tuple(meta.get("distinct", "").split())
        if any(d not in declared for d in distinct):
            raise ValueError(f"{full}: distinct names undeclared parameters: {distinct}")
        found[short] = SavedQuery(short, meta, params, distinct)
    return found


def get(name: str) -> SavedQuery:
    q = saved_queries(graph().cypher_root).get(name)
    if q is None:
        raise NotFound(_("There is no saved query called “%(name)s”.", name=name))
    return q


def parse_value(p: Param, args: Any) -> Any:
    """The typed value of one parameter from the request (its default when absent)."""
    from werkzeug.datastructures import MultiDict

    given = args.getlist(p.name)
    if len(given) > 1:
        raise InvalidInput(_("%(field)s is given more than once.", field=p.name), field=p.name)
    raw = given[0].strip() if given and given[0].strip() else p.default
    if raw is None or raw == "":
        if p.optional:
            return None
        raise InvalidInput(_("%(field)s is required.", field=p.name), field=p.name)
    one = MultiDict({p.name: raw})
    if p.type == "text":
        return arg_str(p.name, args=one)
    if p.type == "int":
        return arg_int(p.name, 0, lo=-(10**9), hi=10**9, args=one)
    if p.type == "float":
        return arg_float(p.name, 0.0, lo=-1e12, hi=1e12, args=one)
    if p.type == "bool":
        return arg_bool(p.name, args=one)
    if p.type == "year":
        return arg_int(p.name, 2014, lo=1950, hi=2100, args=one)
    if p.type == "limit":
        return arg_int(p.name, 100, lo=1, hi=1000, args=one)
    if p.type == "territory":
        return arg_choice(p.name, TERRITORIES, args=one)
    if p.type == "kind":
        return arg_choice(p.name, KINDS, args=one)
    # nuts3
    v = (arg_str(p.name, args=one, max_len=5) or "").upper()
    if not NUTS3.match(v):
        raise InvalidInput(_("%(field)s must be a NUTS-3 code such as ES213 or FRI15.", field=p.name), field=p.name)
    return v


def run(q: SavedQuery, values: dict[str, Any]) -> list[dict[str, Any]]:
    key = ("saved", q.name, tuple(sorted(values.items())))
    return cached(key, lambda: plain(graph().read(f"{FOLDER}/{q.name}", **values)))


def column_label(col: str) -> str:
    return str(COLUMN_LABELS.get(col, col.replace("_", " ")))


def display(col: str, value: Any, lang: str) -> Any:
    """A cell as the reader should see it: codes as words, territories by name, lists joined."""
    from graphsvc.regions import territory_name

    if isinstance(value, list):
        return ", ".join(str(display(col, v, lang)) for v in value)
    if col in CODED and isinstance(value, str):
        return label(CODED[col], value)
    if col in ("territory", "territories") and isinstance(value, str):
        return territory_name(value, lang)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if col == "year" and value is not None:
        return str(value)
    return value


def parse_values(q: SavedQuery, args: Any) -> dict[str, Any]:
    """Every parameter's value; parameters the file declares ``distinct`` must differ
    (two equal territories would answer another question than the title asks)."""
    values = {p.name: parse_value(p, args) for p in q.params}
    given = [(n, values[n]) for n in q.distinct if values[n] is not None]
    for i, (name, value) in enumerate(given):
        for other, other_value in given[:i]:
            if value == other_value:
                labels = {p.name: p.label for p in q.params}
                raise InvalidInput(_("%(first)s and %(second)s must be different.",
                                     first=labels[other], second=labels[name]), field=name)
    return values


@bp.get("/queries")
@page_cached
def index() -> Any:
    lang = current_lang()
    return render_template("queries/index.html", queries=list(saved_queries(graph().cypher_root).values()), lang=lang)


@bp.get("/queries/<name>")
@page_cached
def show(name: str) -> Any:
    q = get(name)
    lang = current_lang()
    fmt = arg_choice("format", ("html", "csv"), "html")
    ran = "run" in request.args or fmt == "csv"
    error: InvalidInput | None = None
    values: dict[str, Any] = {}
    if fmt == "csv":
        values = parse_values(q, request.args)  # a bad parameter: 400, no file
    elif ran:
        try:
            values = parse_values(q, request.args)
        except InvalidInput as exc:  # shown in the form, which keeps what was typed
            error, ran = exc, False
    rows = run(q, values) if ran else []
    columns = list(rows[0].keys()) if rows else []
    shown = [[display(c, r.get(c), lang) for c in columns] for r in rows]
    if fmt == "csv":
        return csv_response(f"lotura-{name}-{lang}.csv", [column_label(c) for c in columns], shown)
    form = {p.name: request.args.get(p.name, p.default if p.default is not None else "") for p in q.params}
    return render_template(
        "queries/show.html", q=q, lang=lang, ran=ran, columns=columns, rows=rows, shown=shown,
        form=form, column_label=column_label, territories=TERRITORIES,
        kind_options=[(k, label(KIND_LABELS, k)) for k in KINDS],
        csv_args={**request.args.to_dict(), "format": "csv"}, error=error,
    ), (400 if error else 200)
