"""Precision and coverage of the kinds guessed from names (``loaders/kinds.py``).

    python -m bench.kinds [--cordis DIR] [--h2020 DIR] [--rules] [--errors N] [--save F] [--baseline F]

The truth is the kind CORDIS Horizon Europe gives each organisation (``activityType``
mapped as the loader maps it: HES university, REC research, PRC company, PUB public,
OTH or empty other), one row per PIC of ``organization.csv``.

The organisations are split in two halves by a hash of their PIC with a fixed seed
(:data:`SEED`). The rules were written and narrowed looking at the **tune** half only;
the **held-out** half is the one to report. Each half is measured twice:

* ``HE``: the name as CORDIS Horizon Europe spells it;
* ``H2020``: the name as the early H2020 snapshot spells it, for the snapshot's
  organisations whose PIC CORDIS Horizon Europe knows (the spelling the guess is made
  on in a load).

``H2020 unknown`` is the snapshot's organisations whose PIC CORDIS Horizon Europe does
not know (or that have no PIC): how many of them get a kind (no truth, so no precision).

Per kind: ``orgs`` (organisations of that kind), ``predicted`` (names guessed as that
kind), ``correct``, ``precision`` (correct / predicted), ``coverage`` (correct / orgs).
The ``all`` row: coverage is correct / all organisations; ``answered`` is the share
that get any kind.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import _common
from bench._common import finish, open_table, parser, print_table
from loaders.cordis import KIND_OF_ACTIVITY
from loaders.kinds import INFERRED_KINDS, RULES, match_rule

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DEFAULT_CORDIS = SHARED / "cordis_horizon_europe"
DEFAULT_H2020 = SHARED / "cordis_h2020_early_snapshot_2016"
#: Seed of the split into halves (a PIC's half never changes).
SEED = "lotura-kinds"
KINDS = ("university", "research", "company", "public", "other")

Org = tuple[str, str, str | None]  # name, country, true kind (None: unknown)


def half(pic: str) -> str:
    return _common.half(pic, SEED)


def read_cordis(folder: Path) -> dict[str, Org]:
    """PIC -> (name, country, kind) from ``organization.csv``: the first row of each PIC."""
    out: dict[str, Org] = {}
    with open_table(folder, "organization", "csv") as fh:
        for rec in csv.DictReader(fh, delimiter=";"):
            pic = rec["organisationID"]
            if pic and pic not in out:
                activity = rec.get("activityType") or ""
                out[pic] = (rec["name"], rec["country"], KIND_OF_ACTIVITY.get(activity, "other"))
    return out


def read_h2020(folder: Path) -> Iterator[tuple[str, str, str]]:
    """(id, name, country) of each organisation of ``unique_org.tsv``."""
    with open_table(folder, "unique_org", "tsv") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            yield rec["new_org_id"], rec["name"], rec["country"]


def measure(orgs: list[Org], label: str) -> list[dict[str, Any]]:
    """One row per kind and one ``all`` row for one set of organisations."""
    actual: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for name, country, truth in orgs:
        rule = match_rule(name, country)
        guess = rule.kind if rule else None
        if truth:
            actual[truth] += 1
        if guess:
            predicted[guess] += 1
            correct[guess] += guess == truth
    known = bool(actual)
    rows = []
    for kind in KINDS if known else INFERRED_KINDS:
        rows.append(_row(f"{label} / {kind}", actual[kind] if known else None, predicted[kind],
                         correct[kind] if known else None))
    total = len(orgs)
    row = _row(f"{label} / all", total if known else None, sum(predicted.values()),
               sum(correct.values()) if known else None)
    row["answered"] = round(sum(predicted.values()) / total, 3) if total else "-"
    if known:
        row["coverage"] = round(sum(correct.values()) / total, 3) if total else "-"
    rows.append(row)
    return rows


def _row(case: str, orgs: int | None, predicted: int, correct: int | None) -> dict[str, Any]:
    return {
        "case": case,
        "orgs": "-" if orgs is None else orgs,
        "predicted": predicted,
        "correct": "-" if correct is None else correct,
        "precision": round(correct / predicted, 3) if correct is not None and predicted else "-",
        "coverage": round(correct / orgs, 3) if correct is not None and orgs else "-",
        "answered": "",
    }


def rule_rows(orgs: list[Org]) -> list[dict[str, Any]]:
    """How often each rule decides, and how often its kind is right (tune half)."""
    hits: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for name, country, truth in orgs:
        rule = match_rule(name, country)
        if rule:
            hits[rule.name] += 1
            right[rule.name] += rule.kind == truth
    return [{"rule": r.name, "kind": r.kind or "(none)", "decides": hits[r.name],
             "precision": round(right[r.name] / hits[r.name], 3) if r.kind and hits[r.name] else "-"}
            for r in RULES]


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--cordis", type=Path, default=DEFAULT_CORDIS, help="CORDIS Horizon Europe folder")
    p.add_argument("--h2020", type=Path, default=DEFAULT_H2020, help="early H2020 snapshot folder")
    p.add_argument("--rules", action="store_true", help="also print each rule's figures on the tune half")
    p.add_argument("--errors", type=int, default=0, metavar="N",
                   help="also print N wrong guesses per kind of the tune half")
    args = p.parse_args(argv)
    he = read_cordis(args.cordis)
    sets: dict[str, list[Org]] = {}
    for split in ("held-out", "tune"):
        sets[f"HE {split}"] = [org for pic, org in sorted(he.items()) if half(pic) == split]
    h2020_known: dict[str, list[Org]] = {"held-out": [], "tune": []}
    unknown: list[Org] = []
    for oid, name, country in read_h2020(args.h2020):
        if oid.isdigit() and oid in he:
            h2020_known[half(oid)].append((name, country, he[oid][2]))
        else:
            unknown.append((name, country, None))
    for split in ("held-out", "tune"):
        sets[f"H2020 {split}"] = h2020_known[split]
    rows = [row for label, orgs in sets.items() for row in measure(orgs, label)]
    rows += measure(unknown, "H2020 unknown")
    meta = {"seed": SEED, "cordis": str(args.cordis), "h2020": str(args.h2020), "rules": len(RULES),
            "sizes": {label: len(orgs) for label, orgs in sets.items()} | {"H2020 unknown": len(unknown)},
            "tuned_on": "the tune half (HE and H2020 names); report the held-out half"}
    print(f"{len(he)} CORDIS Horizon Europe organisations, split by PIC ({SEED!r}): "
          + ", ".join(f"{k} {v}" for k, v in meta["sizes"].items()))
    finish(args, rows, meta)
    if args.rules:
        print("\nRules on the tune half (HE names), in the order they are tried:")
        print_table(rule_rows(sets["HE tune"]), key="rule")
    if args.errors:
        print(f"\nWrong guesses on the tune half (HE names), up to {args.errors} per kind:")
        shown: Counter[str] = Counter()
        for name, country, truth in sets["HE tune"]:
            rule = match_rule(name, country)
            if rule and rule.kind and rule.kind != truth and shown[rule.kind] < args.errors:
                shown[rule.kind] += 1
                print(f"  {rule.kind:<10} ({rule.name}) truth {truth}: {name} [{country}]")


if __name__ == "__main__":
    main()
