"""Shared fixtures: a real Neo4j for the whole session, emptied between tests.

The server is Lotura's own local Neo4j, started on a free loopback port in a temporary
LOTURA_HOME (the jar cache in $LOTURA_CACHE is shared). Set LOTURA_TEST_NEO4J_URI to
run the suite against a server you started yourself (it will be emptied!).

Under CI=true a missing Java or Chromium fails the run instead of skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from graphsvc import server
from graphsvc.db import Graph
from graphsvc.schema import apply_schema
from graphsvc.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, why: str) -> None:
    """Skip locally, fail under CI: the browser and database tests never vanish in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {why}", pytrace=False)
    pytest.skip(why)


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings pointing at a running real Neo4j for the test session."""
    uri = os.environ.get("LOTURA_TEST_NEO4J_URI")
    if uri:
        yield replace(
            Settings.from_env({}),
            neo4j_uri=uri,
            neo4j_user=os.environ.get("LOTURA_TEST_NEO4J_USER"),
            neo4j_password=os.environ.get("LOTURA_TEST_NEO4J_PASSWORD"),
        )
        return
    require(shutil.which("java") is not None, "Java is not installed")
    home = tmp_path_factory.mktemp("lotura-home")
    base = Settings.from_env({k: v for k, v in os.environ.items() if k.startswith(("LOTURA_CACHE", "XDG_"))})
    settings = replace(base, home=home, bolt_port=server.free_port())
    server.start(settings)
    try:
        yield settings
    finally:
        server.stop(settings, timeout=60)


class GraphState:
    """What the shared database holds now, so fixtures reload only when needed."""

    loaded: str | None = None


@pytest.fixture(scope="session")
def session_graph(neo4j_settings: Settings) -> Iterator[Graph]:
    g = Graph.from_settings(neo4j_settings)
    apply_schema(g)
    yield g
    g.close()


@pytest.fixture()
def graph(session_graph: Graph) -> Graph:
    """An empty graph with the schema applied."""
    session_graph.clear()
    GraphState.loaded = None
    return session_graph


@pytest.fixture()
def demo_graph(session_graph: Graph) -> Graph:
    """The graph holding the bundled demo data (loaded once, shared; do not write)."""
    if GraphState.loaded != "demo":
        demo = pytest.importorskip("loaders.demo")
        session_graph.clear()
        demo.load_demo(session_graph, progress=False)
        GraphState.loaded = "demo"
    return session_graph


def mark_dirty() -> None:
    """Call after a test wrote into a shared fixture graph."""
    GraphState.loaded = None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path is not None, "Chromium is not installed (Debian: apt-get install chromium)")
    assert path is not None
    return path


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    """A headless Chromium (Debian's) driven by Playwright, for the whole session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A fresh browser context and page; requests outside loopback are aborted, so a
    page that needs the internet fails its test."""
    ctx = browser.new_context()  # type: ignore[attr-defined]
    ctx.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:", "file:", "about:"))
        else route.abort(),
    )
    pg = ctx.new_page()
    yield pg
    ctx.close()


class LiveServer:
    def __init__(self, url: str, app: object) -> None:
        self.url = url
        self.app = app


class _ServerThread:
    """Waitress serving ``app`` on a free loopback port in a thread, stopped cleanly.

    ``close()`` closes every socket *in the server's own thread* (a thunk pulled through
    waitress' trigger), so its ``select()`` never meets a descriptor closed under it (an
    ``OSError: Bad file descriptor`` in that thread, which pytest reports at the next
    test's setup), after the worker threads have stopped (they pull the trigger too),
    and waits for the loop to end.
    """

    def __init__(self, app: object) -> None:
        import threading

        from waitress.server import create_server

        self.srv = create_server(app, host="127.0.0.1", port=0, threads=4)
        self.port = int(self.srv.effective_port)  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.srv.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        srv = self.srv

        def stop() -> None:
            for dispatcher in list(srv._map.values()):  # type: ignore[attr-defined]
                dispatcher.close()

        srv.task_dispatcher.shutdown()  # type: ignore[attr-defined]  # the workers first: they pull the trigger
        srv.trigger.pull_trigger(stop)  # type: ignore[attr-defined]
        self.thread.join(timeout=10)


def _serve_in_thread(app: object) -> tuple[str, _ServerThread]:
    server = _ServerThread(app)
    return f"http://127.0.0.1:{server.port}", server


@pytest.fixture()
def live_server(demo_graph: Graph, neo4j_settings: Settings) -> Iterator[LiveServer]:
    """The real app on a free loopback port (waitress), over the demo graph."""
    from web import create_app

    app = create_app({"TESTING": True, "LOTURA_GRAPH": demo_graph, "SECRET_KEY": "test"}, settings=neo4j_settings)
    url, srv = _serve_in_thread(app)
    yield LiveServer(url, app)
    srv.close()  # type: ignore[attr-defined]


@pytest.fixture()
def app(demo_graph: Graph, neo4j_settings: Settings) -> object:
    """The app over the demo graph, for test-client tests (CSRF on, as in production)."""
    from web import create_app

    return create_app({"TESTING": True, "LOTURA_GRAPH": demo_graph, "SECRET_KEY": "test"}, settings=neo4j_settings)


@pytest.fixture()
def client(app: object) -> object:
    return app.test_client()  # type: ignore[attr-defined]
