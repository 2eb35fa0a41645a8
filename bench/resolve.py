"""Precision and recall of entity resolution by name (``loaders/resolve.py``), with the
truth given by PICs.

    python -m bench.resolve [--cordis DIR] [--h2020 DIR] [--errors N] [--show N] [--demo] [--save F] [--baseline F]

Two sources that give PICs spell the same organisations differently: the early H2020
snapshot (``unique_org.tsv``: name and country) and CORDIS Horizon Europe
(``organization.csv``: name, city and country; the first row of each PIC). Each case
hides the PICs of one source (its records get ids ``h2020:<n>`` or ``he:<n>``, as
records without a PIC have in a load), gives the other source's records as the
organisations already known (``pic:<PIC>``), and runs :func:`resolve_organisations`
exactly as a load does, without a database:

* ``H2020 > HE``: snapshot records resolved against Horizon Europe's organisations
  (the order of a load: the snapshot comes after CORDIS; no city, so the country must
  match);
* ``HE > H2020``: the other way round.

A merge is correct when the record lands on the node of its own PIC. Pairs with the
same PIC are true matches, pairs with different PICs non-matches; a record whose PIC
the other source does not know can only be merged wrongly. The records are split in
two halves by a hash of their PIC (:data:`SEED`); the abbreviation rules were written
looking at the **tune** half only, the **held-out** half is the one to report.

Per case and step (``name_key``: exact normalised name, the rule before; ``abbrev``:
abbreviations and legal forms, :func:`loaders.resolve.same_abbreviated`):
``records``, ``pairs`` (records whose PIC the other source knows), ``respelt`` (of
those, the ones whose ``name_key`` differs: what only ``abbrev`` can find),
``merged``, ``correct``, ``precision`` (correct / merged), ``p_low95`` (Wilson 95%
lower bound of the precision: how sure a small count lets us be), ``recall`` (correct
/ pairs for ``name_key``, correct / respelt for ``abbrev``).

``--demo`` replays the bundled demo load (``data/``) in memory, with and without the
abbreviation step, and lists the merges the step adds (no database; the replay keeps
the id, name, city, country and aliases of each organisation as
``cypher/load/organisations.cypher`` writes them).
"""

from __future__ import annotations

import copy
import csv
import hashlib
import math
from pathlib import Path
from typing import Any

from bench import _common
from bench._common import finish, open_table, parser
from bench.kinds import DEFAULT_CORDIS, DEFAULT_H2020
from graphsvc.text import words
from loaders.normalise import TOKEN_LEGAL_FORMS, name_key
from loaders.resolve import MIN_WORDS, resolve_organisations

#: Seed of the split into halves (a PIC's half never changes).
SEED = "lotura-resolve"
HALVES = ("held-out", "tune")

Record = tuple[str, str, str | None, str]  # pic, name, city, country


def half(pic: str) -> str:
    return _common.half(pic, SEED)


def read_cordis(folder: Path) -> dict[str, Record]:
    """PIC -> record of ``organization.csv``: the first row of each PIC."""
    out: dict[str, Record] = {}
    with open_table(folder, "organization", "csv") as fh:
        for rec in csv.DictReader(fh, delimiter=";"):
            pic = rec["organisationID"]
            if pic.isdigit() and pic not in out:
                out[pic] = (pic, rec["name"], rec["city"] or None, rec["country"])
    return out


def read_h2020(folder: Path) -> dict[str, Record]:
    """PIC -> record of ``unique_org.tsv`` (the organisations that have a PIC; no city)."""
    out: dict[str, Record] = {}
    with open_table(folder, "unique_org", "tsv") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            pic = rec["new_org_id"].strip()
            if pic.isdigit():
                out.setdefault(pic, (pic, rec["name"], None, rec["country"].upper()))
    return out


def _row(oid: str, rec: Record, *, pic: bool) -> dict[str, Any]:
    # The shape the parsers give (loaders/education.py _org_row).
    _, name, city, country = rec
    return {"id": oid, "set": {"pic": rec[0]} if pic else {}, "fill": {"name": name},
            "match": {"name_key": name_key(name), "city": city, "country": country}}


