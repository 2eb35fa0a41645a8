"""Warm start time of the local Neo4j (jars already fetched): median of N starts.

    python -m bench.neo4j_start [--runs 5] [--cold-fetch] [--save F] [--baseline F]

``--cold-fetch`` also times a fetch into an empty jar cache (Maven still uses ~/.m2;
remove ~/.m2/repository/org/neo4j first for a truly cold fetch).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench._common import finish, parser
from graphsvc import server
from graphsvc.settings import Settings


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--cold-fetch", action="store_true")
    args = p.parse_args()
    base = Settings.from_env()
    rows = []
    if args.cold_fetch:
        cache = Path(tempfile.mkdtemp(prefix="lotura-cache-"))
        s = replace(base, cache=cache)
        t0 = time.perf_counter()
        server.fetch(s)
        info = server.fetch_info(s)
        rows.append({"case": "fetch (empty jar cache)", "seconds": round(time.perf_counter() - t0, 1),
                     "jars": info["jars"], "MB": round(int(info["bytes"]) / 1e6)})
        shutil.rmtree(cache, ignore_errors=True)
    server.fetch(base)
    info = server.fetch_info(base)
    times = []
    for _ in range(args.runs):
        home = Path(tempfile.mkdtemp(prefix="lotura-bench-home-"))
        s = replace(base, home=home, bolt_port=server.free_port())
        t0 = time.perf_counter()
        server.start(s)
        times.append(time.perf_counter() - t0)
        t1 = time.perf_counter()
        server.stop(s)
        stop_s = time.perf_counter() - t1
        shutil.rmtree(home, ignore_errors=True)
    rows.append({"case": f"warm start to RETURN 1 (median of {args.runs})", "seconds": round(statistics.median(times), 1),
                 "jars": info["jars"], "MB": round(int(info["bytes"]) / 1e6)})
    rows.append({"case": "clean stop (last run)", "seconds": round(stop_s, 1), "jars": "", "MB": ""})
    finish(args, rows, {"starts": [round(t, 2) for t in times]})


if __name__ == "__main__":
    main()
