"""Entity resolution: the same organisation from several sources becomes one node.

1. PIC first: parsers give every record with a PIC the id ``pic:<PIC>``.
2. Otherwise the normalised name plus the city: a record whose ``name_key`` and city
   match an organisation already in the graph (or a PIC record of the same load) takes
   that organisation's id; when one side has no city, the country must match instead.
3. Otherwise a record merged into an organisation by an earlier load goes there again.
4. Otherwise abbreviations (:func:`same_abbreviated`): a record whose name is another
   organisation's with words shortened (``ESK.POLITEK.`` for ``ESKOLA POLITEKNIKOA``) or
   another legal form (``A/S``, ``e.V.``, ``Sociedad Limitada``), in a compatible place
   (as in 2), takes that organisation's id, but only when exactly one organisation
   matches it and no other record of the same load matches that organisation.
5. Otherwise the record keeps its own source id.

Two records of the same source (same id prefix) are never merged with each other, and a
record already written under its own id stays there, so a reload is idempotent.

A record merged into another node leaves its own id as an alias (``aliases``) so the
templates can keep referring to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from graphsvc.db import Graph
from loaders.normalise import city_key, name_tokens

__all__ = ["resolve_organisations", "compatible", "same_abbreviated", "abbreviation_merges"]

#: Names of fewer words (after legal forms) never match by abbreviation.
MIN_WORDS = 2
#: Two names match by abbreviation only if they share a whole word of this many letters
#: at the same place (``EL.EN.`` is not ``ELECTRIC ENERGY``).
MIN_ANCHOR = 3


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


def _same_word(a: str, b: str) -> bool:
    if a.rstrip(".") == b.rstrip("."):
        return True
    short, full = (a, b) if len(a) < len(b) else (b, a)
    # Only a word written with a dot abbreviates, and only a word it begins.
    return short.endswith(".") and full.rstrip(".").startswith(short[:-1])


def same_abbreviated(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two names (:func:`~loaders.normalise.name_tokens`) are the same once
    abbreviations are read as the words they begin.

    The names must have as many words (at least :data:`MIN_WORDS`), each word of one
    must be the word of the other at the same place, or an abbreviation (a word written
    with a final dot) of it, and one word of :data:`MIN_ANCHOR` letters or more must be
    written in full in both.

    >>> from loaders.normalise import name_tokens as t
    >>> same_abbreviated(t("MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP"),
    ...                  t("MONDRAGON GOI ESKOLA POLITEKNIKOA J.M.A. S.COOP."))
    True
    >>> same_abbreviated(t("Forschungsinstitut Ges. mbH"), t("FORSCHUNGSINSTITUT GESELLSCHAFT MBH"))
    True
    >>> same_abbreviated(t("CHR. HANSEN A/S"), t("CHR. HANSEN AS"))
    True
    >>> same_abbreviated(t("UNIV NAVARRA"), t("UNIVERSIDAD DE NAVARRA"))  # not as many words
    False
    >>> same_abbreviated(t("ESK POLITEKNIKOA"), t("ESKOLA POLITEKNIKOA"))  # no dot: not an abbreviation
    False
    >>> same_abbreviated(t("Univ."), t("University"))  # too short to tell
    False
    >>> same_abbreviated(t("EL.EN. S.p.A."), t("ELECTRIC ENERGY S.p.A."))  # no whole word in common
    False
    """
    if len(a) != len(b) or len(a) < MIN_WORDS:
        return False
    anchored = any(x == y and len(x) >= MIN_ANCHOR and not x.endswith(".") for x, y in zip(a, b, strict=True))
    return anchored and all(_same_word(x, y) for x, y in zip(a, b, strict=True))


def _prefix(org_id: str) -> str:
    return org_id.split(":", 1)[0] + ":"


