"""Faults, for real: loads SIGKILLed mid-way, Neo4j SIGKILLed mid-load, two loads at
once, Neo4j stopped under the web app, a taken port, a full disk, no Java.

The loads are ``lotura load cordis DIR`` on a small slice of the bundled CORDIS data,
run as separate processes so that they can be killed. The Neo4j-kill and web tests use
a spare server of their own (own LOTURA_HOME and port), never the session's.
"""

from __future__ import annotations

import csv
import gzip
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT, require

from graphsvc import server
from graphsvc.backup import totals
from graphsvc.db import Graph
from graphsvc.schema import apply_schema
from graphsvc.settings import Settings

pytestmark = pytest.mark.slow

PROJECTS = 120
BOOKKEEPING = {"Load", "Lock", "Meta"}


# -- helpers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cordis_slice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first PROJECTS projects of the bundled CORDIS extract, with their rows."""
    src = ROOT / "data" / "cordis_he"
    if not (src / "project.csv.gz").exists():
        pytest.skip("no bundled CORDIS extract in data/cordis_he")
    pytest.importorskip("loaders.api")
    out = tmp_path_factory.mktemp("cordis-slice")

    def rows(name: str) -> tuple[list[str], list[list[str]]]:
        with gzip.open(src / f"{name}.csv.gz", "rt", encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter=";")
            return next(reader), list(reader)

    def write(name: str, head: list[str], data: list[list[str]]) -> None:
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL)
            w.writerow(head)
            w.writerows(data)

    head, projects = rows("project")
    keep = {r[0] for r in projects[:PROJECTS]}
    write("project", head, projects[:PROJECTS])
    for name in ("organization", "euroSciVoc", "policyPriorities"):
        h, d = rows(name)
        write(name, h, [r for r in d if r[0] in keep])
    return out


def env_for(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LOTURA_TEST_"))}
    env.update({"NEO4J_URI": settings.uri, "LOTURA_HOME": str(settings.home), "PYTHONUNBUFFERED": "1"})
    if settings.neo4j_user:
        env["NEO4J_USER"] = settings.neo4j_user
        env["NEO4J_PASSWORD"] = settings.neo4j_password or ""
    return env


def start_load(settings: Settings, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lotura.cli", "load", "cordis", str(folder), "--no-progress"],
        env=env_for(settings), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def run_load(settings: Settings, folder: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    proc = start_load(settings, folder)
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def data_counts(graph: Graph) -> dict[str, Any]:
    t = totals(graph)
    return {
        "labels": {k: v for k, v in t["labels"].items() if k not in BOOKKEEPING},
        "types": t["types"],
    }


def kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool], timeout: float = 180) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False when it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            proc.communicate()
            return False
        try:
            hit = ready()
        except Exception:  # noqa: BLE001 - the database may be mid-write; poll again
            hit = False
        if hit:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)  # reaps it and closes the pipes
            return True
        time.sleep(0.005)
    proc.kill()
    proc.communicate(timeout=30)
    pytest.fail("the load neither reached the kill point nor finished")


@pytest.fixture(scope="module")
def clean_counts(session_graph: Graph, neo4j_settings: Settings, cordis_slice: Path) -> dict[str, Any]:
    """What a clean load of the slice into an empty graph gives."""
    from conftest import mark_dirty

    session_graph.clear()
    mark_dirty()
    done = run_load(neo4j_settings, cordis_slice)
    assert done.returncode == 0, done.stderr
    counts = data_counts(session_graph)
    assert counts["labels"].get("Organisation", 0) > 100 and counts["types"].get("PARTICIPATES_IN", 0) > 100
    rerun = run_load(neo4j_settings, cordis_slice)
    assert rerun.returncode == 0, rerun.stderr
    assert data_counts(session_graph) == counts, "a second clean load changes no count"
    return counts


@pytest.fixture(scope="module")
def spare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A Neo4j of the tests' own, to kill and stop (small heap)."""
    import shutil

    require(shutil.which("java") is not None, "Java is not installed")
    home = tmp_path_factory.mktemp("lotura-spare")
    base = Settings.from_env({k: v for k, v in os.environ.items() if k.startswith(("LOTURA_CACHE", "XDG_"))})
    settings = replace(base, home=home, bolt_port=server.free_port(), heap="512m", pagecache_mb=64)
    server.start(settings)
    with Graph.from_settings(settings) as g:
        apply_schema(g)
    try:
        yield settings
    finally:
        server.stop(settings, timeout=60)


