"""The partnership's own records: CSV templates with a documented schema.

Six templates (``data/templates/*.csv``, described in ``docs/loading.md``), comma-
separated, UTF-8, one header row; lists inside a cell are separated by ``|``:

* ``organisations``: ``id, pic, name, short_name, kind, city, postcode, country, nuts,
  lat, lon, url, is_example``
* ``networks``: ``id, name, kind, url, is_example``
* ``memberships``: ``org, target, role, is_example``
* ``capacities``: ``org, slug, kind, title, description, topics, is_example``
* ``needs``: ``org, topic, note, is_example``
* ``projects``: ``id, acronym, title, programme, start, end, total_cost,
  ec_contribution, keywords, topics, coordinator, participants, digital, green,
  is_example``

Organisations are referred to by id (``pic:<PIC>`` or ``<source>:<id>``); an id that
entity resolution merged into another node keeps working as an alias. Topics are
referred to by id (``esv:``, ``kw:``, ``esco:``, ``ccs:``) or by a free label, which
becomes a curated topic ``ccs:<slug>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graphsvc.db import Graph
from graphsvc.errors import InvalidInput, Problem
from graphsvc.regions import territory_of
from loaders.csvio import Check, Parsed, Record, Table
from loaders.normalise import keyword_key, name_key, slugify
from loaders.regions import RegionIndex, bundled_regions

__all__ = ["TEMPLATES", "parse_template", "ORG_KINDS", "NETWORK_KINDS", "CAPACITY_KINDS",
           "resolve_references", "topic_ref"]

SOURCE = "curated"
ORG_KINDS = ("university", "research", "company", "public", "vet", "cluster", "other")
NETWORK_KINDS = ("partnership", "cluster", "vet-network", "hub", "project")
CAPACITY_KINDS = ("training", "research", "transfer")
PROGRAMMES = ("HORIZON", "H2020", "OTHER")
ROLES = ("coordinator", "participant", "associatedPartner", "thirdParty")
TOPIC_PREFIXES = ("esv:", "kw:", "esco:", "ccs:")

ORG_ID = re.compile(r"^[a-z][a-z0-9-]*:[A-Za-z0-9._~-]+$")
NETWORK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PIC = re.compile(r"^\d{9}$")

TEMPLATES: dict[str, list[str]] = {
    "organisations": ["id", "pic", "name", "short_name", "kind", "city", "postcode", "country", "nuts",
                      "lat", "lon", "url", "is_example"],
    "networks": ["id", "name", "kind", "url", "is_example"],
    "memberships": ["org", "target", "role", "is_example"],
    "capacities": ["org", "slug", "kind", "title", "description", "topics", "is_example"],
    "needs": ["org", "topic", "note", "is_example"],
    "projects": ["id", "acronym", "title", "programme", "start", "end", "total_cost", "ec_contribution",
                 "keywords", "topics", "coordinator", "participants", "digital", "green", "is_example"],
}
REQUIRED: dict[str, list[str]] = {
    "organisations": ["id", "name", "kind", "country"],
    "networks": ["id", "name", "kind"],
    "memberships": ["org", "target"],
    "capacities": ["org", "kind", "title"],
    "needs": ["org", "topic"],
    "projects": ["id", "title", "programme"],
}


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != ""}


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split("|") if p.strip()]


def topic_ref(text: str) -> tuple[str, str | None]:
    """The topic id a template cell names, and the label of a new curated topic.

    >>> topic_ref("esco:0c3a6e5e-1b0a-4b0b-9c5e-0123456789ab")
    ('esco:0c3a6e5e-1b0a-4b0b-9c5e-0123456789ab', None)
    >>> topic_ref("Virtual production")
    ('ccs:virtual-production', 'Virtual production')
    """
    if text.startswith(TOPIC_PREFIXES):
        return text, None
    return f"ccs:{slugify(text)}", text


def _ref(rec: Record, table: Table, field: str, value: str) -> dict[str, Any]:
    return {"file": table.name, "line": rec.line, "field": field, "value": value}


def _organisations(table: Table, parsed: Parsed, regions: RegionIndex) -> None:
    rows = []
    seen: dict[str, int] = {}
    for rec in table:
        c = Check(table, rec)
        pic = c.text("pic")
        if pic and not PIC.match(pic):
            c.add("pic", f"bad PIC {pic!r} (nine digits)")
            pic = None
        oid = c.text("id")
        if oid is None and pic:
            oid = f"pic:{pic}"
        if oid is None:
            c.add("id", "required when there is no pic")
        elif not ORG_ID.match(oid):
            c.add("id", f"bad id {oid!r} (expected <source>:<id>, e.g. ksi:musikene)")
        elif pic and oid != f"pic:{pic}":
            c.add("id", f"must be pic:{pic} (or empty) when the pic is given")
        if oid in seen:
            c.add("id", f"duplicate id {oid!r} (first on line {seen[oid]})")
        name = c.text("name", required=True)
        kind = c.choice("kind", ORG_KINDS, what="kind", required=True)
        country = c.text("country", required=True)
        if country and country.upper() not in regions:
            c.add("country", f"unknown country code {country!r}")
        nuts = c.text("nuts")
        if nuts and nuts.upper() not in regions:
            c.add("nuts", f"unknown NUTS code {nuts!r}")
        lat = c.number("lat")
        lon = c.number("lon")
        if lat is not None and not -90 <= lat <= 90:
            c.add("lat", f"latitude out of range: {lat}")
        if lon is not None and not -180 <= lon <= 180:
            c.add("lon", f"longitude out of range: {lon}")
        is_example = c.boolean("is_example", default=False)
        if not c.ok or oid is None or name is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        seen[oid] = rec.line
        nuts = nuts.upper() if nuts else None
        country = (country or "").upper()
        rows.append({
            "id": oid, "source_row": rec.line,
            "set": _clean({"pic": pic, "kind": kind, "is_example": is_example, "name": name,
                           "short_name": c.text("short_name"), "url": c.text("url")}),
            "fill": _clean({"name_key": name_key(name), "city": c.text("city"), "postcode": c.text("postcode"),
                            "country": country, "nuts3": nuts if nuts and len(nuts) == 5 else None,
                            "territory": territory_of(nuts), "lat": lat, "lon": lon}),
            "region": nuts or country,
            "match": {"name_key": name_key(name), "city": c.text("city"), "country": country},
        })
    parsed.tables["organisations"] = rows


def _networks(table: Table, parsed: Parsed, regions: RegionIndex) -> None:
    rows = []
    seen: dict[str, int] = {}
    for rec in table:
        c = Check(table, rec)
        nid = c.pattern("id", NETWORK_ID, "network id (lower case, digits and '-')", required=True)
        if nid in seen:
            c.add("id", f"duplicate id {nid!r} (first on line {seen[nid]})")
        name = c.text("name", required=True)
        kind = c.choice("kind", NETWORK_KINDS, what="kind", required=True)
        is_example = c.boolean("is_example", default=False)
        if not c.ok or nid is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        seen[nid] = rec.line
        rows.append({"id": nid, "source_row": rec.line,
                     "props": _clean({"name": name, "kind": kind, "url": c.text("url"), "is_example": is_example})})
    parsed.tables["networks"] = rows


def _memberships(table: Table, parsed: Parsed, regions: RegionIndex) -> None:
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for rec in table:
        c = Check(table, rec)
        org = c.pattern("org", ORG_ID, "organisation id", required=True)
        target = c.text("target", required=True)
        if target and not (ORG_ID.match(target) or NETWORK_ID.match(target)):
            c.add("target", f"bad id {target!r} (a network id or an organisation id)")
        if org and target and (org, target) in seen:
            c.add("target", f"duplicate membership {org} -> {target} (first on line {seen[(org, target)]})")
        is_example = c.boolean("is_example", default=False)
        if not c.ok or org is None or target is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        seen[(org, target)] = rec.line
        rows.append({"org": _ref(rec, table, "org", org), "target": _ref(rec, table, "target", target),
                     "target_kind": "organisation" if ":" in target else "network", "source_row": rec.line,
                     "props": _clean({"role": c.text("role"), "is_example": is_example})})
    parsed.tables["memberships"] = rows


def _topic_cells(c: Check, rec: Record, table: Table, field: str, topics: dict[str, dict[str, Any]],
                 refs: list[dict[str, Any]]) -> list[str]:
    out = []
    for cell in _split(rec.get(field)):
        tid, label = topic_ref(cell)
        if tid == "ccs:" or tid.endswith(":"):
            c.add(field, f"bad topic {cell!r}")
            continue
        if label is not None or tid.startswith("ccs:"):
            topics.setdefault(tid, {"id": tid, "source_row": rec.line, "source_file": table.name, "tags": [],
                                    "set": {"name": label or tid[4:].replace("-", " "), "kind": "curated"}})
        else:
            refs.append(_ref(rec, table, field, tid))
        out.append(tid)
    return out


def _capacities(table: Table, parsed: Parsed, regions: RegionIndex) -> None:
    rows = []
    topics: dict[str, dict[str, Any]] = {}
    seen: dict[tuple[str, str], int] = {}
    for rec in table:
        c = Check(table, rec)
        org = c.pattern("org", ORG_ID, "organisation id", required=True)
        kind = c.choice("kind", CAPACITY_KINDS, what="kind", required=True)
        title = c.text("title", required=True)
        slug = c.text("slug") or (slugify(title) if title else None)
        if slug and slugify(slug) != slug:
            c.add("slug", f"bad slug {slug!r} (lower case letters, digits and '-')")
        if org and slug and (org, slug) in seen:
            c.add("slug", f"duplicate id {org}#{slug} (first on line {seen[(org, slug)]})")
        refs: list[dict[str, Any]] = []
        new_topics: dict[str, dict[str, Any]] = {}
        topic_ids = _topic_cells(c, rec, table, "topics", new_topics, refs)
        is_example = c.boolean("is_example", default=False)
        if not c.ok or org is None or slug is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        seen[(org, slug)] = rec.line
        for k, v in new_topics.items():
            topics.setdefault(k, v)
        rows.append({"org": _ref(rec, table, "org", org), "slug": slug, "source_row": rec.line,
                     "topics": topic_ids, "topic_refs": refs,
                     "props": _clean({"kind": kind, "title": title, "description": c.text("description"),
                                      "is_example": is_example})})
    parsed.tables["capacities"] = rows
    parsed.tables["topics"] = list(topics.values())


def _needs(table: Table, parsed: Parsed, regions: RegionIndex) -> None:
    rows = []
    topics: dict[str, dict[str, Any]] = {}
    seen: dict[tuple[str, str], int] = {}
    for rec in table:
        c = Check(table, rec)
        org = c.pattern("org", ORG_ID, "organisation id", required=True)
        refs: list[dict[str, Any]] = []
        new_topics: dict[str, dict[str, Any]] = {}
        tids = _topic_cells(c, rec, table, "topic", new_topics, refs)
        if len(tids) > 1:
            c.add("topic", "one topic per row")
        if org and tids and (org, tids[0]) in seen:
            c.add("topic", f"duplicate need {org} -> {tids[0]} (first on line {seen[(org, tids[0])]})")
        is_example = c.boolean("is_example", default=False)
        if not c.ok or org is None or not tids:
            parsed.reject_record(table, rec, c.problems)
            continue
        seen[(org, tids[0])] = rec.line
        for k, v in new_topics.items():
            topics.setdefault(k, v)
        rows.append({"org": _ref(rec, table, "org", org), "topic": tids[0], "topic_refs": refs,
                     "source_row": rec.line, "props": _clean({"note": c.text("note"), "is_example": is_example})})
    parsed.tables["needs"] = rows
    parsed.tables["topics"] = list(topics.values())


def _projects(table: Table, parsed: Parsed, regions: RegionIndex) -> None:
    rows, parts, about, kw_topics = [], [], [], {}
    topics: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for rec in table:
        c = Check(table, rec)
        pid = c.pattern("id", ORG_ID, "project id (expected <source>:<id>)", required=True)
        if pid in seen:
            c.add("id", f"duplicate id {pid!r} (first on line {seen[pid]})")
        title = c.text("title", required=True)
        programme = c.choice("programme", PROGRAMMES, what="programme", required=True)
        start, end = c.date("start"), c.date("end")
        if start and end and end < start:
            c.add("end", f"ends ({end}) before it starts ({start})")
        total = c.number("total_cost", minimum=0)
        ec = c.number("ec_contribution", minimum=0)
        digital = c.boolean("digital", default=False)
        green = c.boolean("green", default=False)
        is_example = c.boolean("is_example", default=False)
        refs: list[dict[str, Any]] = []
        new_topics: dict[str, dict[str, Any]] = {}
        tids = _topic_cells(c, rec, table, "topics", new_topics, refs)
        members: list[tuple[str, str]] = []
        coord = c.text("coordinator")
        if coord:
            members.append((coord, "coordinator"))
        members += [(p, "participant") for p in _split(rec.get("participants")) if p != coord]
        for ref, _ in members:
            if not ORG_ID.match(ref):
                c.add("participants" if ref != coord else "coordinator", f"bad organisation id {ref!r}")
        if not c.ok or pid is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        seen[pid] = rec.line
        for k, v in new_topics.items():
            topics.setdefault(k, v)
        keywords = _split(rec.get("keywords"))
        rows.append({"id": pid, "source_row": rec.line, "props": _clean({
            "acronym": c.text("acronym"), "title": title, "programme": programme, "start": start, "end": end,
            "start_year": start.year if start else None, "total_cost": total, "ec_contribution": ec,
            "keywords": keywords or None, "digital": digital, "green": green, "is_example": is_example})})
        for kw in keywords:
            key = keyword_key(kw)
            if key:
                kw_topics.setdefault(f"kw:{key}", {"id": f"kw:{key}", "source_row": rec.line, "tags": [],
                                                   "source_file": table.name,
                                                   "set": {"name": kw, "kind": "keyword"}})
                about.append({"project": pid, "topic": f"kw:{key}", "weight": 0.5, "source_row": rec.line})
        for tid in tids:
            about.append({"project": pid, "topic": tid, "weight": 1.0, "source_row": rec.line, "topic_refs": refs})
        field_of = {coord: "coordinator"}
        for ref, role in members:
            parts.append({"org": _ref(rec, table, field_of.get(ref, "participants"), ref), "project": pid,
                          "source_row": rec.line, "props": {"role": role}})
    parsed.tables["projects"] = rows
    parsed.tables["participations"] = parts
    parsed.tables["about"] = about
    parsed.tables["topics"] = list(topics.values()) + list(kw_topics.values())


_PARSERS: dict[str, Callable[[Table, Parsed, RegionIndex], None]] = {
    "organisations": _organisations, "networks": _networks, "memberships": _memberships,
    "capacities": _capacities, "needs": _needs, "projects": _projects,
}


def parse_template(kind: str, path: Path, regions: RegionIndex | None = None) -> Parsed:
    """Parse one template file of the given kind (a key of :data:`TEMPLATES`).

    >>> parse_template("teams", Path("x.csv"))
    Traceback (most recent call last):
    ...
    graphsvc.errors.InvalidInput: unknown template 'teams' (one of: organisations, networks, ...)
    """
    if kind not in _PARSERS:
        raise InvalidInput(f"unknown template {kind!r} (one of: {', '.join(TEMPLATES)})", field="kind")
    parsed = Parsed(source=SOURCE)
    table = Table(path, delimiter=",", required=REQUIRED[kind])
    _PARSERS[kind](table, parsed, regions or bundled_regions())
    parsed.add_table(table)
    parsed.origin = dict.fromkeys(parsed.tables, table.name)
    return parsed


# -- references, checked against the graph before anything is written -------------------------------
def _problem(ref: dict[str, Any], message: str) -> Problem:
    return Problem(ref["file"], ref["line"], ref["field"], message)


def resolve_references(graph: Graph, parsed: Parsed, *, local_orgs: dict[str, str] | None = None,
                       local_networks: Iterable[str] = (), local_topics: Iterable[str] = ()) -> list[Problem]:
    """Replace organisation references by node ids; return a problem per unknown reference.

    ``local_orgs`` maps template ids of organisations written in the same load to their
    node ids; ``local_networks`` and ``local_topics`` are ids created in the same load.
    """
    org_refs: list[dict[str, Any]] = []
    for table in ("memberships", "capacities", "needs", "participations"):
        for row in parsed.tables.get(table, []):
            org_refs.append(row["org"])
            if table == "memberships" and row["target_kind"] == "organisation":
                org_refs.append(row["target"])
    mapping = dict(local_orgs or {})
    wanted = sorted({r["value"] for r in org_refs} - set(mapping))
    if wanted:
        for row in graph.read("load/org_refs", refs=wanted):
            found = row["direct"] or (sorted(row["via"])[0] if row["via"] else None)
            if found:
                mapping[row["ref"]] = found
    problems = [_problem(r, f"unknown organisation {r['value']!r} (load it first with `lotura load orgs`)")
                for r in org_refs if r["value"] not in mapping]
    networks = set(local_networks)
    net_refs = [row["target"] for row in parsed.tables.get("memberships", []) if row["target_kind"] == "network"]
    wanted_n = sorted({r["value"] for r in net_refs} - networks)
    if wanted_n:
        networks |= {row["id"] for row in graph.read("load/network_refs", ids=wanted_n)}
    problems += [_problem(r, f"unknown network {r['value']!r} (load it first with `lotura load networks`)")
                 for r in net_refs if r["value"] not in networks]
    topic_refs = [ref for table in ("capacities", "needs", "about") for row in parsed.tables.get(table, [])
                  for ref in row.get("topic_refs", [])]
    known_topics = set(local_topics) | {t["id"] for t in parsed.tables.get("topics", [])}
    wanted_t = sorted({r["value"] for r in topic_refs} - known_topics)
    if wanted_t:
        known_topics |= {row["id"] for row in graph.read("load/topic_refs", ids=wanted_t)}
    problems += [_problem(r, f"unknown topic {r['value']!r}") for r in topic_refs if r["value"] not in known_topics]
    if problems:
        return sorted(set(problems), key=lambda p: (p.file, p.line, p.field))
    for table in ("memberships", "capacities", "needs", "participations"):
        for row in parsed.tables.get(table, []):
            row["org"] = mapping[row["org"]["value"]]
            if table == "memberships":
                row["target"] = mapping[row["target"]["value"]] if row["target_kind"] == "organisation" \
                    else row["target"]["value"]
            if table == "capacities":
                row["id"] = f"{row['org']}#{row['slug']}"
    return []
