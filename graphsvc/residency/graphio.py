"""The residency planner's side of the graph.

* :class:`GraphResolver` looks the organisations and topic ids of the CSV files up;
* :func:`proximity` measures how close applicants' and hosts' organisations already
  are (shared projects, shared networks, common partners);
* :func:`save_plan` writes a plan as ``(:Plan)`` and ``(:Residency)`` nodes linked to
  the host (``HOSTED_BY``) and home (``RESIDENT_FROM``) organisations, idempotently;
* :func:`get_draft` / :func:`put_draft` keep the organisers' working plan, a
  ``(:Plan {id: 'working', status: 'working'})`` node holding JSON, with a revision
  number so that two organisers editing at once cannot overwrite each other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from graphsvc.db import Graph
from graphsvc.errors import Conflict, InvalidInput, NotFound
from graphsvc.regions import territory_of
from graphsvc.residency.csvio import Inputs, OrgInfo, dump_inputs, dump_plan, load_inputs, load_plan
from graphsvc.residency.model import ID_RE, Pair, Plan
from graphsvc.text import name_key

__all__ = [
    "WORKING_PLAN",
    "Draft",
    "GraphResolver",
    "delete_plan",
    "get_draft",
    "list_plans",
    "plan_residencies",
    "proximity",
    "put_draft",
    "save_plan",
]

WORKING_PLAN = "working"


class GraphResolver:
    """:class:`~graphsvc.residency.csvio.Resolver` over the graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def organisations(self, refs: Sequence[str]) -> dict[str, OrgInfo]:
        rows = self.graph.read(
            "residency/resolve_organisations",
            refs=[{"ref": r, "key": name_key(r), "lower": r.strip().lower()} for r in refs],
        )
        out = {}
        for row in rows:
            territory = row["territory"] or territory_of(row["nuts3"]) or row["nuts3"] or row["country"]
            out[row["ref"]] = OrgInfo(row["id"], row["name"] or row["id"], territory, tuple(row["topics"] or ()))
        return out

    def topics(self, ids: Sequence[str]) -> dict[str, list[str]]:
        return {row["id"]: list(row["names"]) for row in self.graph.read("residency/topic_names", ids=list(ids))}


def proximity(graph: Graph, applicant_orgs: Iterable[str], host_orgs: Iterable[str]) -> dict[tuple[str, str], float]:
    """Graph proximity in [0, 1] of each (applicant organisation, host organisation).

    The mean of two measures:

    * direct ties: ``s = shared projects + 0.5 × shared networks + 0.1 × common project
      partners``, as ``s / (1 + s)`` (one shared project gives 0.5);
    * the network part of the partner suggestions (:mod:`graphsvc.suggest`): resource
      allocation and truncated Katz paths over the co-participation graph, with the
      suggestions' weights, scaled so that the closest host of each applicant is 1.

    Pairs with no tie at all are left out (proximity 0).
    """
    apps, hosts = sorted(set(applicant_orgs)), sorted(set(host_orgs))
    if not apps or not hosts:
        return {}
    partners: dict[str, dict[str, int]] = {}
    networks: dict[str, set[str]] = {}
    for row in graph.read("residency/partners", ids=sorted(set(apps) | set(hosts))):
        partners[row["id"]] = {p[0]: int(p[1]) for p in row["partners"]}
        networks[row["id"]] = {n for n in row["networks"] if n}
    network = _suggestion_proximity(graph, apps, hosts)
    out = {}
    for a in apps:
        pa, na = partners.get(a, {}), networks.get(a, set())
        for h in hosts:
            if a == h:
                continue
            ph = partners.get(h, {})
            s = pa.get(h, 0) + 0.5 * len(na & networks.get(h, set())) + 0.1 * len(pa.keys() & ph.keys())
            value = 0.5 * s / (1 + s) + 0.5 * network.get((a, h), 0.0)
            if value > 0:
                out[(a, h)] = round(value, 4)
    return out


def _suggestion_proximity(graph: Graph, apps: Sequence[str], hosts: Sequence[str]) -> dict[tuple[str, str], float]:
    from graphsvc.algorithms.linkpred import path_scores, resource_allocation_scores
    from graphsvc.algorithms.scoring import DEFAULT_WEIGHTS, combine, scale
    from graphsvc.projection import projection

    proj = projection(graph)
    cols = [proj.index[h] for h in hosts if h in proj.index]
    if not cols:
        return {}
    mask = np.zeros(len(proj.ids), dtype=bool)
    mask[cols] = True
    measures = {"resource_allocation": resource_allocation_scores, "paths": path_scores}
    out: dict[tuple[str, str], float] = {}
    for a in apps:
        i = proj.index.get(a)
        if i is None:
            continue
        # Only the measures the suggestions' weights use are computed (combine skips the others).
        parts = {name: measure(proj.co, i) for name, measure in measures.items() if getattr(DEFAULT_WEIGHTS, name)}
        if not parts:
            continue
        mask[i] = False
        score = combine({k: scale(v, mask) for k, v in parts.items()}, DEFAULT_WEIGHTS)
        mask[i] = i in cols
        for h in hosts:
            j = proj.index.get(h)
            if j is not None and j != i and score[j] > 0:
                out[(a, h)] = float(score[j])
    return out