# -- loads killed --------------------------------------------------------------------------


@pytest.mark.parametrize("point", ["first-nodes", "half-nodes", "before-the-end"])
def test_load_killed_then_rerun_gives_clean_counts(
    graph: Graph, neo4j_settings: Settings, cordis_slice: Path, clean_counts: dict[str, Any], point: str
) -> None:
    """Each writing step is a batch of transactions: the kill points fall after the
    first nodes (the regions), half the nodes, and 80 % of the relationships (the load
    is then still running: cross-border flags and its record remain)."""
    nodes = sum(clean_counts["labels"].values())
    rels = sum(clean_counts["types"].values())

    def ready() -> bool:
        if point == "first-nodes":  # the regions' first batch, before their hierarchy
            with graph.driver.session(database=graph.database) as s:
                return bool(s.run("MATCH (n) WHERE NOT n:Load AND NOT n:Lock AND NOT n:Meta "
                                  "RETURN count(n) > 0 AS any").single()["any"])  # fmt: skip
        t = totals(graph)
        data = t["nodes"] - sum(t["labels"].get(k, 0) for k in BOOKKEEPING)
        if point == "half-nodes":
            return data >= nodes // 2
        return t["relationships"] >= rels * 8 // 10

    proc = start_load(neo4j_settings, cordis_slice)
    killed = kill_when(proc, ready)
    assert killed, f"the load finished before the kill point {point}"
    status = graph.read_text("MATCH (l:Load) RETURN l.status AS status")
    assert [r["status"] for r in status] == ["running"], "killed mid-load, its record says running"
    again = run_load(neo4j_settings, cordis_slice)
    assert again.returncode == 0, again.stderr
    assert "interrupted" in again.stdout + again.stderr, "the rerun says it took over an interrupted load"
    assert data_counts(graph) == clean_counts
    loads = graph.read_text("MATCH (l:Load) RETURN l.status AS status ORDER BY l.started")
    assert [r["status"] for r in loads] == ["failed", "done"]
    assert graph.read_text("MATCH (l:Lock) RETURN count(l) AS n")[0]["n"] == 0


def test_two_loads_at_once_are_refused(graph: Graph, neo4j_settings: Settings, cordis_slice: Path) -> None:
    from loaders.run import load_run

    with load_run(graph, "test-holder", [], progress=False):
        r = run_load(neo4j_settings, cordis_slice)
        assert r.returncode == 1
        assert "another load is running" in r.stderr
        assert "Traceback" not in r.stderr
        assert sum(data_counts(graph)["labels"].values()) == 0, "the refused load wrote nothing"


