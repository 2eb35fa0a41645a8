"""CORDIS projects and participants, in the official CORDIS CSV format.

A CORDIS folder holds ``project.csv``, ``organization.csv``, ``euroSciVoc.csv`` and
``policyPriorities.csv`` (each may be gzip-compressed as ``.csv.gz``): ``;``-separated,
quoted, UTF-8, with multi-line texts. The same parser reads the bundled extract
(``data/cordis_he``) and the full dataset from the EU open data portal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphsvc.errors import InvalidInput
from graphsvc.regions import territory_of
from loaders.csvio import Check, Parsed, Table
from loaders.normalise import keyword_key, name_key
from loaders.regions import RegionIndex, bundled_regions

__all__ = ["parse_cordis", "find_file", "KIND_OF_ACTIVITY", "ROLES", "esv_tags"]

SOURCE = "cordis"
KIND_OF_ACTIVITY = {"HES": "university", "REC": "research", "PRC": "company", "PUB": "public", "OTH": "other"}
ROLES = ("coordinator", "participant", "associatedPartner", "thirdParty")
# Programme -> (id prefix, programme property).
PROGRAMMES = {"HORIZON": ("he", "HORIZON"), "H2020": ("h2020", "H2020")}
DIGITAL_PRIORITIES = frozenset({"digitalAgenda", "ai"})
GREEN_PRIORITIES = frozenset({"climate", "cleanAir", "biodiversity"})
OBJECTIVE_CHARS = 600
KEYWORD_MAX = 80

PROJECT_COLUMNS = ["id", "acronym", "title", "startDate", "endDate", "totalCost", "ecMaxContribution",
                   "frameworkProgramme", "legalBasis", "fundingScheme"]
ORG_COLUMNS = ["projectID", "organisationID", "name", "activityType", "city", "country", "nutsCode",
               "role", "ecContribution"]
ESV_COLUMNS = ["projectID", "euroSciVocCode", "euroSciVocTitle", "euroSciVocPath"]
POLICY_COLUMNS = ["projectID", "code", "weight"]

_DIGITAL_WORDS = ("computer and information sciences", "software", "artificial intelligence", "internet",
                  "telecommunications", "data science", "digital")
_GREEN_WORDS = ("environmental", "renewable", "climat", "sustainab", "ecology", "biodiversity",
                "pollution", "recycling", "circular economy")


def esv_tags(path: str) -> list[str]:
    """Tags of a euroSciVoc topic guessed from its path.

    >>> esv_tags("/natural sciences/computer and information sciences/software")
    ['digital']
    >>> esv_tags("/engineering and technology/environmental engineering/energy and fuels")
    ['green']
    """
    low = path.lower()
    tags = []
    if any(w in low for w in _DIGITAL_WORDS):
        tags.append("digital")
    if any(w in low for w in _GREEN_WORDS):
        tags.append("green")
    return tags


def find_file(folder: Path, stem: str, *, required: bool = True) -> Path | None:
    """``folder/stem.csv`` or ``folder/stem.csv.gz``."""
    for name in (f"{stem}.csv", f"{stem}.csv.gz"):
        if (folder / name).is_file():
            return folder / name
    if required:
        raise InvalidInput(f"{folder}: no {stem}.csv or {stem}.csv.gz here (a CORDIS folder holds "
                           "project.csv, organization.csv, euroSciVoc.csv, policyPriorities.csv)")
    return None


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != ""}


def _role_rank(role: str) -> int:
    return ROLES.index(role) if role in ROLES else len(ROLES)


def parse_projects(path: Path, parsed: Parsed) -> dict[str, str]:
    """Project rows; returns the CORDIS id -> node id of every valid project."""
    table = Table(path, delimiter=";", required=PROJECT_COLUMNS)
    out: list[dict[str, Any]] = []
    topics: dict[str, dict[str, Any]] = {}
    about: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for rec in table:
        c = Check(table, rec)
        pid = c.integer("id", required=True)
        if pid is not None and str(pid) in first_line:
            c.add("id", f"duplicate id {pid} (first on line {first_line[str(pid)]})")
        programme = c.choice("frameworkProgramme", PROGRAMMES, what="programme", required=True)
        start = c.date("startDate")
        end = c.date("endDate")
        total = c.number("totalCost", minimum=0)
        ec = c.number("ecMaxContribution", minimum=0)
        title = c.text("title", required=True)
        acronym = c.text("acronym")
        if start and end and end < start:
            c.add("endDate", f"ends ({end}) before it starts ({start})")
        if not c.ok or pid is None or programme is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        prefix, prog = programme
        node_id = f"{prefix}:{pid}"
        first_line[str(pid)] = rec.line
        ids[str(pid)] = node_id
        keywords = _keywords(rec.get("keywords"))
        objective = " ".join(rec.get("objective").split())
        if len(objective) > OBJECTIVE_CHARS:
            objective = objective[: OBJECTIVE_CHARS - 1].rsplit(" ", 1)[0] + "…"
        out.append({"id": node_id, "source_row": rec.line, "props": _clean({
            "acronym": acronym, "title": title, "programme": prog,
            "start": start, "end": end, "start_year": start.year if start else None,
            "status": rec.get("status"), "legal_basis": rec.get("legalBasis"),
            "funding_scheme": rec.get("fundingScheme"), "call_topic": rec.get("topic"),
            "total_cost": total, "ec_contribution": ec,
            "keywords": [k for k, _ in keywords] or None, "objective": objective,
            "digital": False, "green": False,
        })})
        for label, key in keywords:
            tid = f"kw:{key}"
            if tid not in topics:
                topics[tid] = {"id": tid, "source_row": rec.line, "tags": [],
                               "set": {"name": label, "kind": "keyword"}}
            about.append({"project": node_id, "topic": tid, "weight": 0.5, "source_row": rec.line})
    parsed.add_table(table)
    parsed.origin.update(projects=table.name, topics=table.name, about=table.name)
    parsed.tables.setdefault("projects", []).extend(out)
    parsed.tables.setdefault("topics", []).extend(topics.values())
    parsed.tables.setdefault("about", []).extend(about)
    return ids


def _keywords(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for part in text.replace(";", ",").split(","):
        label = " ".join(part.split())
        key = keyword_key(label)
        if key and len(key) <= KEYWORD_MAX and key not in seen:
            seen.add(key)
            out.append((label, key))
    return out


def parse_organisations(path: Path, parsed: Parsed, projects: dict[str, str], regions: RegionIndex,
                        rejected_projects: set[str]) -> None:
    """Organisations (one per PIC), participations and locations."""
    table = Table(path, delimiter=";", required=ORG_COLUMNS)
    orgs: dict[str, dict[str, Any]] = {}
    parts: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in table:
        c = Check(table, rec)
        project = c.text("projectID", required=True)
        pic = c.text("organisationID", required=True)
        if pic and not pic.isdigit():
            c.add("organisationID", f"bad PIC {pic!r} (digits only)")
        name = c.text("name", required=True)
        activity = rec.get("activityType")
        kind = c.choice("activityType", KIND_OF_ACTIVITY, what="kind (activity type)") if activity else "other"
        role = c.choice("role", ROLES, what="role", required=True)
        sme = c.boolean("SME")
        contribution = c.number("ecContribution", minimum=0)
        lat, lon = c.latlon("geolocation") if "geolocation" in rec.values else (None, None)
        nuts = rec.get("nutsCode").upper()
        country = rec.get("country").upper()
        region = None
        if nuts:
            region = regions.locate(nuts) if regions.well_formed(nuts) else None
            if region is None:
                c.add("nutsCode", f"unknown NUTS code {nuts!r}")
        else:
            region = regions.locate(None, country)
        if c.ok and project is not None and project not in projects:
            if project in rejected_projects:
                parsed.reject(table, rec.raw, f"projectID: project {project} was rejected")
                continue
            c.add("projectID", f"project {project} is not in project.csv")
        if not c.ok or pic is None or project is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        oid = f"pic:{pic}"
        if oid not in orgs:
            orgs[oid] = {"id": oid, "source_row": rec.line, "set": _clean({
                "pic": pic, "name": name, "short_name": rec.get("shortName"), "name_key": name_key(name or ""),
                "activity_type": activity or None, "sme": sme, "city": rec.get("city"),
                "postcode": rec.get("postCode"), "country": country, "nuts3": nuts if len(nuts) == 5 else None,
                "territory": territory_of(nuts), "lat": lat, "lon": lon, "url": rec.get("organizationURL"),
            }), "fill": {"kind": kind}, "region": region}
        key = (oid, projects[project])
        part = parts.get(key)
        if part is None:
            parts[key] = {"org": oid, "project": projects[project], "source_row": rec.line,
                          "props": _clean({"role": role, "contribution": contribution})}
        else:
            props = part["props"]
            if contribution is not None:
                props["contribution"] = props.get("contribution", 0.0) + contribution
            if role and _role_rank(role) < _role_rank(props.get("role", "")):
                props["role"] = role
    parsed.add_table(table)
    parsed.origin.update(organisations=table.name, participations=table.name)
    parsed.tables.setdefault("organisations", []).extend(orgs.values())
    parsed.tables.setdefault("participations", []).extend(parts.values())


def parse_euroscivoc(path: Path, parsed: Parsed, projects: dict[str, str]) -> None:
    table = Table(path, delimiter=";", required=ESV_COLUMNS)
    topics: dict[str, dict[str, Any]] = {}
    about: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in table:
        c = Check(table, rec)
        project = c.text("projectID", required=True)
        code = c.text("euroSciVocCode", required=True)
        title = c.text("euroSciVocTitle", required=True)
        if code and not code.strip("/"):
            c.add("euroSciVocCode", f"bad euroSciVoc code {code!r}")
        if not c.ok or project is None or code is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        if project not in projects:
            parsed.reject(table, rec.raw, f"projectID: project {project} is not loaded")
            continue
        tid = "esv:" + code.strip("/").split("/")[-1]
        path_text = rec.get("euroSciVocPath")
        if tid not in topics:
            topics[tid] = {"id": tid, "source_row": rec.line, "source_file": table.name,
                           "tags": esv_tags(path_text),
                           "set": _clean({"name": title, "kind": "euroscivoc", "path": path_text})}
        about[(projects[project], tid)] = {"project": projects[project], "topic": tid, "weight": 1.0,
                                           "source_row": rec.line, "source_file": table.name}
    parsed.add_table(table)
    parsed.tables.setdefault("topics", []).extend(topics.values())
    parsed.tables.setdefault("about", []).extend(about.values())


def parse_policy(path: Path, parsed: Parsed, projects: dict[str, str]) -> None:
    """Set the digital and green flags of the parsed projects from policy priorities."""
    table = Table(path, delimiter=";", required=POLICY_COLUMNS)
    flags: dict[str, dict[str, bool]] = {}
    for rec in table:
        c = Check(table, rec)
        project = c.text("projectID", required=True)
        code = c.text("code", required=True)
        weight = c.number("weight", minimum=0)
        if not c.ok or project is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        node = projects.get(project)
        if node is None or not weight:
            continue
        f = flags.setdefault(node, {})
        if code in DIGITAL_PRIORITIES:
            f["digital"] = True
        if code in GREEN_PRIORITIES:
            f["green"] = True
    parsed.add_table(table)
    for row in parsed.tables.get("projects", []):
        row["props"].update(flags.get(row["id"], {}))


def parse_cordis(folder: Path, regions: RegionIndex | None = None) -> Parsed:
    """Parse a CORDIS folder into validated rows (no database).

    Parameters
    ----------
    folder : Path
        Holds ``project.csv``, ``organization.csv`` and optionally ``euroSciVoc.csv``
        and ``policyPriorities.csv`` (each may be ``.csv.gz``).
    regions : RegionIndex, optional
        Known NUTS codes; the bundled list by default.

    Returns
    -------
    Parsed
        Tables ``projects``, ``organisations`` (with their ``region``), ``participations``,
        ``topics`` and ``about``, with every problem found.
    """
    if not folder.is_dir():
        raise InvalidInput(f"{folder}: not a folder")
    regions = regions or bundled_regions()
    parsed = Parsed(source=SOURCE)
    project_path = find_file(folder, "project")
    org_path = find_file(folder, "organization")
    assert project_path is not None and org_path is not None
    projects = parse_projects(project_path, parsed)
    rejected = _rejected_ids(parsed, project_path)
    parse_organisations(org_path, parsed, projects, regions, rejected)
    esv = find_file(folder, "euroSciVoc", required=False)
    if esv:
        parse_euroscivoc(esv, parsed, projects)
    policy = find_file(folder, "policyPriorities", required=False)
    if policy:
        parse_policy(policy, parsed, projects)
    else:
        parsed.warnings.append("no policyPriorities.csv: the digital and green flags stay false")
    return parsed


def _rejected_ids(parsed: Parsed, project_path: Path) -> set[str]:
    header, rows = parsed.rejects.get(project_path, ([], []))
    if "id" not in header:
        return set()
    i = header.index("id")
    return {raw[i].strip() for raw, _ in rows if len(raw) > i}
