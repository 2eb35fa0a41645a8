"""Entity resolution: the same organisation from several sources becomes one node.

1. PIC first: parsers give every record with a PIC the id ``pic:<PIC>``.
2. Otherwise the normalised name plus the city: a record whose ``name_key`` and city
   match an organisation already in the graph (or a PIC record of the same load) takes
   that organisation's id; when one side has no city, the country must match instead.
3. Otherwise the record keeps its own source id.

Two records of the same source (same id prefix) are never merged with each other, and a
record already written under its own id stays there, so a reload is idempotent.

A record merged into another node leaves its own id as an alias (``aliases``) so the
templates can keep referring to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from graphsvc.db import Graph
from loaders.normalise import city_key

__all__ = ["resolve_organisations", "compatible"]


def compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two records with the same ``name_key`` are the same organisation.

    >>> compatible({"city": "PAU CEDEX", "country": "FR"}, {"city": "Pau", "country": "FR"})
    True
    >>> compatible({"city": "Bilbao", "country": "ES"}, {"city": "Leioa", "country": "ES"})
    False
    >>> compatible({"city": None, "country": "ES"}, {"city": "Leioa", "country": "ES"})
    True
    """
    ca, cb = city_key(a.get("city")), city_key(b.get("city"))
    if ca and cb:
        return ca == cb
    na, nb = (a.get("country") or "").upper(), (b.get("country") or "").upper()
    return bool(na and nb and na == nb)


def _rank(org_id: str) -> tuple[int, str]:
    return (0 if org_id.startswith("pic:") else 1, org_id)


def resolve_organisations(graph: Graph | None, rows: Sequence[dict[str, Any]]) -> int:
    """Give rows without a PIC the id of the organisation they match; return how many.

    Each row carries ``match = {name_key, city, country}``; rows with ``set.pic`` are
    never remapped but are candidates for the others.
    """
    candidates: dict[str, list[dict[str, Any]]] = defaultdict(list)
    keys = sorted({r["match"]["name_key"] for r in rows if r.get("match", {}).get("name_key")})
    if graph is not None and keys:
        for e in graph.read("load/org_match", keys=keys):
            candidates[e["name_key"]].append(e)
    for r in rows:
        m = r.get("match") or {}
        if r.get("set", {}).get("pic") and m.get("name_key"):
            candidates[m["name_key"]].append({"id": r["id"], **m})
    merged = 0
    for r in rows:
        m = r.get("match") or {}
        if r.get("set", {}).get("pic") or not m.get("name_key"):
            continue
        same = [c for c in candidates.get(m["name_key"], []) if compatible(c, m)]
        if any(c["id"] == r["id"] for c in same):
            continue  # written before under its own id: keep it there (idempotent reloads)
        own_source = r["id"].split(":", 1)[0] + ":"
        # Two records of one source are two organisations by definition (two VET centres
        # with the same name in one town), so only other sources' nodes are candidates.
        found = sorted({c["id"] for c in same if not c["id"].startswith(own_source)}, key=_rank)
        if found:
            r["alias"] = r["id"]
            r["id"] = found[0]
            merged += 1
    return merged
