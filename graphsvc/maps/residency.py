"""Residency ties on a map: the residencies of saved plans (``docs/residency.md``) drawn
between the host organisation and the resident's home organisation.

A saved residency is a ``(:Residency)`` node with ``HOSTED_BY`` the host organisation and
``RESIDENT_FROM`` the applicant's home organisation (when each is in the graph). Residents
are people, whose names never reach the graph, so a tie joins two organisations: the one
that hosts and the one the resident comes from. A residency without either organisation
in the graph is not drawn.

:func:`fetch_overlay` reads them (``cypher/maps/residency_ties.cypher``);
:func:`group_ties` and :func:`overlay` are pure functions of plain data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphsvc.db import Graph
from graphsvc.maps.i18n import Translator
from graphsvc.maps.model import MapInputError, MapNotFound
from graphsvc.residency.model import ID_RE

__all__ = [
    "ALL_PLANS",
    "ResidencyOverlay",
    "fetch_overlay",
    "group_ties",
    "overlay",
    "parse_residencies",
    "tie_tooltip",
]

ALL_PLANS = "all"
_OFF = ("", "none", "off")
MAX_TOOLTIP_LINES = 8


def parse_residencies(text: str | None) -> str | None:
    """The residency overlay of a map: ``None`` (off), ``"all"`` (every saved plan) or
    one saved plan's id. ``none``/``off``/empty turn it off; ``all`` and ``*`` mean
    every plan.

    >>> parse_residencies(None), parse_residencies(" ALL "), parse_residencies("plan-1a2b3c")
    (None, 'all', 'plan-1a2b3c')
    >>> parse_residencies("a plan")
    Traceback (most recent call last):
    ...
    graphsvc.maps.model.MapInputError: 'a plan' is not a saved plan id: use all, or an id from lotura residency plans
    """
    value = (text or "").strip()
    if value.lower() in _OFF:
        return None
    if value.lower() in (ALL_PLANS, "*"):
        return ALL_PLANS
    if not ID_RE.fullmatch(value):
        raise MapInputError(f"{value[:80]!r} is not a saved plan id: use all, or an id from lotura residency plans",
                            field="residencies", code="plan_id", text=value[:80])
    return value


@dataclass
class ResidencyOverlay:
    """The residency ties to draw (from :func:`group_ties`) and the rows of the
    organisations at their ends (``cypher/maps/organisations_by_ids``), so that an
    organisation outside the selection can join the map for its tie."""

    plan: str
    ties: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)


def group_ties(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One tie per pair of organisations from rows of (``plan``, ``plan_name``,
    ``period``, ``host``, ``home``, ``residents``); each tie keeps its residencies by
    plan and period in ``items``, and their total in ``residents``.

    The rows are as ``cypher/maps/residency_ties.cypher`` returns them: host and home
    differ, ``plan_name`` and ``period`` are filled in, ``residents`` is at least 1.

    >>> ties = group_ties([
    ...     {"plan": "p1", "plan_name": "Spring", "period": "1", "host": "b", "home": "a", "residents": 2},
    ...     {"plan": "p2", "plan_name": "Autumn", "period": "2", "host": "a", "home": "b", "residents": 1},
    ...     {"plan": "p1", "plan_name": "Spring", "period": "1", "host": "c", "home": "a", "residents": 1}])
    >>> [(t["source"], t["target"], t["residents"], len(t["items"])) for t in ties]
    [('b', 'a', 3, 2), ('c', 'a', 1, 1)]
    """
    by_pair: dict[frozenset[str], dict[str, Any]] = {}
    for r in rows:
        host, home, n = r["host"], r["home"], r["residents"]
        tie = by_pair.setdefault(frozenset((host, home)),
                                 {"source": host, "target": home, "residents": 0, "items": []})
        tie["residents"] += n
        tie["items"].append({"plan": r["plan"], "name": r["plan_name"], "period": r["period"],
                             "host": host, "home": home, "residents": n})
    return list(by_pair.values())


def fetch_overlay(graph: Graph, plan: str, *, ties: bool = True) -> ResidencyOverlay:
    """The residency ties of one saved plan, or of every saved plan (``plan="all"``).

    Raises :class:`~graphsvc.errors.NotFound` for a plan id that is not a saved plan.
    With ``ties=False`` (a map that will draw none) only that check is made and the
    overlay is empty.
    """
    if plan != ALL_PLANS and not graph.read("maps/plan_get", plan=plan):
        raise MapNotFound(f"no saved residency plan {plan!r}", field="residencies", code="no_plan", plan=plan)
    if not ties:
        return ResidencyOverlay(plan)
    found = group_ties(graph.read("maps/residency_ties", plan=None if plan == ALL_PLANS else plan))
    ends = sorted({t["source"] for t in found} | {t["target"] for t in found})
    rows = {r["id"]: r for r in graph.read("maps/organisations_by_ids", ids=ends)} if ends else {}
    return ResidencyOverlay(plan, found, rows)


def overlay(G: nx.Graph, residency: ResidencyOverlay, fields: Iterable[str]) -> list[dict[str, Any]]:
    """Add to ``G`` (in place) the organisations that join the map only for a residency
    tie, and return the ties to draw: those with at least one end already on the map.

    >>> G = nx.Graph(); G.add_node("a", name="A")
    >>> ov = ResidencyOverlay("all", group_ties([
    ...     {"plan": "p", "plan_name": "P", "period": "1", "host": "a", "home": "b", "residents": 1},
    ...     {"plan": "p", "plan_name": "P", "period": "1", "host": "x", "home": "y", "residents": 1}]),
    ...     {"b": {"id": "b", "name": "B", "kind": "vet"}})
    >>> [(t["source"], t["target"]) for t in overlay(G, ov, ["name", "kind"])], G.nodes["b"]
    ([('a', 'b')], {'name': 'B', 'kind': 'vet', 'residency_only': True})
    """
    fields = tuple(fields)
    on_map = set(G.nodes)
    drawn = []
    for tie in residency.ties:
        a, b = tie["source"], tie["target"]
        if a not in on_map and b not in on_map:
            continue
        missing = [v for v in (a, b) if v not in G]
        if any(v not in residency.rows for v in missing):
            continue
        for v in missing:
            row = residency.rows[v]
            G.add_node(v, **{k: row.get(k) for k in fields}, residency_only=True)
        drawn.append(tie)
    return drawn


def tie_tooltip(tie: dict[str, Any], names: dict[str, str], tr: Translator) -> str:
    """The plain-text tooltip of a residency tie: the two organisations, then one line
    per plan and period (at most :data:`MAX_TOOLTIP_LINES`)."""
    _ = tr.gettext
    ngettext = tr.ngettext
    a, b = tie["source"], tie["target"]
    lines = [_("Residency tie"), f"{names.get(a, a)} — {names.get(b, b)}"]
    for item in tie["items"][:MAX_TOOLTIP_LINES]:
        n = int(item["residents"])
        lines.append(ngettext(
            "%(plan)s, period %(period)s: %(num)d resident from %(home)s at %(host)s",
            "%(plan)s, period %(period)s: %(num)d residents from %(home)s at %(host)s", n,
        ) % {"plan": item["name"], "period": item["period"], "num": n,
             "home": names.get(item["home"], item["home"]), "host": names.get(item["host"], item["host"])})
    if len(tie["items"]) > MAX_TOOLTIP_LINES:
        lines.append("…")
    return "\n".join(lines)
