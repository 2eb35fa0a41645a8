"""Reading and writing the planner's CSV files.

``HOSTS.csv`` and ``APPLICANTS.csv`` are described in ``docs/residency.md``: UTF-8, a
header row, ``,`` or ``;`` between cells, ``|`` between the items of a list. Reading
reports every problem at once, each as ``file:line: field: message``, in one
:class:`~graphsvc.errors.InvalidInput`; each problem also carries a code and params
(:mod:`graphsvc.residency.problems`) so that the web app shows it in the user's language.

Organisations may be given by a graph id or by name; a :class:`Resolver` (the graph,
see :mod:`graphsvc.residency.graphio`) fills in their id, name, territory and topics.
Without one, every row must give its territory.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from graphsvc.csvsafe import allow_long_cells, safe_cell
from graphsvc.errors import InvalidInput, Problem
from graphsvc.residency.explain import (
    Gettext,
    Ngettext,
    plain_gettext,
    plain_ngettext,
    render_reason,
    render_why,
)
from graphsvc.residency.model import (
    ID_RE,
    Applicant,
    Assignment,
    Host,
    Pair,
    Plan,
    Reason,
    Unmatched,
    parse_language,
    parse_territory,
)
from graphsvc.residency.problems import csv_syntax, problem

__all__ = [
    "APPLICANT_COLUMNS",
    "HOST_COLUMNS",
    "MAX_ROWS",
    "Inputs",
    "OrgInfo",
    "Resolver",
    "dump_inputs",
    "dump_plan",
    "inputs_to_csv",
    "load_inputs",
    "load_plan",
    "neutralise",
    "parse_pair_option",
    "plan_table",
    "read_inputs",
    "to_csv",
]

HOST_COLUMNS = ("id", "organisation", "name", "territory", "places", "periods", "languages", "topics", "ranking")
HOST_REQUIRED = ("id", "places", "periods", "languages")
APPLICANT_COLUMNS = ("id", "name", "organisation", "territory", "languages", "periods", "topics", "preferences")
APPLICANT_REQUIRED = ("id", "name", "languages", "periods")
MAX_ROWS = 5000
allow_long_cells()  # the same cell limit as the loaders' CSV files (loaders/csvio.py)
MAX_PLACES = 1000
_GRAPH_TOPIC = re.compile(r"^(esv|kw|esco|ccs):\S+$|^\S+#\S+$")


@dataclass(frozen=True)
class OrgInfo:
    """What the graph knows of an organisation."""

    id: str
    name: str
    territory: str | None = None
    topics: tuple[str, ...] = ()


class Resolver(Protocol):
    """Looks organisations and topic ids up (in the graph)."""

    def organisations(self, refs: Sequence[str]) -> dict[str, OrgInfo]:
        """``ref -> OrgInfo`` for each id or name found; unknown refs are left out."""
        ...

    def topics(self, ids: Sequence[str]) -> dict[str, list[str]]:
        """Topic or capacity id -> the names of the topics it stands for."""
        ...


@dataclass
class Inputs:
    """Hosts and applicants, read and checked."""

    hosts: list[Host] = field(default_factory=list)
    applicants: list[Applicant] = field(default_factory=list)


def split_list(cell: str | None) -> list[str]:
    """The ``|``-separated items of a cell, stripped, empty ones and repeats dropped.

    >>> split_list(" eu | es||eu ")
    ['eu', 'es']
    """
    return list(dict.fromkeys(x.strip() for x in (cell or "").split("|") if x.strip()))


def neutralise(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula (:func:`graphsvc.csvsafe.safe_cell`).

    >>> neutralise("=HYPERLINK(1)"), neutralise("-2"), neutralise("Bordeaux"), neutralise(0.5)
    ("'=HYPERLINK(1)", "'-2", 'Bordeaux', 0.5)
    """
    return safe_cell(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text (RFC 4180, CRLF) with every cell neutralised."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([safe_cell(h) for h in header])
    for row in rows:
        w.writerow([safe_cell(c) for c in row])
    return out.getvalue()


# -- reading ---------------------------------------------------------------------------
def _decode(data: str | bytes, file: str, problems: list[Problem]) -> str | None:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(problem(file, line, "encoding", "not_utf8"))
        return None


def _rows(text: str | None, file: str, columns: Sequence[str], required: Sequence[str],
          problems: list[Problem]) -> tuple[list[tuple[int, dict[str, str]]], bool]:
    """The rows of a CSV text as (line, {column: cell}), with header problems noted, and
    whether the whole file could be read (up to :data:`MAX_ROWS`) with an ``id`` column.
    ``text`` None is a file that could not be decoded (already reported)."""
    if text is None:
        return [], False
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(problem(file, 1, "header", "empty_file"))
        return [], False
    except csv.Error as exc:
        problems.append(problem(file, 1, "header", "unreadable_csv", **csv_syntax(str(exc))))
        return [], False
    names = [h.strip().lower() for h in header]
    for i, name in enumerate(names):
        if name and name not in columns:
            problems.append(problem(file, 1, name, "unknown_column", columns=list(columns)))
        elif name in names[:i]:
            problems.append(problem(file, 1, name, "duplicate_column"))
    for name in required:
        if name not in names:
            problems.append(problem(file, 1, name, "missing_column"))
    out: list[tuple[int, dict[str, str]]] = []
    line = 1
    read = "id" in names
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(out) >= MAX_ROWS:
                problems.append(problem(file, start, "rows", "too_many_rows", max=MAX_ROWS))
                break
            if len(cells) > len(names):
                problems.append(problem(file, start, "row", "too_many_cells", cells=len(cells), columns=len(names)))
            out.append((start, {n: c.strip() for n, c in zip(names, cells, strict=False) if n}))
    except csv.Error as exc:
        problems.append(problem(file, line + 1, "row", "unreadable_csv", **csv_syntax(str(exc))))
        read = False
    return out, read


def _check_id(value: str, file: str, line: int, fld: str, seen: dict[str, int], problems: list[Problem]) -> bool:
    if not value:
        problems.append(problem(file, line, fld, "required"))
        return False
    if not ID_RE.match(value):
        problems.append(problem(file, line, fld, "bad_id", value=value))
        return False
    if value in seen:
        problems.append(problem(file, line, fld, "duplicate_id", value=value, line=seen[value]))
        return False
    seen[value] = line
    return True


def _languages(cell: str, file: str, line: int, problems: list[Problem]) -> tuple[str, ...]:
    out = []
    for item in split_list(cell):
        code = parse_language(item)
        if code is None:
            problems.append(problem(file, line, "languages", "unknown_language", value=item))
        else:
            out.append(code)
    if not out and not split_list(cell):
        problems.append(problem(file, line, "languages", "no_language"))
    return tuple(dict.fromkeys(out))


def _periods(cell: str, file: str, line: int, problems: list[Problem]) -> tuple[str, ...]:
    items = split_list(cell)
    if not items:
        problems.append(problem(file, line, "periods", "no_period"))
    for p in items:
        if not ID_RE.match(p):
            problems.append(problem(file, line, "periods", "bad_period", value=p))
    return tuple(p for p in items if ID_RE.match(p))


def _territory(row: dict[str, str], org: OrgInfo | None, file: str, line: int, problems: list[Problem],
               looked_up: bool) -> str:
    cell = row.get("territory", "")
    if cell:
        code = parse_territory(cell)
        if code is None:
            problems.append(problem(file, line, "territory", "unknown_territory", value=cell))
            return ""
        return code
    if org is not None and org.territory:
        return org.territory
    if row.get("organisation"):
        if not looked_up:
            code = "territory_not_looked_up"
        elif org is None:
            code = "territory_not_in_graph"
        else:
            code = "territory_not_known"
        problems.append(problem(file, line, "territory", code, organisation=row["organisation"]))
    else:
        problems.append(problem(file, line, "territory", "territory_required"))
    return ""


def _org_id(row: dict[str, str], org: OrgInfo | None) -> str | None:
    """The graph id of the row's organisation: looked up, or the cell when it is an id."""
    if org is not None:
        return org.id
    ref = row.get("organisation", "")
    return ref if re.fullmatch(r"[a-z][a-z0-9-]*:\S+", ref) else None


def _topics(cell: str, org: OrgInfo | None, resolved: dict[str, list[str]]) -> tuple[str, ...]:
    items = split_list(cell)
    if not items and org is not None:
        return org.topics
    out: list[str] = []
    for t in items:
        out.extend(resolved.get(t) or [t])
    return tuple(dict.fromkeys(out))


def read_inputs(
    hosts: str | bytes,
    applicants: str | bytes,
    *,
    hosts_file: str = "HOSTS.csv",
    applicants_file: str = "APPLICANTS.csv",
    resolver: Resolver | None = None,
) -> Inputs:
    """Read and check both files; raise :class:`InvalidInput` listing every problem.

    Examples
    --------
    >>> h = "id,name,territory,places,periods,languages,topics\\nbdx,Université de Bordeaux,FRI,2,1|2,fr|en,audiovisual\\n"
    >>> a = "id,name,territory,languages,periods\\na1,Ane,Euskadi,eu|en,1\\na2,Léa,FRI,Klingon,\\n"
    >>> read_inputs(h, a)
    Traceback (most recent call last):
    ...
    graphsvc.errors.InvalidInput: 2 problems in the residency files
      APPLICANTS.csv:3: languages: unknown language 'Klingon' (use codes such as eu, es, fr, en)
      APPLICANTS.csv:3: periods: at least one period is required
    >>> read_inputs(h, a.rsplit("\\n", 2)[0]).applicants[0].territory
    'ES21'
    """
    problems: list[Problem] = []
    htext = _decode(hosts, hosts_file, problems)
    atext = _decode(applicants, applicants_file, problems)
    hrows, hosts_read = _rows(htext, hosts_file, HOST_COLUMNS, HOST_REQUIRED, problems)
    arows, _ = _rows(atext, applicants_file, APPLICANT_COLUMNS, APPLICANT_REQUIRED, problems)
    refs = list(dict.fromkeys(r["organisation"] for _, r in hrows + arows if r.get("organisation")))
    topic_ids = list(dict.fromkeys(t for _, r in hrows + arows for t in split_list(r.get("topics")) if _GRAPH_TOPIC.match(t)))
    orgs = resolver.organisations(refs) if resolver and refs else {}
    resolved_topics = resolver.topics(topic_ids) if resolver and topic_ids else {}

    out = Inputs()
    seen: dict[str, int] = {}
    rankings: list[tuple[int, tuple[str, ...]]] = []
    for line, r in hrows:
        ok = _check_id(r.get("id", ""), hosts_file, line, "id", seen, problems)
        org = orgs.get(r.get("organisation", ""))
        name = r.get("name") or (org.name if org else r.get("organisation", ""))
        if not name:
            problems.append(problem(hosts_file, line, "name", "required_without_organisation"))
        places_cell = r.get("places", "")
        places = 0
        if not re.fullmatch(r"\d{1,4}", places_cell) or int(places_cell) > MAX_PLACES:
            problems.append(problem(hosts_file, line, "places", "bad_places", value=places_cell, max=MAX_PLACES))
        else:
            places = int(places_cell)
        territory = _territory(r, org, hosts_file, line, problems, resolver is not None)
        periods = _periods(r.get("periods", ""), hosts_file, line, problems)
        languages = _languages(r.get("languages", ""), hosts_file, line, problems)
        ranking = tuple(split_list(r.get("ranking")))
        rankings.append((line, ranking))
        if ok:
            out.hosts.append(Host(r["id"], name, territory, places, periods, languages,
                                  _topics(r.get("topics", ""), org, resolved_topics), _org_id(r, org), ranking))
    host_ids = {h.id for h in out.hosts}
    seen = {}
    prefs: list[tuple[int, tuple[str, ...]]] = []
    for line, r in arows:
        ok = _check_id(r.get("id", ""), applicants_file, line, "id", seen, problems)
        org = orgs.get(r.get("organisation", ""))
        if not r.get("name"):
            problems.append(problem(applicants_file, line, "name", "required"))
        territory = _territory(r, org, applicants_file, line, problems, resolver is not None)
        languages = _languages(r.get("languages", ""), applicants_file, line, problems)
        periods = _periods(r.get("periods", ""), applicants_file, line, problems)
        preferences = tuple(split_list(r.get("preferences")))
        prefs.append((line, preferences))
        if ok:
            out.applicants.append(Applicant(r["id"], r.get("name", ""), territory, languages, periods,
                                            _topics(r.get("topics", ""), None, resolved_topics),
                                            _org_id(r, org), preferences))
    app_ids = {a.id for a in out.applicants}
    # A hosts file that could not be read (all or part, or without its id column) is
    # reported once, not again as an unknown host in every preference.
    for line, preferences in prefs:
        for h in preferences:
            if hosts_read and h not in host_ids:
                problems.append(problem(applicants_file, line, "preferences", "unknown_host", value=h))
    for line, ranking in rankings:
        for a in ranking:
            if a not in app_ids:
                problems.append(problem(hosts_file, line, "ranking", "unknown_applicant", value=a))
    if problems:
        problems.sort(key=lambda p: (p.file != hosts_file, p.line))
        n = len(problems)
        raise InvalidInput(f"{n} problem{'s' if n != 1 else ''} in the residency files", problems=problems)
    return out


def parse_pair_option(values: Iterable[str], option: str) -> list[Pair]:
    """The values of a command-line option such as ``--lock`` as pairs, or one
    :class:`InvalidInput` (``field`` the option's name) naming the option, every bad
    value and the expected form. English only: the web page takes pairs from separate
    form fields and never reads this text.

    >>> parse_pair_option(["a1:bdx:2"], "--lock")
    [Pair(applicant='a1', host='bdx', period='2')]
    >>> parse_pair_option(["a1", "a1:bdx", "a2::1"], "--lock")
    Traceback (most recent call last):
    ...
    graphsvc.errors.InvalidInput: bad values for --lock: 'a1', 'a2::1' (each must be APPLICANT:HOST or APPLICANT:HOST:PERIOD, with the ids of the files, for example a01:bordeaux or a01:bordeaux:2026-1)
    """
    pairs: list[Pair] = []
    bad: list[str] = []
    for v in values:
        try:
            pairs.append(Pair.parse(v))
        except ValueError:
            bad.append(v)
    if bad:
        shown = ", ".join(repr(v[:80]) for v in bad[:10]) + (", ..." if len(bad) > 10 else "")
        one = len(bad) == 1
        raise InvalidInput(
            f"bad value{'' if one else 's'} for {option}: {shown} ({'it' if one else 'each'} must be "
            "APPLICANT:HOST or APPLICANT:HOST:PERIOD, with the ids of the files, for example a01:bordeaux "
            "or a01:bordeaux:2026-1)", field=option.lstrip("-"))
    return pairs


# -- inputs as JSON and CSV (the web's working plan, downloads) --------------------------
def dump_inputs(inputs: Inputs) -> str:
    """Inputs as JSON (:func:`load_inputs` reads it back)."""
    return json.dumps({"hosts": [asdict(h) for h in inputs.hosts],
                       "applicants": [asdict(a) for a in inputs.applicants]}, ensure_ascii=False)


def load_inputs(text: str | None) -> Inputs:
    """Inputs from :func:`dump_inputs`'s JSON (empty inputs for None).

    >>> i = Inputs([Host("h", "H", "FRI", 1, ("1",), ("fr",))], [])
    >>> load_inputs(dump_inputs(i)) == i
    True
    """
    if not text:
        return Inputs()
    doc = json.loads(text)

    def tup(d: dict[str, Any]) -> dict[str, Any]:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}

    return Inputs([Host(**tup(h)) for h in doc.get("hosts", [])],
                  [Applicant(**tup(a)) for a in doc.get("applicants", [])])


