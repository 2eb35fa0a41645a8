"""Residency planner benchmark: 500 applicants, 200 hosts, 4 periods (target: ≤ 5 s).

    python -m bench.residency [--save F] [--baseline F] [--applicants N] [--hosts N] [--repeat N]

Random but plausible instances (seeded): hosts and applicants spread over the three
territories with their usual languages, 30 topics, ranked preferences for most
applicants, graph proximity for a third of the pairs. Each case is timed end to end
(building the instance, solving, explaining).
"""

from __future__ import annotations

import itertools
import random
import statistics

from bench._common import finish, parser, timer
from graphsvc.residency import Applicant, Host, Options, plan
from graphsvc.residency.solve import SCALE, Instance

TERRITORY_LANGUAGES = {"ES21": ["eu", "es", "en"], "ES22": ["es", "eu", "en"], "FRI": ["fr", "en", "es", "oc"]}
TOPICS = [f"topic-{i}" for i in range(30)]
PERIODS = ["2025-1", "2025-2", "2026-1", "2026-2"]


def instance(n_apps: int, n_hosts: int, seed: int, n_topics: int = len(TOPICS)) -> tuple[list[Host], list[Applicant], dict[tuple[str, str], float]]:
    rnd = random.Random(seed)
    topics = TOPICS[:n_topics]
    terr = list(TERRITORY_LANGUAGES)

    def langs(t: str) -> tuple[str, ...]:
        pool = TERRITORY_LANGUAGES[t]
        return tuple(rnd.sample(pool, rnd.randint(1, len(pool))))

    hosts = []
    for i in range(n_hosts):
        t = rnd.choice(terr)
        hosts.append(Host(f"h{i}", f"Host {i}", t, rnd.randint(1, 3), tuple(sorted(rnd.sample(PERIODS, rnd.randint(1, 4)))),
                          langs(t), tuple(rnd.sample(topics, min(n_topics, rnd.randint(3, 6)))), f"org:h{i}",
                          tuple(f"a{j}" for j in rnd.sample(range(n_apps), rnd.randint(0, min(5, n_apps))))))
    apps = []
    for i in range(n_apps):
        t = rnd.choice(terr)
        prefs = tuple(h.id for h in rnd.sample(hosts, rnd.randint(0, min(5, len(hosts)))))
        apps.append(Applicant(f"a{i}", f"Applicant {i}", t, langs(t), tuple(rnd.sample(PERIODS, rnd.randint(1, 3))),
                              tuple(rnd.sample(topics, min(n_topics, rnd.randint(1, 4)))), f"org:a{i}", prefs))
    prox = {(a.organisation or "", h.organisation or ""): round(rnd.random(), 2)
            for a in apps for h in hosts if rnd.random() < 0.33}
    return hosts, apps, prox


def brute_force(hosts: list[Host], apps: list[Applicant], opts: Options) -> tuple[int, int]:
    """(placed, total fit points) of the best assignment, by trying them all."""
    inst = Instance(hosts, apps, opts)
    choices = [[None] + [(h, p) for h in hosts for p in inst.periods(a, h)] for a in apps]
    best = (0, 0)
    for combo in itertools.product(*choices):
        used: dict[tuple[str, str], int] = {}
        for pick in combo:
            if pick is not None:
                used[(pick[0].id, pick[1])] = used.get((pick[0].id, pick[1]), 0) + 1
        if any(n > inst.host[h].places for (h, _), n in used.items()):
            continue
        best = max(best, (sum(1 for p in combo if p),
                          sum(inst.fit(a, p[0]).points for a, p in zip(apps, combo, strict=True) if p)))
    return best


def small_checks(n: int) -> dict[str, object]:
    """Optimal totals against brute force on ``n`` small random instances."""
    agree = 0
    for seed in range(n):
        hosts, apps, prox = instance(6, 3, seed=1000 + seed, n_topics=5)
        hosts = [Host(h.id, h.name, h.territory, 1, h.periods[:2], h.languages, h.topics, h.organisation) for h in hosts]
        opts = Options(proximity=prox)
        result = plan(hosts, apps, opts)
        if (len(result.assignments), round(result.total * SCALE)) == brute_force(hosts, apps, opts):
            agree += 1
    return {"case": "small-vs-brute-force", "applicants": 6, "hosts": 3, "periods": 2, "instances": n,
            "agree": agree, "ok": agree == n}


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--applicants", type=int, default=500)
    p.add_argument("--hosts", type=int, default=200)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--small", type=int, default=30, help="small instances checked against brute force")
    args = p.parse_args()
    hosts, apps, prox = instance(args.applicants, args.hosts, seed=7)
    places = sum(h.places * len(h.periods) for h in hosts)
    cases = [
        ("optimal", dict(mode="optimal"), "auto"),
        ("optimal-flow", dict(mode="optimal"), "flow"),
        ("stable", dict(mode="stable"), "auto"),
        ("optimal-no-cross-border", dict(mode="optimal", cross_border=False), "auto"),
    ]
    rows = []
    for name, kw, solver in cases:
        opts = Options(proximity=prox, **kw)  # type: ignore[arg-type]
        times = []
        for _ in range(args.repeat):
            with timer() as t:
                result = plan(hosts, apps, opts, solver=solver)  # type: ignore[arg-type]
            times.append(t["seconds"])
        rows.append({"case": name, "applicants": len(apps), "hosts": len(hosts), "periods": len(PERIODS),
                     "places": places, "placed": len(result.assignments), "total_fit": round(result.total, 2),
                     "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3),
                     "target_s": 5.0, "ok": max(times) <= 5.0})
    small = small_checks(args.small)
    print(f"optimal vs brute force on {small['instances']} small instances (6 applicants, 3 hosts): "
          f"{small['agree']} agree")
    finish(args, rows, {"seed": 7, "small_checks": small})


if __name__ == "__main__":
    main()
