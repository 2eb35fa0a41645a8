"""What the web benchmarks (``bench.web``, ``bench.load_web``) share: the app served by
waitress in a child process, the URLs drawn from the graph, and a threaded load client in
which each thread keeps one keep-alive HTTP/1.1 connection (http.client)."""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

from graphsvc.db import Graph
from graphsvc.settings import Settings

Job = tuple[str, str]  # (case, URL)


def settings() -> Settings:
    """The settings from the environment, with ``LOTURA_BENCH_NEO4J_URI`` overriding the graph."""
    s = Settings.from_env()
    uri = os.environ.get("LOTURA_BENCH_NEO4J_URI")
    return replace(s, neo4j_uri=uri) if uri else s


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int, threads: int, ident: str, config: dict[str, Any] | None = None) -> None:
    """The server process: the real app under waitress (as ``lotura serve``), until killed."""
    import logging

    from waitress.server import create_server

    from web import create_app

    # "Task queue depth is N" is what a load test does on purpose.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    from web.warm import warm_in_background

    app = create_app(config, settings=settings())
    srv = create_server(app, host="127.0.0.1", port=port, threads=threads, ident=ident)
    warm_in_background(app)  # as lotura serve does
    srv.run()


def wait_up(port: int, timeout: float, gave_up: str,
            proc: subprocess.Popen[bytes] | None = None, exited: str = "") -> None:  # fmt: skip
    """Wait until ``/health`` answers 200; exit with ``gave_up`` after ``timeout`` seconds,
    or with ``exited`` as soon as ``proc`` (the server, when given) has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(exited)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            up = conn.getresponse().status == 200
            conn.close()
            if up:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(gave_up)


def open_graph(demo: bool) -> Graph:
    """The graph to measure (see :func:`settings`); with ``demo``, the bundled demo data is
    loaded into it first if it is empty."""
    graph = Graph.from_settings(settings())
    if demo and graph.is_empty():
        from graphsvc.schema import apply_schema
        from loaders.demo import load_demo

        apply_schema(graph)
        load_demo(graph, progress=True)
    return graph


def draw(graph: Graph, seed: int, missing: str) -> tuple[list[str], list[str]]:
    """The ids of the Euroregion's organisations and the distinct words (4+ letters) of their
    names, each shuffled with ``seed``; exit with ``missing`` if the graph holds none."""
    rng = random.Random(seed)
    rows = graph.read("web/bench_orgs")
    if not rows:
        raise SystemExit(missing)
    ids = [r["id"] for r in rows]
    rng.shuffle(ids)
    words: list[str] = []
    for r in rows:
        for w in (r["name"] or "").split():
            w = w.strip("(),.-'\"").lower()
            if len(w) >= 4 and w.isalpha() and w not in words:
                words.append(w)
    rng.shuffle(words)
    return ids, words


def page_urls(ids: Sequence[str], words: Sequence[str], n_orgs: int, n_terms: int) -> dict[str, list[str]]:
    """The URLs of the page cases: the dashboard, ``n_terms`` directory searches and
    ``n_orgs`` organisation pages."""
    return {
        "dashboard": ["/dashboard"],
        "directory search": [f"/directory?{urlencode({'q': w})}" for w in words[:n_terms]],
        "organisation page": [f"/org/{quote(i, safe=':')}" for i in ids[:n_orgs]],
    }


@dataclass
class Result:
    """What a run measured: seconds per request by case, failed requests by case and status,
    failed requests by status (in the order they first failed) and the wall time."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0

    def add(self, case: str, seconds: float, status: str) -> None:
        """Count one request; any status but 200 is a failure."""
        self.samples.setdefault(case, []).append(seconds)
        if status != "200":
            bucket = self.errors.setdefault(case, {})
            bucket[status] = bucket.get(status, 0) + 1
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def merge(self, other: Result) -> None:
        """Add another client's counts to these (the wall time stays)."""
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        for case, v in other.samples.items():
            self.samples.setdefault(case, []).extend(v)
        for case, e in other.errors.items():
            bucket = self.errors.setdefault(case, {})
            for status, n in e.items():
                bucket[status] = bucket.get(status, 0) + n


class Client(threading.Thread):
    """One client: a keep-alive connection looping over ``jobs``, once through them
    (``until`` None) or until the ``time.perf_counter()`` value ``until``."""

    def __init__(self, port: int, jobs: Sequence[Job], until: float | None,
                 timeout: float, language: str) -> None:  # fmt: skip
        super().__init__(daemon=True)
        self.port = port
        self.jobs = list(jobs)
        self.until = until
        self.timeout = timeout
        self.headers = {"Accept-Language": language}
        self.result = Result()

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        i = 0
        while self.jobs:
            case, url = self.jobs[i % len(self.jobs)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers=self.headers)
                resp = conn.getresponse()
                resp.read()
                status = str(resp.status)
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.result.add(case, time.perf_counter() - t0, status)
            if self.until is None:
                if i >= len(self.jobs):
                    break
            elif time.perf_counter() >= self.until:
                break
        conn.close()


def run(port: int, jobs: list[Job], clients: int, seconds: float | None, *,
        seed: int, timeout: float, language: str) -> Result:  # fmt: skip
    """Load the server with ``clients`` threads: with ``seconds`` None one pass, the jobs
    dealt out to the clients; else each client loops over its own shuffle of all the jobs
    (``seed``) for ``seconds``. ``timeout`` and ``language`` are each request's."""
    rng = random.Random(seed)
    if seconds is None:
        shares = [jobs[k::clients] for k in range(clients)]
        until = None
    else:
        shares = []
        for _ in range(clients):
            mine = list(jobs)
            rng.shuffle(mine)
            shares.append(mine)
        until = time.perf_counter() + seconds
    threads = [Client(port, share, until, timeout, language) for share in shares if share]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = Result(wall=time.perf_counter() - t0)
    for t in threads:
        total.merge(t.result)
    return total