def abbreviation_merges(rows: Iterable[dict[str, Any]], candidates: Iterable[dict[str, Any]],
                        taken: Iterable[str] = ()) -> dict[str, str]:
    """Which records take the id of an organisation by abbreviation (step 4 above).

    ``rows`` are the records of one load still unresolved (``id``, ``name``, ``city``,
    ``country``); ``candidates`` the organisations they may join (``id``, ``name``,
    ``city``, ``country``, ``aliases``); ``taken`` the organisations that another record
    of this load joins already. Returns record id -> organisation id.

    A record merges only when exactly one organisation matches it (name by
    :func:`same_abbreviated`, place by :func:`compatible`), that organisation holds no
    record of the record's source, is not in ``taken``, and no other record matches it.

    >>> org = {"id": "pic:1", "name": "ESKOLA POLITEKNIKOA S.COOP.", "city": "Arrasate", "country": "ES"}
    >>> rows = [{"id": "eus:1", "name": "ESK. POLITEKNIKOA", "city": "Arrasate", "country": "ES"}]
    >>> abbreviation_merges(rows, [org])
    {'eus:1': 'pic:1'}
    >>> abbreviation_merges(rows, [org, {**org, "id": "h2020:a", "city": None}])  # two candidates
    {}
    >>> abbreviation_merges(rows + [{**rows[0], "id": "eus:2"}], [org])  # two records for one
    {}
    """
    index: dict[tuple[str, int], list[tuple[tuple[str, ...], dict[str, Any]]]] = defaultdict(list)
    for c in candidates:
        words = name_tokens(c.get("name") or "")
        if len(words) >= MIN_WORDS:
            index[words[0][0], len(words)].append((words, c))
    proposed: dict[str, str] = {}
    for r in rows:
        words = name_tokens(r.get("name") or "")
        if len(words) < MIN_WORDS:
            continue
        found = {c["id"]: c for w, c in index.get((words[0][0], len(words)), [])
                 if c["id"] != r["id"] and same_abbreviated(words, w) and compatible(c, r)}
        if len(found) != 1:
            continue  # none, or ambiguous
        (cid, c), = found.items()
        own = _prefix(r["id"])
        if cid.startswith(own) or any(a.startswith(own) for a in c.get("aliases") or ()):
            continue  # that organisation holds a record of this source already
        proposed[r["id"]] = cid
    claims: dict[str, int] = defaultdict(int)
    for cid in proposed.values():
        claims[cid] += 1
    blocked = set(taken)
    return {rid: cid for rid, cid in proposed.items() if claims[cid] == 1 and cid not in blocked}


def _rank(org_id: str) -> tuple[int, str]:
    return (0 if org_id.startswith("pic:") else 1, org_id)


def _name(row: dict[str, Any]) -> str | None:
    return (row.get("set") or {}).get("name") or (row.get("fill") or {}).get("name")


def resolve_organisations(graph: Graph | None, rows: Sequence[dict[str, Any]], *,
                          abbreviations: bool = True) -> int:
    """Give rows without a PIC the id of the organisation they match; return how many.

    Each row carries ``match = {name_key, city, country}`` and its name in ``set`` or
    ``fill``; rows with ``set.pic`` are never remapped but are candidates for the others.
    ``abbreviations=False`` leaves out the second, abbreviation-aware step (the
    benchmark measures what it adds).
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
    pending: list[dict[str, Any]] = []
    taken: set[str] = set()  # organisations that a record of this load joins
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
            taken.add(found[0])
            merged += 1
        else:
            pending.append(r)
    if not abbreviations:
        return merged
    return merged + _resolve_abbreviations(graph, rows, pending, taken)


def _resolve_abbreviations(graph: Graph | None, rows: Sequence[dict[str, Any]], pending: list[dict[str, Any]],
                           taken: set[str]) -> int:
    """Steps 3 and 4 for the rows the name_key step left alone; return how many moved."""
    merged = 0
    if graph is not None and pending:
        seen: dict[str, set[str]] = defaultdict(set)
        for e in graph.read("load/org_seen", ids=sorted(r["id"] for r in pending)):
            seen[e["ref"]].add(e["id"])
        left = []
        for r in pending:
            where = seen.get(r["id"], set())
            if len(where) == 1 and r["id"] not in where:  # merged by an earlier load: the same node again
                r["alias"], r["id"] = r["id"], next(iter(where))
                merged += 1
            elif not where:
                left.append(r)
            # else written before under its own id (or, oddly, merged twice): keep it where it is
        pending = left
    query = {r["id"]: _record(r) for r in pending if _name(r)}
    if not query:
        return merged
    pool: dict[str, dict[str, Any]] = {}
    if graph is not None:
        # A name and its abbreviation begin with the same letter: the organisations of the
        # record's country whose name_key begins with its letter are all it can match.
        blocks = {(r["match"]["name_key"][:1], r["match"].get("country") or "") for r in pending if r["id"] in query}
        params = [{"initial": initial, "country": country or None} for initial, country in sorted(blocks)]
        for c in graph.read("load/org_candidates", blocks=params):
            pool[c["id"]] = c
    for r in rows:
        if r.get("set", {}).get("pic") and _name(r):
            pool.setdefault(r["id"], _record(r) | {"aliases": []})
    by_id = {r["id"]: r for r in pending}
    for rid, cid in abbreviation_merges(query.values(), pool.values(), taken).items():
        r = by_id[rid]
        r["alias"], r["id"] = r["id"], cid
        merged += 1
    return merged


def _record(row: dict[str, Any]) -> dict[str, Any]:
    m = row.get("match") or {}
    return {"id": row["id"], "name": _name(row), "city": m.get("city"), "country": m.get("country")}