def test_neo4j_killed_mid_load_web_503_then_everything_recovers(
    spare: Settings, cordis_slice: Path, clean_counts: dict[str, Any]
) -> None:
    """SIGKILL Neo4j in the middle of a load while the web app serves from it: the
    loader stops with a clear error, pages and JSON answer 503 at once, and once Neo4j
    is restarted the app recovers by itself and a rerun of the load gives the counts of
    a clean load."""
    from web import create_app

    nodes = sum(clean_counts["labels"].values())
    # The app makes its own driver, as `lotura serve` does.
    app = create_app({"TESTING": True, "SECRET_KEY": "t"}, settings=spare)
    web_graph = app.extensions["lotura"]
    c = app.test_client()
    pages = [p for p in ("/dashboard", "/directory?q=zzfault") if c.get(p).status_code != 404]
    try:
        with Graph.from_settings(spare) as g:
            g.clear()
            assert c.get("/health").status_code == 200 and c.get(pages[0]).status_code == 200
            proc = start_load(spare, cordis_slice)

            def ready() -> bool:
                t = totals(g)
                return t["nodes"] - sum(t["labels"].get(k, 0) for k in BOOKKEEPING) >= nodes // 2

            deadline = time.monotonic() + 180
            while not ready():
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    _, err = proc.communicate()
                    pytest.fail(f"the load ended (or stalled) before the kill: {err[-2000:]}")
                time.sleep(0.02)
            server.kill(spare)

        # the web app while Neo4j is dead
        t0 = time.monotonic()
        r = c.get("/health")
        assert r.status_code == 503 and r.is_json and r.json["neo4j"]["status"] == "unavailable"
        time.sleep(1.1)  # past the web cache's version check
        for p in pages:
            r = c.get(p)
            assert r.status_code == 503, p
            assert "cannot reach its Neo4j database" in r.get_data(as_text=True)
        r = c.get("/api/v1/organisations?q=x")
        assert r.status_code == 503 and r.is_json and r.json["error"]["status"] == 503
        down = time.monotonic() - t0 - 1.1
        assert down < 15, f"four 503 answers took {down:.0f} s"

        # the loader
        try:
            _, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail("the loader hung after Neo4j died")
        assert proc.returncode == 1
        assert "Error:" in err and "Traceback" not in err and "Neo4j" in err

        server.start(spare)  # Neo4j recovers its store after the crash
        back = time.monotonic()
        while not (c.get("/health").status_code == 200 and all(c.get(p).status_code == 200 for p in pages)):
            assert time.monotonic() - back < 15, "the app did not recover within 15 s of Neo4j coming back"
            time.sleep(0.25)

        with Graph.from_settings(spare) as g:
            apply_schema(g)
            assert data_counts(g) != clean_counts
            again = run_load(spare, cordis_slice)
            assert again.returncode == 0, again.stderr
            assert data_counts(g) == clean_counts
    finally:
        web_graph.close()


# -- environment faults -----------------------------------------------------------------------


def _lotura(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lotura.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def test_taken_port_is_a_clear_error(tmp_path: Path, neo4j_settings: Settings) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        env["LOTURA_HOME"] = str(tmp_path)
        r = _lotura(["db", "start", "--port", str(port)], env)
        assert r.returncode == 1
        assert f"Port {port}" in r.stderr and "taken" in r.stderr and "Traceback" not in r.stderr
        r = _lotura(["serve", "--port", str(port)], env_for(neo4j_settings), timeout=60)
        assert r.returncode == 1
        assert "Traceback" not in r.stderr
        assert str(port) in r.stderr and ("in use" in r.stderr or "taken" in r.stderr)


def test_missing_java_is_a_clear_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "JAVA_HOME"))}
    env.update({"PATH": str(tmp_path), "LOTURA_HOME": str(tmp_path / "home")})
    r = _lotura(["db", "start", "--port", str(server.free_port())], env)
    assert r.returncode == 1
    assert "Java was not found" in r.stderr and "Traceback" not in r.stderr


def test_full_disk_is_a_clear_error(session_graph: Graph, neo4j_settings: Settings, tmp_path: Path) -> None:
    from lotura.cli import main

    with session_graph.driver.session(database=session_graph.database) as s:
        s.run("MERGE (t:Topic {id: 'full-disk-probe'}) SET t.name = 'x'").consume()
    try:
        r = CliRunner().invoke(main, ["db", "backup", "/dev/full"], env=env_for(neo4j_settings))
        assert r.exit_code == 1 and "disk is full" in r.output and "Traceback" not in r.output
        mnt = tmp_path / "tiny"
        mnt.mkdir()
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(mnt)],
                                 capture_output=True, check=False).returncode == 0  # fmt: skip
        if mounted:
            try:
                (mnt / "filler").write_bytes(b"x" * 4096)
                big = secrets.token_hex(40_000)  # does not compress below the free space
                with session_graph.driver.session(database=session_graph.database) as s:
                    s.run("MATCH (t:Topic {id: 'full-disk-probe'}) SET t.blob = $b", b=big).consume()
                r = CliRunner().invoke(
                    main, ["db", "backup", str(mnt / "g.jsonl.gz")], env=env_for(neo4j_settings)
                )
                assert r.exit_code == 1 and "disk is full" in r.output, r.output
                assert sorted(p.name for p in mnt.iterdir()) == ["filler"], "no half-written file is left"
            finally:
                subprocess.run(["umount", str(mnt)], check=False)
    finally:
        with session_graph.driver.session(database=session_graph.database) as s:
            s.run("MATCH (t:Topic {id: 'full-disk-probe'}) DETACH DELETE t").consume()