def abbreviate(name: str, pic: str) -> str | None:
    """The name with some of its long words cut to their first letters and a dot, as
    the regional directories write them (``ESK.POLITEK.``), or None when no word was
    cut. Which words and how short come from a hash of the PIC (:data:`SEED`).

    >>> abbreviate("MONDRAGON GOI ESKOLA POLITEKNIKOA S.COOP.", "999855146")
    'MONDR. GOI ESKOLA POL. S.COOP.'
    """
    out, cut = [], False
    for i, word in enumerate(name.split()):
        h = int(hashlib.sha256(f"{SEED}:{pic}:{i}".encode()).hexdigest(), 16)
        keep = 3 + (h >> 1) % 4
        if word.isalpha() and len(word) >= 6 and keep < len(word) - 1 and h % 2 \
                and (words(word),) not in TOKEN_LEGAL_FORMS:
            word, cut = word[:keep] + ".", True
        out.append(word)
    return " ".join(out) if cut else None


def run_case(queries: list[Record], known: dict[str, Record], prefix: str) -> list[dict[str, Any]]:
    """Resolve ``queries`` (PICs hidden) against ``known``; one outcome per query."""
    rows = [_row(f"pic:{pic}", rec, pic=True) for pic, rec in known.items()]
    mine = [_row(f"{prefix}:{i}", rec, pic=False) for i, rec in enumerate(queries)]
    resolve_organisations(None, rows + mine)
    out = []
    for rec, row in zip(queries, mine, strict=True):
        pic, name = rec[0], rec[1]
        target = row["id"] if "alias" in row else None
        step = None
        if target:
            step = "name_key" if name_key(known[target[4:]][1]) == name_key(name) else "abbrev"
        out.append({"pic": pic, "name": name, "target_name": known[target[4:]][1] if target else None,
                    "pair": pic in known,
                    "respelt": pic in known and name_key(known[pic][1]) != name_key(name),
                    "target": target, "step": step, "correct": target == f"pic:{pic}"})
    return out


