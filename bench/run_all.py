"""Run the benchmarks that are safe to run anywhere, each against its baseline
(``make bench``).

    python -m bench.run_all [--db] [--only NAME,...] [--list]

Without ``--db`` only the benchmarks that need no database run: ``residency``,
``maps`` (on its synthetic graph) and ``kinds`` (reads ``../shared/data``). With
``--db`` the ones that read the graph ``NEO4J_URI`` points at run too: ``suggest``,
``directory``, ``web`` and ``backtest``; ``suggest``, ``directory`` and ``web`` load the
bundled data only into an **empty** graph (``--load-demo``), so a graph that holds data
is only read.

Never run here, because they empty a graph or start and stop servers: ``load_cordis``,
``analyse --load-cordis`` and ``neo4j_start``, and the 60-second ``load_web``. Run them
by hand on a bench database (commands in the README's benchmark table).

Each benchmark prints its own table and its comparison with
``bench/baselines/NAME.json``; this script then prints one line per benchmark (exit
status and seconds) and exits 1 if any of them failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BASELINES = Path(__file__).resolve().parent / "baselines"

#: name -> (needs the database, extra arguments)
BENCHMARKS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "residency": (False, ()),
    "maps": (False, ("--runs", "3")),
    "kinds": (False, ()),
    "resolve": (False, ("--demo",)),
    "suggest": (True, ("--load-demo",)),
    "directory": (True, ("--load-demo",)),
    "web": (True, ("--load-demo", "--clients", "20", "--seconds", "30")),
    "backtest": (True, ()),
}


def command(name: str) -> list[str]:
    """The command line of one benchmark, with its baseline when there is one.

    >>> command("kinds")[1:]
    ['-m', 'bench.kinds', '--baseline', '...kinds.json']
    """
    cmd = [sys.executable, "-m", f"bench.{name}", *BENCHMARKS[name][1]]
    baseline = BASELINES / f"{name}.json"
    if baseline.is_file():
        cmd += ["--baseline", str(baseline)]
    return cmd


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", action="store_true", help="also run the benchmarks that read the graph at NEO4J_URI")
    p.add_argument("--only", help="comma-separated names (default: all that apply)")
    p.add_argument("--list", action="store_true", help="print the commands and run nothing")
    args = p.parse_args(argv)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            p.error(f"unknown benchmark {', '.join(unknown)}: choose among {', '.join(BENCHMARKS)}")
    else:
        names = [n for n, (db, _) in BENCHMARKS.items() if args.db or not db]
    if args.list:
        for n in names:
            print(" ".join(command(n)))
        return 0
    results = []
    for n in names:
        print(f"\n=== bench.{n}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(command(n))
        results.append((n, rc, time.perf_counter() - t0))
    print("\nbenchmark   status  seconds")
    for n, rc, s in results:
        print(f"{n:<11} {'ok' if rc == 0 else f'exit {rc}':<7} {s:7.1f}")
    return 1 if any(rc for _, rc, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())
