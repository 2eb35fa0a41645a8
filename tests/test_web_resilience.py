"""Neo4j going away under the web app: 503 pages and JSON that say so, no traceback, and
the app working again by itself as soon as Neo4j is back.

A small TCP relay stands between the app and the real Neo4j: closing it is Neo4j going
down (connections cut, new ones refused), reopening it on the same port is Neo4j coming
back. The driver is the web app's own (``web.web_driver``), nothing is mocked.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlparse

import pytest

from graphsvc.db import Graph
from graphsvc.settings import Settings


class Relay:
    """Forward 127.0.0.1:port to the Neo4j Bolt port; ``down()`` and ``up()``."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def up(self) -> None:
        ls = socket.socket()
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", self.port))
        ls.listen(16)
        self.port = ls.getsockname()[1]
        self._listener = ls
        threading.Thread(target=self._accept, args=(ls,), daemon=True).start()

    def down(self) -> None:
        with self._lock:
            if self._listener is not None:
                # shutdown() wakes the thread blocked in accept(); close() alone would
                # leave the kernel socket listening until accept() returns.
                try:
                    self._listener.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                self._listener.close()
                self._listener = None
            for c in self._conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
            self._conns.clear()

    def _accept(self, ls: socket.socket) -> None:
        while True:
            try:
                client, _ = ls.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture()
def relay(session_graph: Graph, neo4j_settings: Settings) -> Iterator[Relay]:
    u = urlparse(neo4j_settings.uri)
    r = Relay((u.hostname or "127.0.0.1", u.port or 7687))
    r.up()
    yield r
    r.down()


@pytest.fixture()
def relayed_client(relay: Relay, neo4j_settings: Settings) -> Iterator[Any]:
    from web import create_app

    # Fail fast: this test waits for every 503.
    settings = replace(neo4j_settings, neo4j_uri=f"bolt://127.0.0.1:{relay.port}", web_retry_seconds=0.2)
    # The app's own driver (no LOTURA_GRAPH): what `lotura serve` runs.
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "LOTURA_VERSION_TTL": 0}, settings=settings)
    yield app.test_client()
    app.extensions["lotura"].close()


def test_neo4j_down_gives_503_pages_and_json_then_recovers(relay: Relay, relayed_client: Any) -> None:
    c = relayed_client
    assert c.get("/dashboard").status_code == 200
    assert c.get("/api/v1/organisations").status_code == 200

    relay.down()
    for url in ("/dashboard", "/directory?q=universidad", "/org/pic:999990001", "/queries"):
        t0 = time.monotonic()
        resp = c.get(url)
        assert resp.status_code == 503, url
        page = resp.get_data(as_text=True)
        assert "The database is unavailable" in page and "Neo4j" in page
        assert "Traceback" not in page
        assert time.monotonic() - t0 < 15
    body = c.get("/api/v1/organisations?q=x").get_json()
    assert body["error"]["status"] == 503
    page = c.get("/dashboard?lang=eu").get_data(as_text=True)
    assert "Datu-basea ez dago erabilgarri" in page

    relay.up()  # Neo4j is back: no restart of the app, the driver reconnects
    deadline = time.monotonic() + 30
    status = 0
    while time.monotonic() < deadline:
        status = c.get("/dashboard").status_code
        if status == 200:
            break
        time.sleep(0.5)
    assert status == 200
    assert c.get("/api/v1/organisations").status_code == 200
    assert c.get("/directory?q=universidad").status_code == 200


def test_nothing_listening_gives_503_not_a_traceback() -> None:
    from web import create_app

    down = replace(Settings.from_env({}), neo4j_uri="bolt://127.0.0.1:1", web_retry_seconds=0.2)
    app = create_app({"TESTING": True, "SECRET_KEY": "t"}, settings=down)
    c = app.test_client()
    for url in ("/dashboard", "/directory", "/finder?org=x", "/analytics/gaps", "/queries/recent_projects?run=1"):
        resp = c.get(url)
        assert resp.status_code == 503, url
        assert "Traceback" not in resp.get_data(as_text=True)
    assert c.get("/api/v1/stats").get_json()["error"]["status"] == 503
