"""The JSON API under ``/api/v1``, described by the OpenAPI 3 document at
``/api/v1/openapi.json``.

Each route declares its query parameters once (:class:`Q`); the same declaration
validates the request (a bad or unknown parameter gives 400 JSON naming the field) and
writes the document, so the two cannot drift apart. Responses are language-neutral
except the human-readable ``reasons`` of suggestions, which follow the request's
language (``Accept-Language``, or ``?lang=``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from flask_babel import gettext as _

from graphsvc import __version__, analytics
from graphsvc.errors import InvalidInput
from graphsvc.regions import TERRITORIES
from graphsvc.stats import graph_stats
from web import data, suggestions
from web.auth import current_principal
from web.core import current_lang, graph
from web.ui import KINDS, SCOPES, TERRITORY_FILTERS, cached, jsonable

bp = Blueprint("api", __name__, url_prefix="/api/v1")
ALWAYS_ALLOWED = {"lang"}  # the language switch is accepted everywhere


@bp.before_request
def _strict() -> None:
    g.strict_params = True


# -- declarations -------------------------------------------------------------------------
@dataclass(frozen=True)
class Q:
    """One query parameter: its JSON schema and description."""

    name: str
    schema: dict[str, Any]
    description: str
    required: bool = False

    def doc(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "in": "query", "required": self.required,
                             "description": self.description, "schema": self.schema}
        if self.schema.get("type") == "array":
            d["style"] = "form"
            d["explode"] = True
        return d


@dataclass
class Operation:
    path: str  # OpenAPI form: /organisations/{id}
    summary: str
    tag: str
    response: dict[str, Any]
    params: tuple[Q, ...] = ()
    path_params: tuple[tuple[str, str], ...] = ()
    statuses: tuple[int, ...] = (400,)
    description: str = ""
    operation_id: str = ""
    extra_headers: dict[str, Any] = field(default_factory=dict)


OPERATIONS: list[Operation] = []


def _s(type_: str, **kw: Any) -> dict[str, Any]:
    return {"type": type_, **kw}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


STR = _s("string")
NSTR = nullable(STR)
INT = _s("integer")
NUM = _s("number")
NNUM = nullable(NUM)
NINT = nullable(INT)
BOOL = _s("boolean")
NBOOL = nullable(BOOL)


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def arr(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def obj(props: dict[str, Any], required: tuple[str, ...] = (), **kw: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"type": "object", "properties": props, **kw}
    if required:
        d["required"] = list(required)
    return d


# Parameters shared by several routes.
P_TERRITORY = Q("territory", _s("string", enum=list(TERRITORIES)), "A territory of the Euroregion.")
P_KIND = Q("kind", _s("string", enum=list(KINDS)), "Kind of organisation.")
P_LIMIT = Q("limit", _s("integer", minimum=1, maximum=200, default=50), "At most this many items.")
P_TOPIC = Q("topic", _s("string", minLength=1, maxLength=200),
            "A topic id (esv:..., kw:..., ccs:...): that topic; or a name (case and accents aside): "
            "every topic of that name.")
DIRECTORY_PARAMS = (
    Q("q", _s("string", maxLength=200), "Search text: words of the name, short name or city (prefixes match)."),
    Q("territory", _s("string", enum=list(TERRITORY_FILTERS), default="euroregion"),
      "euroregion (the three territories), ES21, ES22, FRI, outside (the rest of the world) or all."),
    Q("nuts3", _s("string", pattern="^[A-Za-z]{2}[A-Za-z0-9]{3}$"), "A NUTS-3 code such as ES213."),
    P_KIND,
    P_TOPIC,
    Q("has_capacities", BOOL, "Only organisations that offer capacities."),
    Q("sort", _s("string", enum=list(data.SORTS)), "relevance (default with q), name (default), projects, "
      "capacities or territory."),
    Q("page", _s("integer", minimum=1, maximum=100000, default=1), "Page number, from 1."),
    Q("per_page", _s("integer", minimum=1, maximum=100, default=25), "Items per page."),
)
FILTER_PARAMS = (
    Q("scope", _s("string", enum=list(SCOPES), default="euroregion"),
      "euroregion: another territory of the Euroregion; abroad: another country; any: anywhere."),
    P_TERRITORY,
    P_KIND,
    P_TOPIC,
    Q("min_score", _s("number", minimum=0, maximum=1, default=0), "Drop candidates scoring below this."),
    Q("limit", _s("integer", minimum=1, maximum=suggestions.MAX_LIMIT, default=10), "At most this many suggestions."),
)
NEED_PARAMS = (
    Q("topics", {"type": "array", "items": _s("string", minLength=1, maxLength=200), "maxItems": 5},
      "Topics of the need (ids, or names meaning every topic of that name; repeat the parameter)."),
    Q("text", _s("string", maxLength=500), "The need in a few words."),
    *FILTER_PARAMS,
)


# -- validation ----------------------------------------------------------------------------
def check_unknown(params: tuple[Q, ...]) -> None:
    known = {p.name for p in params} | ALWAYS_ALLOWED
    for name in request.args:
        if name not in known:
            raise InvalidInput(_("%(field)s is not a parameter of this address.", field=name), field=name)


def check_params(params: tuple[Q, ...]) -> dict[str, Any]:
    """Validate the query string against the declarations; return the typed values."""
    from web.ui import arg_bool, arg_choice, arg_float, arg_int, arg_str

    check_unknown(params)
    out: dict[str, Any] = {}
    for p in params:
        s = p.schema
        t = s.get("type")
        if t == "array":
            continue  # read by the route itself (repeated parameter)
        if t == "integer":
            out[p.name] = arg_int(p.name, s.get("default", 0), lo=s.get("minimum", -(2**31)), hi=s.get("maximum", 2**31))
        elif t == "number":
            out[p.name] = arg_float(p.name, float(s.get("default", 0)), lo=s.get("minimum", -1e12),
                                    hi=s.get("maximum", 1e12))
        elif t == "boolean":
            out[p.name] = arg_bool(p.name)
        elif "enum" in s:
            out[p.name] = arg_choice(p.name, s["enum"], s.get("default"))
        else:
            out[p.name] = arg_str(p.name, max_len=s.get("maxLength", 200))
        if p.required and out[p.name] is None:
            raise InvalidInput(_("%(field)s is required.", field=p.name), field=p.name)
    return out


def operation(rule: str, op: Operation) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    OPERATIONS.append(op)

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        op.operation_id = op.operation_id or fn.__name__

        @wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **kwargs)

        bp.add_url_rule(rule, fn.__name__, wrapped, methods=["GET"])
        return wrapped

    return deco


# -- schemas -----------------------------------------------------------------------------------
ORG_FIELDS = {
    "id": STR, "pic": NSTR, "name": NSTR, "short_name": NSTR, "kind": NSTR, "city": NSTR,
    "country": NSTR, "nuts3": NSTR, "territory": NSTR,
}
SCHEMAS: dict[str, Any] = {
    "Error": obj({"error": obj({"status": INT, "title": STR, "message": STR, "field": STR},
                               ("status", "title", "message"))}, ("error",)),
    "OrganisationRef": obj({"id": STR, "name": NSTR}, ("id",)),
    "OrganisationSummary": obj({**ORG_FIELDS, "projects": INT, "capacities": INT, "score": NNUM},
                               ("id", "name", "projects", "capacities")),
    "OrganisationPage": obj({"total": INT, "page": INT, "per_page": INT, "pages": INT,
                             "items": arr(ref("OrganisationSummary"))},
                            ("total", "page", "per_page", "pages", "items")),
    "Topic": obj({"id": STR, "name": NSTR}, ("id",)),
    "Capacity": obj({"id": STR, "kind": NSTR, "title": NSTR, "description": NSTR, "topics": arr(ref("Topic"))},
                    ("id", "topics")),
    "Need": obj({"id": STR, "name": NSTR, "note": NSTR}, ("id",)),
    "ProjectRef": obj({"id": STR, "acronym": NSTR, "title": NSTR, "programme": NSTR, "start": NSTR, "end": NSTR,
                       "start_year": NINT, "cross_border": BOOL, "role": NSTR, "contribution": NNUM}, ("id",)),
    "PartnerGroup": obj({"group": STR, "count": INT,
                         "top": arr(obj({**ORG_FIELDS, "shared_projects": INT}, ("id", "shared_projects")))},
                        ("group", "count", "top")),
    "Region": nullable(obj({"code": STR, "name": NSTR, "level": NINT, "country": NSTR, "territory": NSTR},
                           ("code",))),
    "Organisation": obj({
        "organisation": obj({**ORG_FIELDS, "lat": NNUM, "lon": NNUM, "url": NSTR, "sme": NBOOL,
                             "sources": nullable(arr(STR)),
                             "kind_source": NSTR},  # "name": the kind was guessed from the name
                            ("id",), additionalProperties=True),
        "region": ref("Region"),
        "counts": obj({"projects": INT, "capacities": INT}, ("projects", "capacities")),
        "capacities": arr(ref("Capacity")),
        "needs": arr(ref("Need")),
        "projects": arr(ref("ProjectRef")),
        "partners_by_territory": arr(ref("PartnerGroup")),
        "memberships": arr(obj({"id": STR, "name": NSTR, "role": NSTR, "kind": NSTR}, ("id",))),
    }, ("organisation", "region", "counts", "capacities", "needs", "projects", "partners_by_territory")),
    "Participant": obj({**ORG_FIELDS, "role": NSTR, "contribution": NNUM}, ("id",)),
    "Project": obj({
        "project": obj({"id": STR, "acronym": NSTR, "title": NSTR, "programme": NSTR, "start": NSTR, "end": NSTR,
                        "start_year": NINT, "status": NSTR, "total_cost": NNUM, "ec_contribution": NNUM,
                        "cross_border": NBOOL, "keywords": nullable(arr(STR))}, ("id",),
                       additionalProperties=True),
        "participants": arr(ref("Participant")),
        "topics": arr(obj({"id": STR, "name": NSTR, "kind": NSTR}, ("id",))),
    }, ("project", "participants", "topics")),
    "TopicHit": obj({"id": STR, "name": NSTR, "kind": NSTR, "score": NUM}, ("id",)),
    "Suggestion": obj({
        **{k: v for k, v in ORG_FIELDS.items() if k in ("id", "pic", "name", "territory", "country", "kind")},
        "score": NUM,
        "parts": obj({}, additionalProperties=NUM),
        "reasons": {**arr(STR), "description": "Human-readable, in the request's language (Accept-Language)."},
        "reason_data": {**arr(obj({"code": STR}, ("code",), additionalProperties=True)),
                        "description": "The same reasons as data (codes in graphsvc/reasons.py)."},
        "introduction": {**arr(ref("OrganisationRef")),
                         "description": "Who could introduce you: intermediaries on a shortest path, in order."},
    }, ("id", "name", "score", "parts", "reasons", "reason_data", "introduction")),
    "Suggestions": obj({
        "organisation": obj({"id": STR, "name": NSTR, "combined_members": {
            **arr(ref("OrganisationRef")),
            "description": "Only for an organisation with no project of its own whose members have some: "
                           "the members whose networks these suggestions combine."}}, ("id",), nullable=True),
        "query": obj({}, additionalProperties=True),
        "items": arr(ref("Suggestion")),
    }, ("organisation", "query", "items")),
    "Community": obj({"community": INT, "size": INT, "es21": INT, "es22": INT, "fri": INT,
                      "top": arr(obj({**{k: ORG_FIELDS[k] for k in ("id", "name", "kind", "territory", "country")},
                                      "pagerank": NNUM}, ("id",)))},
                     ("community", "size", "es21", "es22", "fri", "top")),
    "Broker": obj({**{k: ORG_FIELDS[k] for k in ("id", "pic", "name", "kind", "territory", "country")},
                   "broker_score": NUM, "territories_reached": nullable(arr(STR)), "degree": NNUM,
                   "betweenness": NNUM, "pagerank": NNUM, "community": NINT}, ("id", "broker_score")),
    "GapOrganisation": obj({"id": STR, "name": NSTR, "territory": NSTR, "example": BOOL}, ("id",),
                           description="`example`: the need or offer is curated example data only."),
    "Gap": obj({"territory": STR, "topic": STR, "topic_name": NSTR, "needed_by": arr(ref("GapOrganisation")),
                "offered_by": arr(ref("GapOrganisation")), "offered_in": arr(STR), "example": BOOL},
               ("territory", "topic", "needed_by", "offered_by"),
               description="`example`: every need or every offer behind the gap is curated example data."),
    "Kpi": obj({"key": STR, "label": STR, "target": NUM, "timeframe": NSTR, "source": NSTR, "actual": NUM,
                "examples": NINT, "progress": NNUM}, ("key", "target", "actual"),
               description="`label` and `source` are in English (language-neutral API); the dashboard "
                           "shows them translated. `actual` counts everything, `examples` how many of those "
                           "are curated examples; `progress` counts the real ones only, capped at 1."),
    "Stats": obj({"labels": obj({}, additionalProperties=INT), "relationships": obj({}, additionalProperties=INT),
                  "organisations": obj({"total": INT}, ("total",), additionalProperties=True),
                  "projects": obj({"total": INT}, ("total",), additionalProperties=True),
                  "version": INT}, ("labels", "relationships", "organisations", "projects"),
                 additionalProperties=True),
}


# -- routes ------------------------------------------------------------------------------------
def _summary(o: dict[str, Any]) -> dict[str, Any]:
    return {k: o.get(k) for k in (*ORG_FIELDS, "projects", "capacities", "score")}


@operation("/organisations", Operation(
    "/organisations", "List and search organisations", "organisations", ref("OrganisationPage"),
    params=DIRECTORY_PARAMS,
    description="The directory: full-text search over names, short names and cities, filters, sorting and "
                "paging. Without territory, only the three territories of the Euroregion are listed.",
))
def organisations() -> Any:
    check_unknown(DIRECTORY_PARAMS)
    dq = data.DirectoryQuery.from_args(request.args)
    result = data.directory(dq)
    return jsonify({"total": result["total"], "page": dq.page, "per_page": dq.per_page, "pages": result["pages"],
                    "items": [_summary(o) for o in result["rows"]]})


@operation("/organisations/<org_id>", Operation(
    "/organisations/{id}", "One organisation", "organisations", ref("Organisation"),
    path_params=(("id", "The organisation's id (pic:..., eus:..., ...) or its PIC."),), statuses=(400, 404),
))
def organisation(org_id: str) -> Any:
    check_unknown(())
    org = data.organisation(data.resolve_org_id(org_id))
    o = org["org"]
    out = {
        "organisation": {k: v for k, v in o.items() if k not in ("name_key",)},
        "region": org.get("region"),
        "counts": {"projects": org["projects"], "capacities": org["capacities"]},
        "capacities": org["capacity_list"],
        "needs": org["needs"],
        "projects": org["project_list"],
        "partners_by_territory": [
            {"group": g["grp"], "count": g["n"],
             "top": [{**{k: q.get(k) for k in ORG_FIELDS}, "shared_projects": q["shared"]} for q in g["top"]]}
            for g in org["partner_groups"]
        ],
        "memberships": [{k: m.get(k) for k in ("id", "name", "role", "kind")} for m in org.get("memberships") or []],
    }
    return jsonify(jsonable(out))


@operation("/projects/<path:project_id>", Operation(
    "/projects/{id}", "One project with its participants and topics", "projects", ref("Project"),
    path_params=(("id", "The project's id (he:<grant>, h2020:<grant>)."),), statuses=(400, 404),
))
def project(project_id: str) -> Any:
    check_unknown(())
    row = data.project(project_id)
    return jsonify(jsonable({"project": row["project"], "participants": row["participants"], "topics": row["topics"]}))


TOPIC_PARAMS = (Q("q", _s("string", minLength=1, maxLength=200), "Words of the topic's name.", required=True),
                Q("limit", _s("integer", minimum=1, maximum=100, default=20), "At most this many topics."))


@operation("/topics", Operation(
    "/topics", "Search topics by name", "topics", arr(ref("TopicHit")), params=TOPIC_PARAMS,
))
def topics() -> Any:
    values = check_params(TOPIC_PARAMS)
    query = data.lucene(data.words(values["q"]))
    if query is None:
        return jsonify([])
    rows = cached(("api_topics", query, values["limit"]),
                  lambda: graph().read("web/topic_search", lucene=query, limit=values["limit"]))
    return jsonify(jsonable(rows))


SUGGESTION_TEXT = (
    "Candidates are, by default, in another territory of the Euroregion and not partners yet. `reasons` are "
    "sentences in the request's language (Accept-Language); everything else is language-neutral."
)


@operation("/organisations/<org_id>/suggestions", Operation(
    "/organisations/{id}/suggestions", "Suggested partners for an organisation, with their reasons",
    "suggestions", ref("Suggestions"), params=FILTER_PARAMS, statuses=(400, 404),
    path_params=(("id", "The organisation's id or PIC."),), description=SUGGESTION_TEXT,
))
def organisation_suggestions(org_id: str) -> Any:
    check_unknown(FILTER_PARAMS)
    real = data.resolve_org_id(org_id)
    o = data.organisation(real)["org"]
    sq = suggestions.SuggestQuery.from_args(request.args, org=real)
    ref_: dict[str, Any] = {"id": o["id"], "name": o.get("name")}
    members = suggestions.combined_members(real)
    if members:  # an umbrella: its suggestions combine these members' networks
        ref_["combined_members"] = [{"id": m["id"], "name": m["name"]} for m in members]
    return _suggestions_response(ref_, sq)


@operation("/suggestions", Operation(
    "/suggestions", "Suggested partners for a described need (newcomers)", "suggestions", ref("Suggestions"),
    params=NEED_PARAMS, statuses=(400, 404),
    description="Describe the need with topics and/or text; with neither, or with words that match nothing, "
                "the list is empty. " + SUGGESTION_TEXT,
))
def need_suggestions() -> Any:
    check_unknown(NEED_PARAMS)
    sq = suggestions.SuggestQuery.from_args(request.args)
    return _suggestions_response(None, sq)


def _suggestions_response(org_ref: dict[str, Any] | None, sq: suggestions.SuggestQuery) -> Any:
    items: list[dict[str, Any]] = []
    if not sq.empty:
        try:
            items = suggestions.for_api(sq)
        except InvalidInput as exc:
            # A need whose words match nothing the engine knows: nothing to suggest.
            if sq.org is not None or exc.field not in (None, "org"):
                raise
            items = []
    query = {"org": sq.org, "topics": list(sq.topics), "text": sq.text, "scope": sq.scope,
             "territory": sq.territory, "kind": sq.kind, "topic": sq.topic, "min_score": sq.min_score,
             "limit": sq.limit}
    resp = jsonify(jsonable({"organisation": org_ref, "query": query, "items": items}))
    resp.headers["Content-Language"] = current_lang()
    return resp


# -- analytics and stats: the engines' own output, passed through as plain data --------------
def _analytics(fn_name: str, **kwargs: Any) -> Any:
    key = ("api_analytics", fn_name, tuple(sorted(kwargs.items())))
    return cached(key, lambda: jsonable(getattr(analytics, fn_name)(graph(), **kwargs)))


COMMUNITY_PARAMS = (Q("limit", _s("integer", minimum=1, maximum=200, default=50), "At most this many communities."),
                    Q("top", _s("integer", minimum=1, maximum=20, default=5), "Members listed per community."))
BROKER_PARAMS = (Q("limit", _s("integer", minimum=1, maximum=500, default=20), "At most this many brokers."),
                 P_TERRITORY)
GAP_PARAMS = (P_TERRITORY,
              Q("include_projects", BOOL, "Count the topics of an organisation's projects as offered too."))


@operation("/analytics/communities", Operation(
    "/analytics/communities", "Communities of the co-participation network, largest first", "analytics",
    arr(ref("Community")), params=COMMUNITY_PARAMS,
    description="Written by `lotura analyse` (Louvain, fixed seed); empty until it has run.",
))
def analytics_communities() -> Any:
    v = check_params(COMMUNITY_PARAMS)
    return jsonify(_analytics("communities", limit=v["limit"], top=v["top"]))


@operation("/analytics/brokers", Operation(
    "/analytics/brokers", "Cross-border brokers, highest broker score first", "analytics", arr(ref("Broker")),
    params=BROKER_PARAMS, description="Written by `lotura analyse`; empty until it has run.",
))
def analytics_brokers() -> Any:
    v = check_params(BROKER_PARAMS)
    return jsonify(_analytics("brokers", limit=v["limit"], territory=v["territory"]))


@operation("/analytics/gaps", Operation(
    "/analytics/gaps", "Skills gaps: topics needed in a territory and offered only across the border",
    "analytics", arr(ref("Gap")), params=GAP_PARAMS,
))
def analytics_gaps() -> Any:
    v = check_params(GAP_PARAMS)
    rows = _analytics("skills_gaps", include_projects=v["include_projects"])
    return jsonify([r for r in rows if v["territory"] is None or r["territory"] == v["territory"]])


@operation("/analytics/kpis", Operation(
    "/analytics/kpis", "The partnership's indicators: targets and current values", "analytics", arr(ref("Kpi")),
))
def kpis() -> Any:
    check_unknown(())
    return jsonify(_analytics("kpis"))


#: Labels whose counts say how many accounts and API tokens exist: for admins only.
ACCOUNT_LABELS = ("User", "ApiToken")


@operation("/stats", Operation(
    "/stats", "Counts of everything in the graph", "stats", ref("Stats"),
    description="The counts of User and ApiToken nodes are shown to admins only (a session or a bearer token "
                "of an admin).",
))
def stats() -> Any:
    check_unknown(())
    counts = cached("api_stats", lambda: jsonable(graph_stats(graph())))
    principal = current_principal()
    if principal is None or not principal.is_admin:
        counts = {**counts, "labels": {k: v for k, v in counts["labels"].items() if k not in ACCOUNT_LABELS}}
    return jsonify(counts)


# -- the document ------------------------------------------------------------------------------
ERROR_TEXT = {
    400: "A parameter is missing or invalid; `error.field` names it.",
    401: "The bearer token sent is not valid (malformed, unknown or revoked), or, with LOTURA_PUBLIC=0, "
         "the request has neither a session nor a bearer token.",
    404: "No such id.",
    405: "Method not allowed.",
    429: "Too many requests.",
    503: "Neo4j is unavailable.",
}


def openapi() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    error = {"application/json": {"schema": ref("Error")}}
    for op in OPERATIONS:
        params = [p.doc() for p in op.params]
        params += [{"name": n, "in": "path", "required": True, "description": d,
                    "schema": _s("string", minLength=1)} for n, d in op.path_params]
        responses: dict[str, Any] = {"200": {"description": "OK", "content": {"application/json": {"schema": op.response}}}}
        for status in sorted({*op.statuses, 400, 401, 404, 429, 503}):
            responses[str(status)] = {"description": ERROR_TEXT[status], "content": error}
        get: dict[str, Any] = {"summary": op.summary, "operationId": op.operation_id, "tags": [op.tag],
                               "parameters": params, "responses": responses}
        if op.description:
            get["description"] = op.description
        paths[op.path] = {"get": get}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Lotura API",
            "version": __version__,
            "description": "Read-only JSON API of Lotura, the graph explorer of the innovation ecosystem of the "
                           "Basque Country (ES21), Navarre (ES22) and Nouvelle-Aquitaine (FRI). Errors are JSON "
                           "`{error: {status, title, message, field}}`.",
        },
        "servers": [{"url": "/api/v1"}],
        # Optional on a public site, needed on a private one (LOTURA_PUBLIC=0).
        "security": [{}, {"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "An API token (`lotura token issue USER`, or /admin/tokens): reads as its user. "
                               "A token that is not valid gets 401, never an anonymous answer.",
            }},
        },
    }


@bp.get("/openapi.json")
def openapi_json() -> Response:
    check_unknown(())
    return jsonify(openapi())
