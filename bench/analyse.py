"""``lotura analyse`` on the whole ES/FR CORDIS subset (target: at most 60 s).

The graph ``NEO4J_URI`` points at should hold the CORDIS Horizon Europe subset loaded by
the loaders; ``--load-cordis DIR`` empties the graph first and runs
``lotura load cordis DIR`` (destructive: only on a bench database). Each engine given is
timed end to end (read, compute, write back), as ``lotura analyse --engine E`` runs it.

    python -m bench.analyse [--load-cordis ../shared/data/cordis_horizon_europe] [--engines networkx,gds]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench._common import finish, parser
from graphsvc.analytics import analyse
from graphsvc.db import Graph
from graphsvc.settings import Settings

TARGET_S = 60.0


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--load-cordis", metavar="DIR", help="empty the graph and load this CORDIS folder first")
    p.add_argument("--engines", default="networkx,gds")
    args = p.parse_args(argv)
    with Graph.from_settings(Settings.from_env()) as graph:
        if args.load_cordis:
            graph.clear()
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lotura.cli", "load", "cordis", args.load_cordis],
                           check=True, env=os.environ.copy())
            print(f"loaded {args.load_cordis} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        rows = []
        for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
            if engine == "gds" and not graph.has_procedure("gds."):
                print("skipping gds: no Graph Data Science plugin on this server", file=sys.stderr)
                continue
            t0 = time.perf_counter()
            s = analyse(graph, engine=engine, progress=lambda m: print(f"... {m}", file=sys.stderr))
            seconds = time.perf_counter() - t0
            rows.append({"case": engine, "seconds": round(seconds, 1), "organisations": s["organisations"],
                         "ties": s["ties"], "communities": s["communities"], "brokers": s["brokers"],
                         "betweenness_samples": s["betweenness_samples"],
                         "steps": " ".join(f"{k}={v}" for k, v in s["timings"].items())})
        finish(args, rows, {"target_s": TARGET_S})
        for r in rows:
            print(f"{r['case']}: {r['seconds']} s: {'meets' if r['seconds'] <= TARGET_S else 'MISSES'} "
                  f"the {TARGET_S:.0f} s target")


if __name__ == "__main__":
    main()
