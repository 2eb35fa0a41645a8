"""Save parsed rows into Neo4j: one function per kind of table, each a batched MERGE.

Every function takes the :class:`~loaders.run.LoadRun` of the load in progress and a
:class:`~loaders.csvio.Parsed`; the order inside :func:`save_parsed` makes sure the
nodes a relationship needs are there first (regions, topics, organisations, projects,
then relationships).
"""

from __future__ import annotations

from typing import Any

from graphsvc.errors import InvalidInput
from loaders.csvio import Parsed
from loaders.resolve import resolve_organisations
from loaders.run import LoadRun
from loaders.templates import resolve_references

__all__ = ["save_parsed", "save_organisations", "refs_pending", "check_references"]


def refs_pending(parsed: Parsed) -> bool:
    """True while template rows still name organisations by their template reference."""
    return any(isinstance(row.get("org"), dict)
               for t in ("memberships", "capacities", "needs", "participations") for row in parsed.tables.get(t, []))


def check_references(graph: Any, parsed: Parsed, local_orgs: dict[str, str] | None = None) -> None:
    """Resolve template references against the graph, or raise :class:`InvalidInput`."""
    problems = resolve_references(graph, parsed, local_orgs=local_orgs)
    if problems:
        raise InvalidInput(f"{len(problems)} unknown reference(s); nothing was written", field="references",
                           problems=problems)


def _file(parsed: Parsed, table: str) -> str:
    return parsed.origin.get(table) or (parsed.files[0] if parsed.files else "")


def _write(run: LoadRun, parsed: Parsed, step: str, table: str, query: str,
           rows: list[dict[str, Any]] | None = None, **kw: Any) -> None:
    data = parsed.tables.get(table, []) if rows is None else rows
    if data:
        run.write(step, query, data, source=parsed.source, source_file=_file(parsed, table), **kw)


def save_organisations(run: LoadRun, parsed: Parsed, *, resolve: bool = True) -> dict[str, str]:
    """Write the ``organisations`` table (after entity resolution) and their locations
    (each row's ``region``).

    Returns the mapping from each record's own id to the node it was written to.
    """
    rows = parsed.tables.get("organisations", [])
    if not rows:
        return {}
    if resolve:
        merged = resolve_organisations(run.graph, rows)
        if merged:
            run.report.warnings.append(f"{merged} organisation(s) of {parsed.source} merged into existing "
                                       "ones by name and city")
    # One pass writes each organisation and its location (LOCATED_IN, first source wins);
    # a second one lets a more precise region (a NUTS-3 part of the recorded country)
    # replace the first source's, and writes nothing for the others.
    _write(run, parsed, f"{parsed.source}: organisations", "organisations", "load/organisations")
    located = [{k: r.get(k) for k in ("id", "region", "source_row", "source_file")} for r in rows if r.get("region")]
    _write(run, parsed, f"{parsed.source}: locations refined", "organisations", "load/locations_refine", rows=located)
    return {r.get("alias") or r["id"]: r["id"] for r in rows}


def save_parsed(run: LoadRun, parsed: Parsed, *, resolve: bool = True) -> None:
    """Write every table of ``parsed`` in dependency order.

    Template references (organisations, networks, topics) are checked first: an
    unknown one raises :class:`InvalidInput` before anything of ``parsed`` is written.
    """
    src = parsed.source
    if refs_pending(parsed) and not parsed.tables.get("organisations"):
        check_references(run.graph, parsed)
    run.report.rows_read += parsed.rows_read
    run.report.rows_rejected += parsed.rows_rejected
    run.report.files += [f for f in parsed.files if f not in run.report.files]
    run.report.warnings += parsed.warnings
    _write(run, parsed, f"{src}: regions", "regions", "load/regions")
    _write(run, parsed, f"{src}: region hierarchy", "part_of", "load/region_part_of")
    _write(run, parsed, f"{src}: euroregion", "grouped_in", "load/region_grouped_in")
    _write(run, parsed, f"{src}: interreg", "interreg", "load/region_interreg")
    _write(run, parsed, f"{src}: topics", "topics", "load/topics", batch_size=20000)
    _write(run, parsed, f"{src}: networks", "networks", "load/networks")
    local = save_organisations(run, parsed, resolve=resolve)
    if refs_pending(parsed):
        check_references(run.graph, parsed, local_orgs=local)
    _write(run, parsed, f"{src}: projects", "projects", "load/projects")
    _write(run, parsed, f"{src}: participations", "participations", "load/participations", batch_size=20000)
    _write(run, parsed, f"{src}: project topics", "about", "load/project_about", batch_size=20000)
    members = parsed.tables.get("memberships", [])
    _write(run, parsed, f"{src}: memberships", "memberships", "load/memberships_network",
           [m for m in members if m["target_kind"] == "network"])
    _write(run, parsed, f"{src}: memberships", "memberships", "load/memberships_org",
           [m for m in members if m["target_kind"] == "organisation"])
    caps = parsed.tables.get("capacities", [])
    _write(run, parsed, f"{src}: capacities", "capacities", "load/capacities")
    covers = [{"capacity": c["id"], "topic": t, "source_row": c["source_row"]} for c in caps for t in c["topics"]]
    _write(run, parsed, f"{src}: capacity topics", "capacities", "load/capacity_covers", covers)
    _write(run, parsed, f"{src}: needs", "needs", "load/needs")
