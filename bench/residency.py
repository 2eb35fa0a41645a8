"""Residency planner benchmark: 500 applicants, 200 hosts, 4 periods (target: ≤ 5 s).

    python -m bench.residency [--save F] [--baseline F] [--applicants N] [--hosts N] [--repeat N]

Random but plausible instances (seeded): hosts and applicants spread over the three
territories with their usual languages, 30 topics, ranked preferences for most
applicants, graph proximity for a third of the pairs. Each case is timed end to end
(building the instance, solving, explaining).
"""

from __future__ import annotations

import random
import statistics

from bench._common import finish, parser, timer
from graphsvc.residency import Applicant, Host, Options, plan

TERRITORY_LANGUAGES = {"ES21": ["eu", "es", "en"], "ES22": ["es", "eu", "en"], "FRI": ["fr", "en", "es", "oc"]}
TOPICS = [f"topic-{i}" for i in range(30)]
PERIODS = ["2025-1", "2025-2", "2026-1", "2026-2"]


def instance(n_apps: int, n_hosts: int, seed: int) -> tuple[list[Host], list[Applicant], dict[tuple[str, str], float]]:
    rnd = random.Random(seed)
    terr = list(TERRITORY_LANGUAGES)

    def langs(t: str) -> tuple[str, ...]:
        pool = TERRITORY_LANGUAGES[t]
        return tuple(rnd.sample(pool, rnd.randint(1, len(pool))))

    hosts = []
    for i in range(n_hosts):
        t = rnd.choice(terr)
        hosts.append(Host(f"h{i}", f"Host {i}", t, rnd.randint(1, 3), tuple(sorted(rnd.sample(PERIODS, rnd.randint(1, 4)))),
                          langs(t), tuple(rnd.sample(TOPICS, rnd.randint(3, 6))), f"org:h{i}",
                          tuple(f"a{j}" for j in rnd.sample(range(n_apps), rnd.randint(0, 5)))))
    apps = []
    for i in range(n_apps):
        t = rnd.choice(terr)
        prefs = tuple(h.id for h in rnd.sample(hosts, rnd.randint(0, 5)))
        apps.append(Applicant(f"a{i}", f"Applicant {i}", t, langs(t), tuple(rnd.sample(PERIODS, rnd.randint(1, 3))),
                              tuple(rnd.sample(TOPICS, rnd.randint(1, 4))), f"org:a{i}", prefs))
    prox = {(a.organisation or "", h.organisation or ""): round(rnd.random(), 2)
            for a in apps for h in hosts if rnd.random() < 0.33}
    return hosts, apps, prox


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--applicants", type=int, default=500)
    p.add_argument("--hosts", type=int, default=200)
    p.add_argument("--repeat", type=int, default=3)
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
    finish(args, rows, {"seed": 7})


if __name__ == "__main__":
    main()
