"""Web pages under load: p95 of the dashboard, a directory search and an organisation page
with 20 concurrent clients on loopback (target: at most 150 ms each, no errors).

The app is served by waitress in a separate process (as ``lotura serve`` does), over the
graph that ``NEO4J_URI`` (or ``LOTURA_HOME``'s local server) holds, which should be the
demo data (``--load-demo`` loads it into an empty graph). Each client thread keeps one
HTTP/1.1 connection and loops over a mix of requests: the dashboard, directory searches
over ``--terms`` name words drawn from the graph, and the pages of ``--orgs``
organisations of the Euroregion drawn from the graph, in random order (fixed seed).

Two phases are reported: ``cold``, the first pass over every distinct URL (nothing
cached yet, the graph read on each request), and ``steady``, ``--seconds`` of load after
it. ``--no-page-cache`` serves without the rendered-page cache (data still cached).

    python -m bench.web [--clients 20] [--seconds 20] [--orgs 300] [--terms 40] [--save F]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from functools import partial
from typing import Any

from bench import _http
from bench._common import finish, parser, summary_ms
from graphsvc.db import Graph

TARGET_P95_MS = 150.0
SEED = 7
TIMEOUT = 30.0  # seconds a request may take
LANGUAGE = "eu,es;q=0.8"  # each request's Accept-Language


def serve(port: int, page_cache: bool, threads: int) -> None:
    """The server process: the real app under waitress (as ``lotura serve``)."""
    _http.serve(port, threads, "lotura-bench", {"LOTURA_PAGE_CACHE": "1" if page_cache else "0"})


def _workload(graph: Graph, n_orgs: int, n_terms: int) -> dict[str, list[str]]:
    """The URLs of each case, drawn from the graph with a fixed seed."""
    missing = (
        "the graph holds no organisation of the Euroregion: load the demo data first "
        "(python -m bench.web --load-demo)"
    )
    ids, words = _http.draw(graph, SEED, missing)
    return _http.page_urls(ids, words, n_orgs, n_terms)


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--orgs", type=int, default=300, help="distinct organisation pages")
    p.add_argument("--terms", type=int, default=40, help="distinct directory searches")
    p.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    p.add_argument("--no-page-cache", action="store_true")
    p.add_argument("--load-demo", action="store_true", help="load the bundled data first if the graph is empty")
    p.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        serve(args.serve, not args.no_page_cache, args.threads)
        return 0

    graph = _http.open_graph(args.load_demo)
    work = _workload(graph, args.orgs, args.terms)
    graph.close()

    port = _http.free_port()
    cmd = [sys.executable, "-m", "bench.web", "--serve", str(port), "--threads", str(args.threads)]
    if args.no_page_cache:
        cmd.append("--no-page-cache")
    server = subprocess.Popen(cmd)
    try:
        _http.wait_up(port, 60.0, "the web server did not come up (is Neo4j running? NEO4J_URI?)")
        jobs = [(case, url) for case, urls in work.items() for url in urls]
        rng = random.Random(SEED)
        rng.shuffle(jobs)
        load = partial(_http.run, port, jobs, args.clients, seed=SEED, timeout=TIMEOUT, language=LANGUAGE)
        cold = load(None)
        steady = load(args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)

    rows: list[dict[str, Any]] = []
    ok = True
    for phase, res in (("cold", cold), ("steady", steady)):
        for case in work:
            s = res.samples.get(case, [])
            summ = summary_ms(s)
            errors = sum(res.errors.get(case, {}).values())
            passed = errors == 0 and (phase == "cold" or summ["p95_ms"] <= TARGET_P95_MS)
            ok &= passed
            rows.append({"case": f"{phase}: {case}", **summ, "errors": errors,
                         "req_per_s": round(len(s) / res.wall, 1) if res.wall else 0.0,
                         "target": "-" if phase == "cold" else ("ok" if passed else "MISSED")})
    finish(args, rows, {"clients": args.clients, "seconds": args.seconds, "orgs": args.orgs,
                        "terms": args.terms, "page_cache": not args.no_page_cache, "threads": args.threads})
    for phase, res in (("cold", cold), ("steady", steady)):
        if res.statuses:
            print(f"{phase}: failed requests by status: {res.statuses}")
    print(f"\ntarget: steady p95 <= {TARGET_P95_MS:.0f} ms with {args.clients} clients and no errors: "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