# -- saved plans ----------------------------------------------------------------------
def plan_id_for(plan: Plan) -> str:
    """A stable id for a plan: the same assignments give the same id (so saving twice
    changes nothing)."""
    body = json.dumps([plan.mode, [(a.applicant, a.host, a.period) for a in plan.assignments]])
    return "plan-" + hashlib.sha256(body.encode()).hexdigest()[:12]


def save_plan(graph: Graph, plan: Plan, inputs: Inputs, *, plan_id: str | None = None,
              name: str | None = None) -> dict[str, Any]:
    """Write ``plan`` as a ``(:Plan)`` with its ``(:Residency)`` nodes; idempotent.

    The id comes from the plan's content, so saving the same plan again updates the
    one saved before (maps would otherwise draw its ties twice): ``name`` renames it,
    no name keeps the one it had. Residencies whose host or home organisation is not in
    the graph are saved without that relationship (their territories are kept on the
    node). Returns the plan id, its ``name``, the ``previous_name`` when the plan was
    saved already (else None) and the write counters.
    """
    pid = plan_id or plan_id_for(plan)
    if pid == WORKING_PLAN or not ID_RE.fullmatch(pid):
        raise InvalidInput(f"{pid!r} cannot be a plan id", field="plan_id")
    hosts = {h.id: h for h in inputs.hosts}
    apps = {a.id: a for a in inputs.applicants}
    rows = []
    for x in plan.assignments:
        h, a = hosts[x.host], apps[x.applicant]
        rows.append({
            "id": f"{pid}:{a.id}", "period": x.period, "resident": a.id, "score": x.score,
            "explanation": json.dumps([r.as_dict() for r in x.why], ensure_ascii=False),
            "host": h.id, "host_name": h.name, "host_territory": h.territory, "home_territory": a.territory,
            "host_org": h.organisation, "home_org": a.organisation,
        })
    (header,) = graph.write("residency/save_plan", id=pid, plan_name=name or None,
                            default_name=f"{plan.mode} {date.today().isoformat()}",
                            mode=plan.mode, total=plan.total, cross_border=plan.cross_border,
                            residencies=len(rows), unmatched=len(plan.unmatched))
    counts = graph.write_batches("residency/save_residencies", rows, extra={"plan": pid})
    deleted = graph.write("residency/prune_plan", plan=pid, keep=[r["id"] for r in rows])
    graph.bump_version()
    return {"plan": pid, "name": header["name"], "previous_name": header["previous_name"],
            "residencies": len(rows), "deleted": deleted[0]["deleted"] if deleted else 0, **counts}


def list_plans(graph: Graph, limit: int = 50) -> list[dict[str, Any]]:
    return graph.read("residency/list_plans", limit=limit)


def plan_residencies(graph: Graph, plan_id: str) -> list[dict[str, Any]]:
    rows = graph.read("residency/plan_residencies", plan=plan_id)
    for r in rows:
        r["why"] = json.loads(r.pop("explanation") or "[]")
    return rows


def delete_plan(graph: Graph, plan_id: str) -> None:
    rows = graph.write("residency/delete_plan", id=plan_id)
    if not rows or not rows[0]["deleted"]:
        raise NotFound(f"no saved plan {plan_id!r}")
    graph.bump_version()


# -- the working plan ----------------------------------------------------------------------
@dataclass
class Draft:
    """The organisers' working plan: inputs, pairs, options and the last result."""

    inputs: Inputs = field(default_factory=Inputs)
    locks: list[Pair] = field(default_factory=list)
    forbids: list[Pair] = field(default_factory=list)
    mode: str = "optimal"
    cross_border: bool = True
    plan: Plan | None = None
    revision: int = 0

    def dumps(self) -> str:
        return json.dumps({
            "inputs": json.loads(dump_inputs(self.inputs)),
            "locks": [str(p) for p in self.locks], "forbids": [str(p) for p in self.forbids],
            "mode": self.mode, "cross_border": self.cross_border,
            "plan": json.loads(dump_plan(self.plan)) if self.plan else None,
        }, ensure_ascii=False)

    @classmethod
    def loads(cls, text: str | None, revision: int = 0) -> Draft:
        if not text:
            return cls(revision=revision)
        doc = json.loads(text)
        return cls(load_inputs(json.dumps(doc.get("inputs") or {})),
                   [Pair.parse(p) for p in doc.get("locks", [])], [Pair.parse(p) for p in doc.get("forbids", [])],
                   doc.get("mode", "optimal"), bool(doc.get("cross_border", True)),
                   load_plan(json.dumps(doc["plan"])) if doc.get("plan") else None, revision)


def get_draft(graph: Graph) -> Draft:
    row = graph.read_one("residency/draft_get", id=WORKING_PLAN)
    if not row:
        return Draft()
    return Draft.loads(row["draft"], int(row["revision"] or 0))


def put_draft(graph: Graph, draft: Draft) -> Draft:
    """Store ``draft`` if the stored one is still at ``draft.revision``; raise
    :class:`~graphsvc.errors.Conflict` otherwise."""
    rows = graph.write("residency/draft_put", id=WORKING_PLAN, draft=draft.dumps(), revision=draft.revision)
    if not rows:
        raise Conflict("another organiser changed the working plan meanwhile: reload the page and try again")
    draft.revision = int(rows[0]["revision"])
    return draft
