"""The early Horizon 2020 snapshot (2014-2017): ``projects.tsv``, ``edges.tsv``,
``unique_org.tsv`` (tab-separated, decimal commas), each optionally gzip-compressed.

Organisations are keyed by PIC when ``new_org_id`` is one (``pic:<PIC>``, the same node
as in Horizon Europe), else by the snapshot's hash (``h2020:<md5>``), which entity
resolution may merge into a known organisation of the same name and country.

The snapshot gives no activity type, so its organisations carry no kind of their own;
those no other source gives a kind get the one their name gives, if any, from
:mod:`loaders.save_kinds` at the end of a load ("Kinds from names" in docs/loading.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphsvc.errors import InvalidInput
from loaders.csvio import Check, Parsed, Table
from loaders.normalise import name_key

__all__ = ["parse_h2020"]

SOURCE = "cordis-h2020-2016"


def _find(folder: Path, stem: str) -> Path:
    for name in (f"{stem}.tsv", f"{stem}.tsv.gz"):
        if (folder / name).is_file():
            return folder / name
    raise InvalidInput(f"{folder}: no {stem}.tsv or {stem}.tsv.gz here (the H2020 snapshot holds "
                       "projects.tsv, edges.tsv and unique_org.tsv)")


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != ""}


def parse_h2020(folder: Path) -> Parsed:
    """Parse the snapshot into ``projects``, ``organisations`` and ``participations``."""
    if not folder.is_dir():
        raise InvalidInput(f"{folder}: not a folder")
    parsed = Parsed(source=SOURCE)
    ptable = Table(_find(folder, "projects"), delimiter="\t",
                   required=["rcn", "reference", "acronym", "startDate", "endDate", "totalCost", "coordinator"])
    projects: dict[str, dict[str, Any]] = {}
    coordinators: dict[str, str] = {}
    seen: dict[str, int] = {}
    for rec in ptable:
        c = Check(ptable, rec)
        rcn = c.integer("rcn", required=True)
        ref = c.integer("reference", required=True)
        if rcn is not None and str(rcn) in seen:
            c.add("rcn", f"duplicate id {rcn} (first on line {seen[str(rcn)]})")
        start = c.date("startDate")
        end = c.date("endDate")
        total = c.number("totalCost", minimum=0)
        ec = c.number("ecMaxContribution", minimum=0) if "ecMaxContribution" in rec.values else None
        if not c.ok or rcn is None or ref is None:
            parsed.reject_record(ptable, rec, c.problems)
            continue
        seen[str(rcn)] = rec.line
        projects[str(rcn)] = {"id": f"h2020:{ref}", "source_row": rec.line, "props": _clean({
            "acronym": rec.get("acronym"), "title": rec.get("acronym"), "programme": "H2020",
            "start": start, "end": end, "start_year": start.year if start else None,
            "status": rec.get("status"), "legal_basis": rec.get("programme"),
            "funding_scheme": rec.get("fundingScheme"), "call_topic": rec.get("topics"),
            "total_cost": total, "ec_contribution": ec,
        })}
        coordinators[str(rcn)] = name_key(rec.get("coordinator"))
    parsed.add_table(ptable)
    parsed.origin["projects"] = ptable.name

    otable = Table(_find(folder, "unique_org"), delimiter="\t", required=["new_org_id", "name", "country"])
    orgs: dict[str, dict[str, Any]] = {}
    org_keys: dict[str, str] = {}
    for rec in otable:
        c = Check(otable, rec)
        oid_raw = c.text("new_org_id", required=True)
        name = c.text("name", required=True)
        if oid_raw and oid_raw in org_keys:
            c.add("new_org_id", f"duplicate id {oid_raw!r} (first on line {orgs[org_keys[oid_raw]]['source_row']})")
        if not c.ok or oid_raw is None or name is None:
            parsed.reject_record(otable, rec, c.problems)
            continue
        is_pic = oid_raw.isdigit()
        oid = f"pic:{oid_raw}" if is_pic else f"h2020:{oid_raw}"
        org_keys[oid_raw] = oid
        key = name_key(name)
        country = rec.get("country").upper() or None
        orgs[oid] = {"id": oid, "source_row": rec.line, "set": {"pic": oid_raw} if is_pic else {},
                     "fill": _clean({"name": name, "short_name": rec.get("shortName"), "name_key": key,
                                     "country": country, "kind": None}),
                     "region": country, "match": {"name_key": key, "city": None, "country": country}}
    parsed.add_table(otable)
    parsed.origin["organisations"] = otable.name

    etable = Table(_find(folder, "edges"), delimiter="\t", required=["projectRcn", "new_org_id"])
    parts: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in etable:
        c = Check(etable, rec)
        rcn = c.text("projectRcn", required=True)
        org = c.text("new_org_id", required=True)
        if rcn and rcn not in projects:
            c.add("projectRcn", f"project {rcn} is not in projects.tsv")
        if org and org not in org_keys:
            c.add("new_org_id", f"organisation {org!r} is not in unique_org.tsv")
        if not c.ok or rcn is None or org is None:
            parsed.reject_record(etable, rec, c.problems)
            continue
        oid = org_keys[org]
        pid = projects[rcn]["id"]
        role = "coordinator" if orgs[oid]["fill"].get("name_key") == coordinators.get(rcn) else "participant"
        parts.setdefault((oid, pid), {"org": oid, "project": pid, "source_row": rec.line, "props": {"role": role}})
    parsed.add_table(etable)
    parsed.origin["participations"] = etable.name
    parsed.tables["projects"] = list(projects.values())
    parsed.tables["organisations"] = list(orgs.values())
    parsed.tables["participations"] = list(parts.values())
    return parsed