def dump_plan(plan: Plan) -> str:
    """A plan as JSON (:func:`load_plan` reads it back)."""
    return json.dumps({
        "mode": plan.mode, "total": plan.total, "cross_border": plan.cross_border,
        "assignments": [{"applicant": a.applicant, "host": a.host, "period": a.period, "score": a.score,
                         "locked": a.locked, "why": [r.as_dict() for r in a.why]} for a in plan.assignments],
        "unmatched": [{"applicant": u.applicant, "reason": u.reason.as_dict()} for u in plan.unmatched],
    }, ensure_ascii=False)


def load_plan(text: str) -> Plan:
    """A plan from :func:`dump_plan`'s JSON.

    >>> p = Plan("stable", (Assignment("a", "h", "1", 0.5, True, (Reason("period", {"period": "1"}),)),),
    ...          (Unmatched("b", Reason("no_hosts")),), 0.5)
    >>> load_plan(dump_plan(p)) == p
    True
    """
    doc = json.loads(text)
    return Plan(
        doc["mode"],
        tuple(Assignment(a["applicant"], a["host"], a["period"], a["score"], a["locked"],
                         tuple(Reason(r["code"], r["params"]) for r in a["why"])) for a in doc["assignments"]),
        tuple(Unmatched(u["applicant"], Reason(u["reason"]["code"], u["reason"]["params"])) for u in doc["unmatched"]),
        doc["total"], doc.get("cross_border", True),
    )


