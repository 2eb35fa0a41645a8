"""Partner suggestions for the pages and the API, with their reasons in the reader's
language. The algorithms live in :mod:`graphsvc.suggest`; this module parses the
request, calls them, caches the result per graph version and renders the reasons with
:func:`graphsvc.reasons.render_reason` and the request's translations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_translations
from flask_babel import gettext as _

from graphsvc import suggest
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.projection import projection
from graphsvc.regions import TERRITORIES
from graphsvc.text import norm
from web import data
from web.core import graph
from web.ui import KINDS, SCOPES, arg_choice, arg_float, arg_int, arg_str, cached, strict_params

MAX_LIMIT = 50
MAX_TOPICS = 5


@dataclass(frozen=True)
class SuggestQuery:
    """A suggestion request: for an organisation (``org``) or a described need."""

    org: str | None = None
    topics: tuple[str, ...] = ()
    text: str | None = None
    scope: str = "euroregion"
    territory: str | None = None
    kind: str | None = None
    topic: str | None = None
    min_score: float = 0.0
    limit: int = 10
    topic_names: tuple[str, ...] = field(default=(), compare=False)

    @property
    def newcomer(self) -> bool:
        return self.org is None

    @property
    def empty(self) -> bool:
        return self.org is None and not self.topics and not self.text

    @classmethod
    def from_args(cls, args: Any, *, org: str | None = None, limit: int = 10) -> SuggestQuery:
        """Parse the request; ``org`` (already resolved to an id) wins over ``args``."""
        given = args.getlist("topics")
        if strict_params() and any(not t for t in given):
            raise InvalidInput(_("%(field)s must not be empty.", field="topics"), field="topics")
        if len(given) > MAX_TOPICS:
            raise InvalidInput(_("Give at most %(num)d topics.", num=MAX_TOPICS), field="topics")
        if any(len(t) > 200 for t in given):
            raise InvalidInput(_("%(field)s is too long (at most %(max)d characters).", field="topics", max=200),
                               field="topics")
        topics: list[str] = []
        names: list[str] = []
        for t in (t.strip() for t in given if t and t.strip()):
            found = data.resolve_topic(t, field="topics")  # a name: every topic of that name
            topics.extend(i for i in found.ids if i not in topics)
            if norm(found.name) not in {norm(n) for n in names}:
                names.append(found.name)
        topic_text = arg_str("topic", args=args, min_len=1)
        topic = data.resolve_topic(topic_text).ref if topic_text else None
        return cls(
            org=org,
            topics=tuple(topics),
            text=arg_str("text", args=args, max_len=500),
            scope=arg_choice("scope", SCOPES, "euroregion", args=args) or "euroregion",
            territory=arg_choice("territory", TERRITORIES, args=args),
            kind=arg_choice("kind", KINDS, args=args),
            topic=topic,
            min_score=arg_float("min_score", 0.0, lo=0.0, hi=1.0, args=args),
            limit=arg_int("limit", limit, lo=1, hi=MAX_LIMIT, args=args),
            topic_names=tuple(names),
        )


def run(sq: SuggestQuery) -> list[dict[str, Any]]:
    """The engine's suggestions (cached per graph version)."""

    def compute() -> list[dict[str, Any]]:
        found = suggest.suggest(
            graph(), sq.org, topics=list(sq.topics) or None, text=sq.text, scope=sq.scope,
            territory=sq.territory, kind=sq.kind, topic=sq.topic, min_score=sq.min_score, limit=sq.limit,
        )
        return [s.to_dict() if hasattr(s, "to_dict") else dict(s) for s in found]

    return cached(("suggest", sq), compute)


def combined_members(org_id: str | None) -> list[dict[str, Any]]:
    """The members whose networks an umbrella organisation's suggestions combine (id,
    name, projects), most active first; empty for an ordinary organisation, a newcomer
    or an organisation the engine cannot place (:func:`graphsvc.suggest.combined_members`)."""
    if not org_id:
        return []

    def compute() -> list[dict[str, Any]]:
        proj = projection(graph())
        try:
            row = suggest.resolve(proj, org_id)
        except (InvalidInput, NotFound):
            return []
        return [{"id": proj.ids[m], "name": proj.name[m], "projects": int(proj.project_count[m])}
                for m in suggest.combined_members(proj, row)]

    return cached(("combined_members", org_id), compute)


def render_reasons(reasons: list[dict[str, Any]], *, skip: tuple[str, ...] = ()) -> list[str]:
    """Reasons as sentences in the request's language."""
    from graphsvc.reasons import render_reason

    t = get_translations()
    return [render_reason(r, t.gettext, t.ngettext) for r in reasons if r.get("code") not in skip]


def for_page(sq: SuggestQuery) -> dict[str, Any]:
    """Suggestions shaped for the templates: reasons rendered (the introduction path
    apart, with links)."""
    found = run(sq)
    items = []
    for d in found:
        path = [{"id": i, "name": n} for i, n in zip(d.get("introduction_ids") or [], d.get("introduction") or [],
                                                      strict=False)]
        item = {**d, "reasons": render_reasons(d.get("reasons") or [], skip=("introduction_path",)),
                "paths": [path] if path else []}
        # An umbrella's path starts at one of its members: which one, for the page.
        for r in d.get("reasons") or []:
            if r.get("code") == "introduction_path" and r.get("member_id"):
                item["introduction_member"] = {"id": r["member_id"], "name": r.get("member")}
        items.append(item)
    return {"found": items}


def for_org_page(org_id: str, *, limit: int) -> dict[str, Any]:
    try:
        return for_page(SuggestQuery(org=org_id, limit=limit))
    except (InvalidInput, NotFound):
        # An organisation the suggestion engine cannot place: nothing to suggest from.
        return {"found": []}


def for_api(sq: SuggestQuery) -> list[dict[str, Any]]:
    """Suggestions for the JSON API: ``reasons`` rendered in the request's language,
    ``reason_data`` structured (language-neutral)."""
    found = run(sq)
    out = []
    for d in found:
        out.append({
            "id": d["id"], "pic": d.get("pic"), "name": d.get("name"), "territory": d.get("territory"),
            "country": d.get("country"), "kind": d.get("kind"), "score": float(d.get("score") or 0.0),
            "parts": {k: float(v) for k, v in (d.get("parts") or {}).items()},
            "reasons": render_reasons(d.get("reasons") or []),
            "reason_data": d.get("reasons") or [],
            "introduction": [{"id": i, "name": n} for i, n in zip(d.get("introduction_ids") or [],
                                                                   d.get("introduction") or [], strict=False)],
        })
    return out
