"""ESCO skill collections as topics ``esco:<concept id>`` tagged by collection.

A skill listed in several collections (digital and green, say) gets every tag.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from loaders.csvio import Check, Parsed, Table

__all__ = ["parse_esco", "COLLECTIONS", "esco_id"]

COLLECTIONS = {
    "digital": "digitalSkillsCollection_en.csv",
    "green": "greenSkillsCollection_en.csv",
    "transversal": "transversalSkillsCollection_en.csv",
}
_PREFIX = "http://data.europa.eu/esco/"


def esco_id(uri: str) -> str | None:
    """``esco:<id>`` of an ESCO concept URI, None if it is not one.

    >>> esco_id("http://data.europa.eu/esco/skill/000f1d3d-220f-4789-9c0a-cc742521fb02")
    'esco:000f1d3d-220f-4789-9c0a-cc742521fb02'
    """
    if not uri.startswith(_PREFIX):
        return None
    tail = uri[len(_PREFIX):].rstrip("/").split("/")[-1]
    return f"esco:{tail}" if tail else None


def parse_esco(folder: Path) -> Parsed:
    """Parse the collections found in ``folder`` (at least one must be there)."""
    parsed = Parsed(source="esco")
    topics: dict[str, dict[str, Any]] = {}
    for tag, name in COLLECTIONS.items():
        path = folder / name
        if not path.exists():
            continue
        table = Table(path, delimiter=",", required=["conceptUri", "preferredLabel"])
        seen: dict[str, int] = {}
        for rec in table:
            c = Check(table, rec)
            uri = c.text("conceptUri", required=True)
            label = c.text("preferredLabel", required=True)
            tid = esco_id(uri) if uri else None
            if uri and tid is None:
                c.add("conceptUri", f"not an ESCO concept URI: {uri!r}")
            if tid in seen:
                c.add("conceptUri", f"duplicate id {uri!r} (first on line {seen[tid]})")
            if not c.ok or tid is None:
                parsed.reject_record(table, rec, c.problems)
                continue
            seen[tid] = rec.line
            topic = topics.setdefault(tid, {"id": tid, "source_row": rec.line, "source_file": table.name, "tags": [],
                                            "set": {"name": label, "kind": "esco", "uri": uri}})
            topic["tags"].append(tag)
            if rec.get("skillType"):
                topic["set"]["skill_type"] = rec.get("skillType")
        parsed.add_table(table)
    if not parsed.files:
        parsed.warnings.append(f"{folder}: no ESCO collection file ({', '.join(COLLECTIONS.values())})")
    parsed.tables["topics"] = list(topics.values())
    return parsed
