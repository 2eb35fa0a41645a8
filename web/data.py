"""What the pages and the JSON API read from the graph, parsed from the request and
cached per graph version (:mod:`web.ui`). Views only choose a template or JSON."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from graphsvc.errors import InvalidInput, NotFound
from graphsvc.projection import topic_index
from graphsvc.regions import TERRITORIES
from graphsvc.text import strip_accents
from graphsvc.topics import TopicMatch
from web.core import graph
from web.ui import (
    KINDS,
    TERRITORY_FILTERS,
    arg_bool,
    arg_choice,
    arg_int,
    arg_str,
    cached,
    page_count,
    plain,
    strict_params,
)

SORTS = ("relevance", "name", "projects", "capacities", "territory")
NUTS3 = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12
PROJECTS_LISTED = 100  # on an organisation's page, the most recent ones


# -- search text ------------------------------------------------------------------------
def fold(text: str) -> str:
    """Lower case without accents, as ``name_key`` is stored.

    >>> fold("País Vasco / Université")
    'pais vasco / universite'
    """
    return strip_accents(text).lower()


def words(text: str) -> list[str]:
    """The searchable words of a query, lower case (Lucene's operators are upper case, and
    every character Lucene treats specially is dropped here).

    >>> words('Univ* "País" OR (vasco) AND -x:y')
    ['univ', 'país', 'or', 'vasco', 'and', 'x', 'y']
    """
    return [w.lower() for w in _WORD.findall(text)][:MAX_WORDS]


def lucene(ws: list[str]) -> str | None:
    """A Lucene query: every word, exact or as a prefix.

    >>> lucene(["upv", "ehu"])
    '(upv OR upv*) AND (ehu OR ehu*)'
    >>> lucene([]) is None
    True
    """
    if not ws:
        return None
    return " AND ".join(f"({w} OR {w}*)" for w in ws)


# -- the directory ----------------------------------------------------------------------
@dataclass(frozen=True)
class DirectoryQuery:
    q: str | None = None
    territory: str = "euroregion"
    nuts3: str | None = None
    kind: str | None = None
    topic: str | None = None
    has_capacities: bool = False
    sort: str = "name"
    page: int = 1
    per_page: int = 25

    @classmethod
    def from_args(cls, args: Any = None, *, default_territory: str = "euroregion") -> DirectoryQuery:
        q = arg_str("q", args=args)
        territory = arg_choice("territory", TERRITORY_FILTERS, default_territory, args=args) or default_territory
        nuts3 = arg_str("nuts3", args=args, max_len=5)
        if nuts3:
            nuts3 = nuts3.upper()
            if not NUTS3.match(nuts3):
                raise InvalidInput(_("nuts3 must be a NUTS-3 code such as ES213 or FRI15."), field="nuts3")
        kind = arg_choice("kind", KINDS, args=args)
        topic_text = arg_str("topic", args=args, min_len=1)
        topic = resolve_topic(topic_text).ref if topic_text else None
        has_caps = arg_bool("has_capacities", args=args)
        sort = arg_choice("sort", SORTS, "relevance" if q else "name", args=args) or "name"
        if sort == "relevance" and not q:
            sort = "name"
        page = arg_int("page", 1, lo=1, hi=100000, args=args)
        per_page = arg_int("per_page", 25, lo=1, hi=100, args=args)
        return cls(q, territory, nuts3, kind, topic, has_caps, sort, page, per_page)

    def params(self, **changes: Any) -> dict[str, Any]:
        """The query-string arguments of this query (for links: paging, sorting, CSV)."""
        d = {**asdict(self), **changes}
        out = {k: v for k, v in d.items() if v not in (None, "", False)}
        if out.get("territory") == "euroregion":
            out.pop("territory")
        if out.get("page") == 1:
            out.pop("page")
        if out.get("per_page") == 25:
            out.pop("per_page")
        if out.get("has_capacities") is True:
            out["has_capacities"] = "1"
        return out


def _territory_filter(territory: str) -> tuple[list[str] | None, bool]:
    if territory == "euroregion":
        return list(TERRITORIES), False
    if territory in TERRITORIES:
        return [territory], False
    if territory == "outside":
        return None, True
    return None, False


def directory(dq: DirectoryQuery, *, limit_override: int | None = None) -> dict[str, Any]:
    """One page of the directory: ``{total, pages, rows}``."""
    limit = limit_override or dq.per_page
    skip = 0 if limit_override else (dq.page - 1) * dq.per_page

    def run() -> dict[str, Any]:
        codes, outside = _territory_filter(dq.territory)
        topics = list(resolve_topic(dq.topic).ids) if dq.topic else None
        common = {"codes": codes, "outside": outside, "nuts3": dq.nuts3, "kind": dq.kind,
                  "topics": topics, "has_capacities": dq.has_capacities, "sort": dq.sort,
                  "skip": skip, "limit": limit}
        if dq.q:
            ws = words(dq.q)
            query = lucene(ws)
            if query is None:
                return {"total": 0, "rows": []}
            row = graph().read_one("web/directory_search", lucene=query, **common)
            if not row or row["total"] == 0:
                # Accents: the full-text index keeps them, people often do not type them.
                row = graph().read_one("web/directory_search_key", keys=[fold(w) for w in ws], **common)
        else:
            row = graph().read_one("web/directory_list", **common)
        row = row or {"total": 0, "rows": []}
        return {"total": row["total"], "rows": row["rows"]}

    out = cached(("directory", dq, limit, skip), run)
    return {**out, "pages": page_count(out["total"], dq.per_page)}


def resolve_topic(text: str, field: str = "topic") -> TopicMatch:
    """The topics ``text`` names: an id, or a name meaning every topic of that name
    (:mod:`graphsvc.topics`, the rule of the partner finder and the maps). Unknown: 400
    naming the field on pages (a typo in a form), 404 in the API (a well-formed
    reference to nothing)."""
    # cached with the graph's version like every read here (topic_index alone would ask
    # Neo4j for the stamp on each call, and a request resolves a topic more than once)
    found = cached(("topic_resolve", text), lambda: topic_index(graph()).find(text))
    if found is None:
        message = _("There is no topic called “%(topic)s”.", topic=text)
        if strict_params():
            raise NotFound(message)
        raise InvalidInput(message, field=field)
    return found


def topic_choices(limit: int = 300) -> list[dict[str, Any]]:
    return cached(("topic_choices", limit), lambda: graph().read("web/topic_choices", limit=limit))


def topic_datalist(element_id: str = "topic-choices") -> Markup:
    """The ``<datalist>`` of the most used topics, rendered once per graph version (topic
    names are data, the same in every language)."""

    def render() -> Markup:
        # Topics of several kinds share names (a euroSciVoc field and a keyword): one
        # option per name, since the name is what the field sends.
        seen: set[str] = set()
        options = []
        for t in topic_choices():
            key = fold(t["name"] or "")
            if key and key not in seen:
                seen.add(key)
                options.append(f'<option value="{escape(t["name"])}"></option>')
        return Markup(f'<datalist id="{escape(element_id)}">{"".join(options)}</datalist>')

    return cached(("topic_datalist", element_id), render)


def nuts3_regions() -> list[dict[str, Any]]:
    return cached("nuts3", lambda: graph().read("web/nuts3_regions", territories=list(TERRITORIES)))


# -- one organisation ---------------------------------------------------------------------
def resolve_org_id(key: str) -> str:
    """An organisation id from an id or a PIC (``999990001`` or ``pic:999990001``)."""
    key = key.strip()
    if key.isdigit():
        row = cached(("org_by_pic", key), lambda: graph().read_one("web/org_by_pic", pic=key))
        if row:
            return str(row["id"])
    return key


def organisation(org_id: str) -> dict[str, Any]:
    """Everything the organisation page shows except suggestions (NotFound if unknown)."""

    def run() -> dict[str, Any] | None:
        row = graph().read_one("web/org_page", id=org_id, limit=PROJECTS_LISTED, per_group=12)
        if row is None:
            return None
        row = plain(row)
        order = {t: i for i, t in enumerate((*TERRITORIES, "other"))}
        row["partner_groups"].sort(key=lambda g: order.get(g["grp"], 99))
        row["timeline"] = timeline(row["project_list"])
        return row

    data = cached(("org", org_id), run)
    if data is None:
        raise NotFound(_("There is no organisation with the id “%(id)s”.", id=org_id))
    return data


def timeline(projects: list[dict[str, Any]]) -> dict[str, Any]:
    """Projects grouped by start year, newest first, and the span of years.

    >>> t = timeline([{"start_year": 2021}, {"start_year": 2023}, {"start_year": 2023}, {"start_year": None}])
    >>> [(y, len(ps)) for y, ps in t["years"]], t["first"], t["last"], t["max"]
    ([(2023, 2), (2021, 1), (None, 1)], 2021, 2023, 2)
    >>> t["span"]
    [(2021, 1), (2022, 0), (2023, 2)]
    """
    years: dict[int | None, list[dict[str, Any]]] = {}
    for p in projects:
        years.setdefault(p.get("start_year"), []).append(p)
    known = sorted((y for y in years if y is not None), reverse=True)
    ordered = [(y, years[y]) for y in known]
    if None in years:
        ordered.append((None, years[None]))
    span = list(range(min(known), max(known) + 1)) if known else []
    return {
        "years": ordered,
        "span": [(y, len(years.get(y, []))) for y in span],
        "first": min(known) if known else None,
        "last": max(known) if known else None,
        "max": max((len(v) for v in years.values()), default=0),
    }


def project(project_id: str) -> dict[str, Any]:
    row = cached(("project", project_id), lambda: plain(graph().read_one("web/project_get", id=project_id)))
    if row is None:
        raise NotFound(_("There is no project with the id “%(id)s”.", id=project_id))
    return row


def topic(topic_id: str) -> dict[str, Any]:
    row = cached(("topic", topic_id), lambda: plain(graph().read_one("web/topic_get", id=topic_id, limit=100)))
    if row is None:
        raise NotFound(_("There is no topic with the id “%(id)s”.", id=topic_id))
    return row
