"""Back-test of the partner suggestions (the table in docs/algorithms.md).

    python -m bench.backtest                       # on the graph NEO4J_URI points at
    python -m bench.backtest --csv ../shared/data/cordis_horizon_europe   # straight from CORDIS CSV
    python -m bench.backtest --fit 2022:2023       # learn the weights on an earlier split first

With ``--csv`` the CORDIS files are read here (organisations by PIC, euroSciVoc and
keyword topics, territory from the NUTS code), without the loaders' entity resolution
or validation: a quick check when no graph is loaded. The reported figures come from
the loaded graph (`lotura load cordis ...`).
"""

from __future__ import annotations

import csv
import json
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

from bench._common import finish, parser
from graphsvc.algorithms.scoring import Weights
from graphsvc.evaluate import backtest, fit_weights, table_rows
from graphsvc.projection import GraphData, fetch, project
from graphsvc.regions import territory_of

KINDS = {"HES": "university", "REC": "research", "PRC": "company", "PUB": "public", "OTH": "other"}


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


def read_h2020(folder: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The early H2020 snapshot (tab-separated): organisations and projects, bench only."""
    def rows(name: str) -> list[dict[str, str]]:
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh, delimiter="\t"))

    projects: dict[str, dict[str, Any]] = {}
    for p in rows("projects.tsv"):
        start = (p.get("startDate") or "")[:4]
        projects[p["rcn"]] = {"id": f"h2020:{p['reference']}", "year": int(start) if start.isdigit() else None,
                              "orgs": set(), "topics": []}
    orgs: dict[str, dict[str, Any]] = {}
    for o in rows("unique_org.tsv"):
        key = o["new_org_id"].strip()
        oid = f"pic:{key}" if key.isdigit() else f"h2020:{key}"
        orgs[key] = {"id": oid, "pic": key if key.isdigit() else None, "name": o.get("name"),
                     "short_name": o.get("shortName"), "kind": "other", "territory": None,
                     "country": o.get("country")}
    for e in rows("edges.tsv"):
        key = e["new_org_id"].strip()
        if e["projectRcn"] in projects and key in orgs:
            projects[e["projectRcn"]]["orgs"].add(orgs[key]["id"])
    out = [{**p, "orgs": sorted(p["orgs"])} for p in projects.values() if p["orgs"]]
    return list(orgs.values()), out


def read_cordis(folder: Path, h2020: Path | None = None) -> GraphData:
    """CORDIS Horizon Europe CSV (``;``-separated) as GraphData, for the bench only."""
    csv.field_size_limit(1 << 30)

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh, delimiter=";"))

    years: dict[str, int | None] = {}
    topics: dict[str, dict[str, Any]] = {}
    about: dict[str, set[str]] = {}
    for p in rows("project.csv"):
        start = (p.get("startDate") or "")[:4]
        years[p["id"]] = int(start) if start.isdigit() else None
        for part in (p.get("keywords") or "").replace(";", ",").split(","):
            label = " ".join(part.split())
            key = "-".join(_fold(label).split())
            if key and len(key) <= 80:
                topics.setdefault(f"kw:{key}", {"id": f"kw:{key}", "name": label, "kind": "keyword"})
                about.setdefault(p["id"], set()).add(f"kw:{key}")
    for r in rows("euroSciVoc.csv"):
        code = (r.get("euroSciVocCode") or "").strip("/")
        if code:
            tid = f"esv:{code}"
            topics.setdefault(tid, {"id": tid, "name": r.get("euroSciVocTitle") or code, "kind": "euroscivoc"})
            about.setdefault(r["projectID"], set()).add(tid)
    orgs: dict[str, dict[str, Any]] = {}
    members: dict[str, set[str]] = {}
    for r in rows("organization.csv"):
        pic = (r.get("organisationID") or "").strip()
        if not pic.isdigit():
            continue
        oid = f"pic:{pic}"
        if oid not in orgs:
            orgs[oid] = {
                "id": oid, "pic": pic, "name": r.get("name"), "short_name": r.get("shortName"),
                "kind": KINDS.get(r.get("activityType") or "", "other"),
                "territory": territory_of(r.get("nutsCode")), "country": r.get("country"),
            }
        members.setdefault(r["projectID"], set()).add(oid)
    projects = [
        {"id": f"he:{pid}", "year": years.get(pid), "orgs": sorted(m), "topics": sorted(about.get(pid, ()))}
        for pid, m in sorted(members.items())
    ]
    if h2020:
        more_orgs, more_projects = read_h2020(h2020)
        for o in more_orgs:
            orgs.setdefault(o["id"], o)
        projects.extend(more_projects)
    return GraphData.build(sorted(orgs.values(), key=lambda o: o["id"]), projects, topics.values())


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--csv", type=Path, help="read CORDIS CSV from this folder instead of the graph")
    p.add_argument("--h2020", type=Path, help="with --csv: add the early H2020 snapshot from this folder")
    p.add_argument("--train-until", type=int, default=2023)
    p.add_argument("--test-from", type=int, default=2024)
    p.add_argument("--test-until", type=int, default=None)
    p.add_argument("--scopes", default="euroregion,abroad")
    p.add_argument("--fit", metavar="TRAIN:TEST",
                   help="first learn the weights on this earlier split (history up to TRAIN, answers in TEST)")
    p.add_argument("--weights", help="JSON object of weights (default: the shipped defaults; --fit replaces them)")
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    args = p.parse_args(argv)

    t0 = time.perf_counter()
    if args.csv:
        data = read_cordis(args.csv, args.h2020)
    else:
        from graphsvc.db import Graph
        from graphsvc.settings import Settings

        with Graph.from_settings(Settings.from_env()) as g:
            data = fetch(g)
    print(f"data: {len(data.orgs)} organisations, {len(data.projects)} projects "
          f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    weights: Weights | None = Weights.from_mapping(json.loads(args.weights)) if args.weights else None
    newcomer = None
    scopes = [s.strip() for s in args.scopes.split(",") if s.strip()]
    if args.fit:
        tr, te = (int(x) for x in args.fit.split(":"))
        t1 = time.perf_counter()
        train = project(data, as_of=tr)  # one projection for both fits
        weights = fit_weights(data, train_until=tr, test_from=te, test_until=te, train=train,
                              progress=lambda m: print(m, file=sys.stderr))
        newcomer = fit_weights(data, train_until=tr, test_from=te, test_until=te, newcomers=True, train=train,
                               progress=lambda m: print(m, file=sys.stderr))
        print(f"newcomer weights {json.dumps({k: round(v, 3) for k, v in newcomer.as_dict().items() if v})}",
              file=sys.stderr)
        print(f"learned on history <= {tr}, answers {te} ({time.perf_counter() - t1:.1f} s): weights "
              f"{json.dumps({k: round(v, 3) for k, v in weights.as_dict().items()})}", file=sys.stderr)
    rows = []
    reports = []
    history = project(data, as_of=args.train_until)  # one training graph for every scope
    for scope in scopes:
        t1 = time.perf_counter()
        rep = backtest(data, train_until=args.train_until, test_from=args.test_from,
                       test_until=args.test_until, scope=scope, weights=weights,
                       newcomer_weights=newcomer, train=history)
        rep["seconds"] = round(time.perf_counter() - t1, 1)
        reports.append(rep)
        print(f"{scope}: {rep['organisations']} organisations, {rep['targets']} new partners, "
              f"{rep['candidates_mean']} candidates each on average ({rep['seconds']} s)", file=sys.stderr)
        rows.extend(table_rows(rep))
    if args.json:
        print(json.dumps(reports, indent=1))
    for row in rows:
        row["case"] = f"{row['scope']}/{row['group']}/{row['method']}"
    finish(args, rows, {"train_until": args.train_until, "test_from": args.test_from,
                        "weights": reports[0]["weights"] if reports else None, "source": str(args.csv or "graph")})


if __name__ == "__main__":
    main()
