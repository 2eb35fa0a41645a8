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

from bench._common import finish, parser, percentile, summary_ms
from graphsvc.db import Graph
from graphsvc.settings import Settings

SEED = 11
CASES = ("dashboard", "directory search", "organisation page", "finder suggestions", "api suggestions")


def _settings() -> Settings:
    s = Settings.from_env()
    uri = os.environ.get("LOTURA_BENCH_NEO4J_URI")
    return replace(s, neo4j_uri=uri) if uri else s


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int, threads: int) -> None:
    """The server process: what ``lotura serve`` runs."""
    import logging

    from waitress.server import create_server

    from web import create_app

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a queue is the point of a load test
    app = create_app(settings=_settings())
    create_server(app, host="127.0.0.1", port=port, threads=threads, ident="lotura").run()


def _wait_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the web server exited; is Neo4j running (NEO4J_URI)?")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the web server did not answer /health")


def workload(graph: Graph, n_orgs: int, n_terms: int) -> dict[str, list[str]]:
    """The URLs of each case, drawn from the graph with a fixed seed."""
    rng = random.Random(SEED)
    rows = graph.read("web/bench_orgs")
    if not rows:
        raise SystemExit("no organisation of the Euroregion in the graph: load the demo data (--load-demo)")
    ids = [r["id"] for r in rows]
    rng.shuffle(ids)
    words: list[str] = []
    for r in rows:
        for w in (r["name"] or "").split():
            w = w.strip("(),.-'\"").lower()
            if len(w) >= 4 and w.isalpha() and w not in words:
                words.append(w)
    rng.shuffle(words)
    orgs = ids[:n_orgs]
    few = ids[: max(1, n_orgs // 4)]  # suggestions: fewer distinct organisations, they cost more
    return {
        "dashboard": ["/dashboard"],
        "directory search": [f"/directory?{urlencode({'q': w})}" for w in words[:n_terms]],
        "organisation page": [f"/org/{quote(i, safe=':')}" for i in orgs],
        "finder suggestions": [f"/finder?{urlencode({'org': i})}" for i in few],
        "api suggestions": [f"/api/v1/organisations/{quote(i, safe=':')}/suggestions" for i in few],
    }


class Client(threading.Thread):
    def __init__(self, port: int, jobs: Sequence[tuple[str, str]], until: float | None) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.jobs = list(jobs)
        self.until = until
        self.samples: dict[str, list[float]] = {}
        self.errors: dict[str, dict[str, int]] = {}

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        i = 0
        while self.jobs:
            case, url = self.jobs[i % len(self.jobs)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Accept-Language": "eu,es;q=0.8,en;q=0.5"})
                resp = conn.getresponse()
                resp.read()
                status = str(resp.status)
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.samples.setdefault(case, []).append(time.perf_counter() - t0)
            if status != "200":
                bucket = self.errors.setdefault(case, {})
                bucket[status] = bucket.get(status, 0) + 1
            if self.until is None:
                if i >= len(self.jobs):
                    break
            elif time.perf_counter() >= self.until:
                break
        conn.close()


def run(port: int, jobs: list[tuple[str, str]], clients: int, seconds: float | None) -> dict[str, Any]:
    rng = random.Random(SEED)
    if seconds is None:  # one pass, the distinct URLs dealt out to the clients
        shares = [jobs[k::clients] for k in range(clients)]
        until = None
    else:
        shares = []
        for _ in range(clients):
            mine = list(jobs)
            rng.shuffle(mine)
            shares.append(mine)
        until = time.perf_counter() + seconds
    threads = [Client(port, s, until) for s in shares if s]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    samples: dict[str, list[float]] = {}
    errors: dict[str, dict[str, int]] = {}
    for t in threads:
        for k, v in t.samples.items():
            samples.setdefault(k, []).extend(v)
        for k, e in t.errors.items():
            for status, n in e.items():
                errors.setdefault(k, {})[status] = errors.setdefault(k, {}).get(status, 0) + n
    return {"samples": samples, "errors": errors, "wall": wall}


def rows_of(phase: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    everything: list[float] = []
    for case in CASES:
        s = result["samples"].get(case, [])
        if not s:
            continue
        everything += s
        errs = sum(result["errors"].get(case, {}).values())
        out.append({"case": f"{phase}: {case}", **summary_ms(s), "errors": errs,
                    "rps": round(len(s) / result["wall"], 1)})  # fmt: skip
    errs = sum(n for e in result["errors"].values() for n in e.values())
    out.append({"case": f"{phase}: all", **summary_ms(everything), "errors": errs,
                "rps": round(len(everything) / result["wall"], 1)})  # fmt: skip
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

    graph = Graph.from_settings(_settings())
    if args.load_demo and graph.is_empty():
        from graphsvc.schema import apply_schema
        from loaders.demo import load_demo

        apply_schema(graph)
        load_demo(graph, progress=True)
    urls = workload(graph, args.orgs, args.terms)
    graph.close()
    jobs = [(case, u) for case in CASES for u in urls.get(case, [])]

    port = _free_port()
    env = {**os.environ, "LOTURA_RATELIMIT_API": "1000000 per minute"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.load_web", "--serve", str(port), "--threads", str(args.threads)],
        env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_up(port, proc)
        cold = run(port, jobs, args.clients, None)
        steady = run(port, jobs, args.clients, args.seconds)
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
    errors = {**{f"cold {k}": v for k, v in cold["errors"].items()},
              **{f"steady {k}": v for k, v in steady["errors"].items()}}  # fmt: skip
    all_steady = [x * 1000 for v in steady["samples"].values() for x in v]
    print(f"\n{args.clients} clients, {args.seconds:.0f} s, {args.threads} server threads: "
          f"{len(all_steady) / steady['wall']:.1f} requests/s, p50 {percentile(all_steady, 0.5):.0f} ms, "
          f"p95 {percentile(all_steady, 0.95):.0f} ms, p99 {percentile(all_steady, 0.99):.0f} ms")  # fmt: skip
    if errors:
        print(f"ERRORS: {errors}")
        return 1
    print("no errors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
