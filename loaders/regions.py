"""NUTS regions: parse ``nuts_2021.csv`` and the Interreg totals, save the hierarchy.

``data/regions/nuts_2021.csv`` (made by :mod:`loaders.extract`) has one row per
region: ``code, level, country, parent, name, name_native, name_en, name_es, name_fr,
name_eu, geometry``. Level 0 holds every NUTS country plus the countries of CORDIS
partners outside NUTS (named from CLDR); level -1 is the Euroregion grouping ``NAEN``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphsvc.errors import Problem
from graphsvc.regions import EUROREGION, TERRITORIES, territory_of
from loaders import DATA_DIR
from loaders.csvio import Check, Parsed, Table

__all__ = ["RegionIndex", "bundled_regions", "parse_regions", "REGIONS_FILE", "INTERREG_FILE"]

REGIONS_FILE = "nuts_2021.csv"
INTERREG_FILE = "interreg_2014_2020_by_nuts3.csv"
_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


@dataclass(frozen=True)
class RegionIndex:
    """Known region codes, for validating and locating without the database.

    >>> idx = RegionIndex(frozenset({"ES", "ES2", "ES21", "ES213", "NL", "NL3", "NL32", "US"}))
    >>> idx.locate("ES213"), idx.locate("NL32B"), idx.locate("", "US"), idx.locate("ZZ1")
    ('ES213', 'NL32', 'US', None)
    """

    codes: frozenset[str]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def well_formed(self, code: str) -> bool:
        return bool(_CODE.match(code))

    def locate(self, nuts: str | None, country: str | None = None) -> str | None:
        """The most precise known region of a NUTS code (a newer code falls back to its
        known parent), else the country; None when neither is known."""
        code = (nuts or "").strip().upper()
        while len(code) >= 2:
            if code in self.codes:
                return code
            code = code[:-1]
        c = (country or "").strip().upper()
        return c if c in self.codes else None


def _read_region_rows(path: Path, parsed: Parsed | None = None) -> tuple[Table, list[tuple[int, dict[str, Any]]]]:
    table = Table(path, delimiter=",", required=["code", "level", "country", "parent", "name"])
    rows: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for rec in table:
        c = Check(table, rec)
        code = c.text("code", required=True)
        level = c.integer("level", required=True)
        if level is not None and not -1 <= level <= 3:
            c.add("level", f"bad NUTS level {level} (0-3, -1 for the Euroregion)")
        if code and code != EUROREGION and not _CODE.match(code):
            c.add("code", f"bad NUTS code {code!r}")
        if code in seen:
            c.add("code", f"duplicate id {code!r} (first on line {seen[code]})")
        name = c.text("name", required=True)
        if c.ok and code is not None:
            seen[code] = rec.line
            row = {
                "code": code, "level": level, "name": name,
                "country": rec.get("country") or None,
                "parent": rec.get("parent") or None,
                "territory": territory_of(code) if level is not None and level >= 2 else None,
                "source_row": rec.line,
            }
            for k in ("name_native", "name_en", "name_es", "name_fr", "name_eu", "geometry"):
                if rec.get(k):
                    row[k] = rec.get(k)
            rows.append((rec.line, row))
        elif parsed is not None:
            parsed.reject_record(table, rec, c.problems)
    return table, rows


@cache
def _bundled(path: str) -> RegionIndex:
    _, rows = _read_region_rows(Path(path))
    return RegionIndex(frozenset(r["code"] for _, r in rows))


def bundled_regions(folder: Path | None = None) -> RegionIndex:
    """The region codes of the bundled ``data/regions/nuts_2021.csv`` (cached)."""
    return _bundled(str((folder or DATA_DIR / "regions") / REGIONS_FILE))


def parse_regions(folder: Path) -> Parsed:
    """Parse ``nuts_2021.csv`` (and ``interreg_2014_2020_by_nuts3.csv`` if present).

    Tables: ``regions`` (node rows), ``part_of`` (child, parent), ``grouped_in``
    (territory -> NAEN), ``interreg`` (NUTS-3 totals).
    """
    parsed = Parsed(source="nuts")
    table, rows = _read_region_rows(folder / REGIONS_FILE, parsed)
    parsed.add_table(table)
    parsed.origin.update(regions=table.name, part_of=table.name, grouped_in=table.name)
    codes = {r["code"] for _, r in rows}
    region_rows, part_of = [], []
    for line, r in rows:
        parent = r.pop("parent")
        if parent and parent not in codes:
            problem = Problem(table.name, line, "parent", f"unknown NUTS code {parent!r}")
            parsed.problems.append(problem)
            continue
        region_rows.append(r)
        if parent:
            part_of.append({"child": r["code"], "parent": parent, "source_row": line})
    parsed.tables["regions"] = region_rows
    parsed.tables["part_of"] = part_of
    parsed.tables["grouped_in"] = [
        {"child": t, "parent": EUROREGION, "source_row": 0} for t in TERRITORIES if t in codes
    ] if EUROREGION in codes else []
    interreg_path = folder / INTERREG_FILE
    if interreg_path.exists():
        it = Table(interreg_path, delimiter=",",
                   required=["NUTS_ID", "keep_No_of_projects", "keep_No_of_partners", "keep_Total_budgets_MEUR"])
        out = []
        for rec in it:
            c = Check(it, rec)
            code = c.text("NUTS_ID", required=True)
            if code and code not in codes:
                c.add("NUTS_ID", f"unknown NUTS code {code!r}")
            projects = c.number("keep_No_of_projects", minimum=0)
            partners = c.number("keep_No_of_partners", minimum=0)
            budget = c.number("keep_Total_budgets_MEUR", minimum=0)
            if c.ok:
                out.append({"code": code, "source_row": rec.line, "props": {
                    "interreg_projects": int(projects or 0), "interreg_partners": int(partners or 0),
                    "interreg_budget_meur": budget}})
            else:
                parsed.reject_record(it, rec, c.problems)
        parsed.add_table(it)
        parsed.origin["interreg"] = it.name
        parsed.tables["interreg"] = out
    return parsed
