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
import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode

from bench._common import finish, parser, summary_ms
from graphsvc.db import Graph
from graphsvc.settings import Settings

TARGET_P95_MS = 150.0
SEED = 7


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int, page_cache: bool, threads: int) -> None:
    """The server process: the real app under waitress (as ``lotura serve``)."""
    import logging

    from waitress import serve as waitress_serve

    from web import create_app

    # "Task queue depth is N" is what a load test does on purpose.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    app = create_app({"LOTURA_PAGE_CACHE": "1" if page_cache else "0"}, settings=_settings())
    waitress_serve(app, host="127.0.0.1", port=port, threads=threads, ident="lotura-bench", _quiet=True)


def _settings() -> Settings:
    s = Settings.from_env()
    uri = os.environ.get("LOTURA_BENCH_NEO4J_URI")
    return replace(s, neo4j_uri=uri) if uri else s


def _wait_up(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the web server did not come up (is Neo4j running? NEO4J_URI?)")


def _workload(graph: Graph, n_orgs: int, n_terms: int) -> dict[str, list[str]]:
    """The URLs of each case, drawn from the graph with a fixed seed."""
    rng = random.Random(SEED)
    rows = graph.read("web/bench_orgs")
    if not rows:
        raise SystemExit("the graph holds no organisation of the Euroregion: load the demo data first "
                         "(python -m bench.web --load-demo)")
    ids = [r["id"] for r in rows]
    rng.shuffle(ids)
    words: list[str] = []
    for r in rows:
        for w in (r["name"] or "").split():
            w = w.strip("(),.-'\"").lower()
            if len(w) >= 4 and w.isalpha() and w not in words:
                words.append(w)
    rng.shuffle(words)
    return {
        "dashboard": ["/dashboard"],
        "directory search": [f"/directory?{urlencode({'q': w})}" for w in words[:n_terms]],
        "organisation page": [f"/org/{quote(i, safe=':')}" for i in ids[:n_orgs]],
    }


class _Client(threading.Thread):
    def __init__(self, port: int, jobs: Sequence[tuple[str, str]], until: float | None) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.jobs = list(jobs)
        self.until = until
        self.samples: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.statuses: dict[str, int] = {}

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        i = 0
        while self.jobs:
            case, url = self.jobs[i % len(self.jobs)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Accept-Language": "eu,es;q=0.8"})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                status = str(resp.status)
            except (OSError, http.client.HTTPException) as exc:
                ok = False
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            dt = time.perf_counter() - t0
            self.samples.setdefault(case, []).append(dt)
            if not ok:
                self.errors[case] = self.errors.get(case, 0) + 1
                self.statuses[status] = self.statuses.get(status, 0) + 1
            if self.until is None:
                if i >= len(self.jobs):
                    break
            elif time.perf_counter() >= self.until:
                break
        conn.close()


def _run(port: int, jobs: list[tuple[str, str]], clients: int, seconds: float | None) -> dict[str, Any]:
    rng = random.Random(SEED)
    if seconds is None:  # one pass: the jobs dealt out to the clients
        shares = [jobs[k::clients] for k in range(clients)]
        until = None
    else:
        shares = []
        for _ in range(clients):
            mine = list(jobs)
            rng.shuffle(mine)
            shares.append(mine)
        until = time.perf_counter() + seconds
    threads = [_Client(port, share, until) for share in shares if share]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    samples: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for t in threads:
        for k, n in t.statuses.items():
            statuses[k] = statuses.get(k, 0) + n
        for k, v in t.samples.items():
            samples.setdefault(k, []).extend(v)
        for k, v in t.errors.items():
            errors[k] = errors.get(k, 0) + v
    return {"samples": samples, "errors": errors, "wall": wall, "statuses": statuses}


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

    graph = Graph.from_settings(_settings())
    if args.load_demo and graph.is_empty():
        from graphsvc.schema import apply_schema
        from loaders.demo import load_demo

        apply_schema(graph)
        load_demo(graph, progress=True)
    work = _workload(graph, args.orgs, args.terms)
    graph.close()

    port = _free_port()
    cmd = [sys.executable, "-m", "bench.web", "--serve", str(port), "--threads", str(args.threads)]
    if args.no_page_cache:
        cmd.append("--no-page-cache")
    server = subprocess.Popen(cmd)
    try:
        _wait_up(port)
        jobs = [(case, url) for case, urls in work.items() for url in urls]
        rng = random.Random(SEED)
        rng.shuffle(jobs)
        cold = _run(port, jobs, args.clients, None)
        steady = _run(port, jobs, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)

    rows: list[dict[str, Any]] = []
    ok = True
    for phase, res in (("cold", cold), ("steady", steady)):
        for case in work:
            s = res["samples"].get(case, [])
            summ = summary_ms(s)
            errors = res["errors"].get(case, 0)
            passed = errors == 0 and (phase == "cold" or summ["p95_ms"] <= TARGET_P95_MS)
            ok &= passed
            rows.append({"case": f"{phase}: {case}", **summ, "errors": errors,
                         "req_per_s": round(len(s) / res["wall"], 1) if res["wall"] else 0.0,
                         "target": "-" if phase == "cold" else ("ok" if passed else "MISSED")})
    finish(args, rows, {"clients": args.clients, "seconds": args.seconds, "orgs": args.orgs,
                        "terms": args.terms, "page_cache": not args.no_page_cache, "threads": args.threads})
    for phase, res in (("cold", cold), ("steady", steady)):
        if res["statuses"]:
            print(f"{phase}: failed requests by status: {res['statuses']}")
    print(f"\ntarget: steady p95 <= {TARGET_P95_MS:.0f} ms with {args.clients} clients and no errors: "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