def inputs_to_csv(inputs: Inputs) -> tuple[str, str]:
    """The hosts and applicants back as CSV files in the template's columns."""
    def cell(v: Any) -> str:
        return "|".join(v) if isinstance(v, tuple) else ("" if v is None else str(v))

    hosts = to_csv(HOST_COLUMNS, ([cell(getattr(h, c)) for c in HOST_COLUMNS] for h in inputs.hosts))
    apps = to_csv(APPLICANT_COLUMNS, ([cell(getattr(a, c)) for c in APPLICANT_COLUMNS] for a in inputs.applicants))
    return hosts, apps


# -- the plan as a table ---------------------------------------------------------------------
def plan_table(plan: Plan, inputs: Inputs, gettext: Gettext = plain_gettext, ngettext: Ngettext = plain_ngettext,
               locale: str = "en", territory: Callable[[str], str] | None = None) -> tuple[list[str], list[list[Any]]]:
    """The plan as a header and rows in ``locale``: one row per applicant, placed first.

    >>> from graphsvc.residency.solve import plan
    >>> i = Inputs([Host("bdx", "Université de Bordeaux", "FRI", 1, ("1",), ("fr", "en"))],
    ...            [Applicant("a1", "Ane", "ES21", ("eu", "en"), ("1",)), Applicant("a2", "Jon", "ES21", ("eu",), ("1",))])
    >>> header, rows = plan_table(plan(i.hosts, i.applicants), i)
    >>> header[:4], rows[0][:4], rows[1][-1]
    (['Applicant id', 'Applicant', 'Home territory', 'Home organisation'], ['a1', 'Ane', 'ES21', ''], 'no host in another territory works in Basque')
    """
    def terr(code: str) -> str:
        return territory(code) if territory else code

    header = [gettext("Applicant id"), gettext("Applicant"), gettext("Home territory"), gettext("Home organisation"),
              gettext("Host id"), gettext("Host"), gettext("Host territory"), gettext("Period"), gettext("Score"),
              gettext("Locked"), gettext("Why")]
    apps = {a.id: a for a in inputs.applicants}
    hosts = {h.id: h for h in inputs.hosts}
    rows: list[list[Any]] = []
    for x in plan.assignments:
        a, h = apps[x.applicant], hosts[x.host]
        rows.append([a.id, a.name, terr(a.territory), a.organisation or "", h.id, h.name, terr(h.territory), x.period,
                     f"{x.score:.3f}", gettext("yes") if x.locked else "",
                     "; ".join(render_why(x, gettext, ngettext, locale))])
    for u in plan.unmatched:
        a = apps[u.applicant]
        rows.append([a.id, a.name, terr(a.territory), a.organisation or "", "", "", "", "", "", "",
                     render_reason(u.reason, gettext, ngettext, locale)])
    return header, rows