def wilson_low(correct: int, n: int, z: float = 1.96) -> float:
    """Lower bound of the Wilson score interval of ``correct / n``.

    >>> round(wilson_low(10, 10), 3), round(wilson_low(98, 100), 3)
    (0.722, 0.93)
    """
    if not n:
        return float("nan")
    p = correct / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def measure(outcomes: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
    """The ``name_key`` and ``abbrev`` rows of one case and half."""
    pairs = sum(o["pair"] for o in outcomes)
    respelt = sum(o["respelt"] for o in outcomes)
    rows = []
    for step in ("name_key", "abbrev"):
        merged = [o for o in outcomes if o["step"] == step]
        correct = sum(o["correct"] for o in merged)
        base = pairs if step == "name_key" else respelt
        rows.append({
            "case": f"{label} / {step}", "records": len(outcomes), "pairs": pairs, "respelt": respelt,
            "merged": len(merged), "correct": correct,
            "precision": round(correct / len(merged), 3) if merged else "-",
            "p_low95": round(wilson_low(correct, len(merged)), 3) if merged else "-",
            "recall": round(correct / base, 3) if base else "-",
        })
    return rows


# -- the demo load, replayed in memory ---------------------------------------------------------
class _Replay:
    """The organisations of a load in progress, answering the three reads of
    :func:`resolve_organisations` as ``cypher/load/org_match``, ``org_seen`` and
    ``org_candidates`` do."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        nodes = self.nodes.values()
        if name == "load/org_match":
            keys = set(params["keys"])
            return [n for n in nodes if n["name_key"] in keys]
        if name == "load/org_seen":
            ids = set(params["ids"])
            return ([{"ref": i, "id": i} for i in ids if i in self.nodes]
                    + [{"ref": a, "id": n["id"]} for n in nodes for a in n["aliases"] if a in ids])
        if name == "load/org_candidates":
            found = {n["id"]: n for b in params["blocks"] for n in nodes
                     if (n["name_key"] or "").startswith(b["initial"])
                     and (b["country"] is None or n["country"] == b["country"])}
            return list(found.values())
        raise KeyError(name)

    def write(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            n = self.nodes.setdefault(r["id"], {"id": r["id"], "name": None, "name_key": None, "city": None,
                                                "country": None, "aliases": []})
            s, f = r.get("set") or {}, r.get("fill") or {}
            for k in ("name", "name_key", "city", "country"):
                n[k] = next((v for v in (s.get(k), n[k], f.get(k)) if v is not None), None)
            if r.get("alias") and r["alias"] != n["id"] and r["alias"] not in n["aliases"]:
                n["aliases"].append(r["alias"])


def replay_demo(parts: list[Any], abbreviations: bool) -> dict[str, dict[str, Any]]:
    """The organisations after replaying a load of ``parts`` (parsed sources, in load
    order) with or without the abbreviation step."""
    graph = _Replay()
    for part in parts:
        rows = copy.deepcopy(part.tables.get("organisations", []))
        if rows:
            resolve_organisations(graph, rows, abbreviations=abbreviations)  # type: ignore[arg-type]
            graph.write(rows)
    return graph.nodes


def demo_extra_merges() -> list[tuple[str, str, str, str]]:
    """(record id, its name, node id, the node's name) of each merge the abbreviation
    step adds to the demo load."""
    from loaders.demo import parse_demo

    parts = parse_demo()
    names = {r["id"]: (r.get("set") or {}).get("name") or (r.get("fill") or {}).get("name")
             for part in parts for r in part.tables.get("organisations", [])}
    before = {(a, n["id"]) for n in replay_demo(parts, False).values() for a in n["aliases"]}
    return [(a, names.get(a) or "", n["id"], n["name"] or "")
            for n in sorted(replay_demo(parts, True).values(), key=lambda n: n["id"])
            for a in n["aliases"] if (a, n["id"]) not in before]


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--cordis", type=Path, default=DEFAULT_CORDIS, help="CORDIS Horizon Europe folder")
    p.add_argument("--h2020", type=Path, default=DEFAULT_H2020, help="early H2020 snapshot folder")
    p.add_argument("--errors", type=int, default=0, metavar="N", help="also print N wrong merges of the tune half")
    p.add_argument("--show", type=int, default=0, metavar="N", help="also print N abbreviation merges of the tune half")
    p.add_argument("--demo", action="store_true", help="also list the merges the step adds to the demo load")
    args = p.parse_args(argv)
    he, h2020 = read_cordis(args.cordis), read_h2020(args.h2020)
    cases = {"H2020 > HE": (h2020, he, "h2020"), "HE > H2020": (he, h2020, "he")}
    for label, (queries, known, prefix) in list(cases.items()):
        short = {pic: (pic, name, city, country) for pic, (_, n, city, country) in queries.items()
                 if (name := abbreviate(n, pic))}
        cases[f"{label} (synthetic abbreviations)"] = (short, known, prefix)
    rows: list[dict[str, Any]] = []
    tune: list[dict[str, Any]] = []
    sizes = {}
    for label, (queries, known, prefix) in cases.items():
        for split in HALVES:
            recs = [rec for pic, rec in sorted(queries.items()) if half(pic) == split]
            outcomes = run_case(recs, known, prefix)
            sizes[f"{label} {split}"] = len(recs)
            rows += measure(outcomes, f"{label} {split}")
            if split == "tune":
                tune += [o | {"case": label} for o in outcomes]
    extra = demo_extra_merges() if args.demo else []
    if args.demo:
        rows.append({"case": "demo load (replayed) / abbrev", "records": "-", "pairs": "-", "respelt": "-",
                     "merged": len(extra), "correct": "-", "precision": "-", "p_low95": "-", "recall": "-"})
    meta = {"seed": SEED, "cordis": str(args.cordis), "h2020": str(args.h2020), "sizes": sizes,
            "min_words": MIN_WORDS, "tuned_on": "the tune half; report the held-out half"}
    print(f"{len(he)} CORDIS Horizon Europe and {len(h2020)} H2020 snapshot organisations with a PIC, "
          f"{len(set(he) & set(h2020))} in both; split by PIC ({SEED!r})")
    finish(args, rows, meta)
    if args.errors:
        print(f"\nWrong abbreviation merges of the tune half, up to {args.errors}:")
        for o in [o for o in tune if o["step"] == "abbrev" and not o["correct"]][:args.errors]:
            print(f"  {o['case']}: {o['name']!r} (PIC {o['pic']}) -> {o['target']} {o['target_name']!r}")
    if args.show:
        print(f"\nAbbreviation merges of the tune half, up to {args.show}:")
        for o in [o for o in tune if o["step"] == "abbrev"][:args.show]:
            print(f"  {o['case']} {'ok ' if o['correct'] else 'BAD'} {o['name']!r} -> {o['target']} {o['target_name']!r}")
    if args.demo:
        print(f"\nDemo load (data/, replayed in memory): {len(extra)} merge(s) added by the abbreviation step")
        for rec_id, name, node_id, node_name in extra:
            print(f"  {rec_id} {name!r} -> {node_id} {node_name!r}")


if __name__ == "__main__":
    main()
