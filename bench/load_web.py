"""The web app under load: 50 concurrent clients for 60 s on loopback across the
dashboard, directory searches, organisation pages and partner suggestions (the finder
page and the JSON API), with no errors allowed. Reports p50/p95/p99 and requests per
second, per case and overall.

The app runs in a separate process under waitress with ``lotura serve``'s defaults
(8 worker threads), over the graph that ``NEO4J_URI`` (or ``LOTURA_BENCH_NEO4J_URI``)
points at, which should hold the demo data (``--load-demo`` loads it into an empty
graph). Each client is a thread with one keep-alive HTTP/1.1 connection (http.client)
looping over its own shuffled list of URLs. A cold pass over every distinct URL comes
first (reported apart); then the clients run for ``--seconds``.

All clients share one address, so the per-address API rate limit is raised for the
run (``LOTURA_RATELIMIT_API``): it models many visitors, not one client hammering.

    python -m bench.load_web [--clients 50] [--seconds 60] [--orgs 200] [--save F]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode

from bench import _http
from bench._common import finish, parser, percentile, summary_ms
from graphsvc.db import Graph

SEED = 11
CASES = ("dashboard", "directory search", "organisation page", "finder suggestions", "api suggestions")
TIMEOUT = 60.0  # seconds a request may take
LANGUAGE = "eu,es;q=0.8,en;q=0.5"  # each request's Accept-Language


def serve(port: int, threads: int) -> None:
    """The server process: what ``lotura serve`` runs."""
    _http.serve(port, threads, "lotura")


def workload(graph: Graph, n_orgs: int, n_terms: int) -> dict[str, list[str]]:
    """The URLs of each case, drawn from the graph with a fixed seed."""
    missing = "no organisation of the Euroregion in the graph: load the demo data (--load-demo)"
    ids, words = _http.draw(graph, SEED, missing)
    few = ids[: max(1, n_orgs // 4)]  # suggestions: fewer distinct organisations, they cost more
    return {
        **_http.page_urls(ids, words, n_orgs, n_terms),
        "finder suggestions": [f"/finder?{urlencode({'org': i})}" for i in few],
        "api suggestions": [f"/api/v1/organisations/{quote(i, safe=':')}/suggestions" for i in few],
    }


def rows_of(phase: str, result: _http.Result) -> list[dict[str, Any]]:
    out = []
    everything: list[float] = []
    for case in CASES:
        s = result.samples.get(case, [])
        if not s:
            continue
        everything += s
        errs = sum(result.errors.get(case, {}).values())
        out.append({"case": f"{phase}: {case}", **summary_ms(s), "errors": errs,
                    "rps": round(len(s) / result.wall, 1)})  # fmt: skip
    errs = sum(n for e in result.errors.values() for n in e.values())
    out.append({"case": f"{phase}: all", **summary_ms(everything), "errors": errs,
                "rps": round(len(everything) / result.wall, 1)})  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--orgs", type=int, default=200, help="distinct organisation pages")
    p.add_argument("--terms", type=int, default=40, help="distinct directory searches")
    p.add_argument("--threads", type=int, default=8, help="waitress worker threads (lotura serve: 8)")
    p.add_argument("--load-demo", action="store_true", help="load the bundled data first into an empty graph")
    p.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        serve(args.serve, args.threads)
        return 0

    graph = _http.open_graph(args.load_demo)
    urls = workload(graph, args.orgs, args.terms)
    graph.close()
    jobs = [(case, u) for case in CASES for u in urls.get(case, [])]

    port = _http.free_port()
    env = {**os.environ, "LOTURA_RATELIMIT_API": "1000000 per minute"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.load_web", "--serve", str(port), "--threads", str(args.threads)],
        env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _http.wait_up(port, 90.0, "the web server did not answer /health",
                      proc, "the web server exited; is Neo4j running (NEO4J_URI)?")  # fmt: skip
        load = partial(_http.run, port, jobs, args.clients, seed=SEED, timeout=TIMEOUT, language=LANGUAGE)
        cold = load(None)
        steady = load(args.seconds)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    rows = rows_of("cold", cold) + rows_of("steady", steady)
    finish(args, rows, {"clients": args.clients, "seconds": args.seconds, "threads": args.threads,
                        "distinct_urls": len(jobs)})  # fmt: skip
    errors = {**{f"cold {k}": v for k, v in cold.errors.items()},
              **{f"steady {k}": v for k, v in steady.errors.items()}}  # fmt: skip
    all_steady = [x * 1000 for v in steady.samples.values() for x in v]
    print(f"\n{args.clients} clients, {args.seconds:.0f} s, {args.threads} server threads: "
          f"{len(all_steady) / steady.wall:.1f} requests/s, p50 {percentile(all_steady, 0.5):.0f} ms, "
          f"p95 {percentile(all_steady, 0.95):.0f} ms, p99 {percentile(all_steady, 0.99):.0f} ms")  # fmt: skip
    if errors:
        print(f"ERRORS: {errors}")
        return 1
    print("no errors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
