"""Schema init, /health up and down, error translation at the edges."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphsvc.db import Graph
from graphsvc.schema import apply_schema, describe
from graphsvc.settings import Settings
from web import create_app


def test_schema_init_twice_changes_nothing(graph: Graph) -> None:
    apply_schema(graph)
    first = describe(graph)
    apply_schema(graph)
    assert describe(graph) == first
    assert "organisation_id" in first["constraints"]
    assert "organisation_names" in first["indexes"]


def test_health_reports_neo4j_up(graph: Graph, neo4j_settings: Settings) -> None:
    app = create_app({"TESTING": True, "LOTURA_GRAPH": graph}, settings=neo4j_settings)
    resp = app.test_client().get("/health")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["status"] == "ok"
    assert body["neo4j"]["status"] == "up"
    assert body["neo4j"]["version"].startswith("5.26")


def test_health_reports_neo4j_down_without_traceback() -> None:
    down = replace(Settings.from_env({}), neo4j_uri="bolt://127.0.0.1:1")
    app = create_app({"TESTING": True}, settings=down)
    resp = app.test_client().get("/health")
    assert resp.status_code == 503
    assert resp.get_json()["neo4j"]["status"] == "unavailable"


def test_unknown_page_is_a_404_page_without_traceback(graph: Graph, neo4j_settings: Settings) -> None:
    app = create_app({"TESTING": True, "LOTURA_GRAPH": graph}, settings=neo4j_settings)
    resp = app.test_client().get("/no/such/page")
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert "Traceback" not in html
    assert 'lang="en"' in html


def test_cli_translates_errors_to_exit_1(tmp_path) -> None:
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "NEO4J_URI": "bolt://127.0.0.1:1", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "lotura.cli.__main__", "db", "init"],
                         capture_output=True, text=True, env=env, timeout=60, check=False)
    assert out.returncode == 1
    assert out.stderr.startswith("Error: Neo4j is not reachable")
    assert "Traceback" not in out.stderr


def test_cli_fails_at_once_when_the_local_server_is_not_running(tmp_path) -> None:
    import subprocess
    import sys

    from graphsvc import server

    port = server.free_port()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LOTURA_HOME": str(tmp_path / "home"),
           "LOTURA_BOLT_PORT": str(port)}
    out = subprocess.run([sys.executable, "-m", "lotura.cli.__main__", "stats"],
                         capture_output=True, text=True, env=env, timeout=60, check=False)
    assert out.returncode == 1
    assert out.stderr.startswith(f"Error: Lotura's Neo4j is not running (nothing answers on bolt://127.0.0.1:{port}")
    assert "lotura db start" in out.stderr
    assert "will be retried" not in out.stderr and "Traceback" not in out.stderr


def test_the_driver_s_retry_warnings_become_one_line(capsys) -> None:
    import logging

    from lotura.cli.context import RetryNotice

    notice = RetryNotice("bolt://db.example:7687")
    for delay in (0.9, 2.1, 4.4):
        notice.emit(logging.makeLogRecord({"msg": "Transaction failed and will be retried in %ss (refused)",
                                           "args": (delay,), "levelno": logging.WARNING}))
    notice.emit(logging.makeLogRecord({"msg": "something else", "levelno": logging.WARNING}))
    assert capsys.readouterr().err.splitlines() == [
        "Neo4j at bolt://db.example:7687 does not answer yet; retrying for a few seconds...",
        "neo4j: something else",
    ]


def test_up_loads_the_bundled_data_into_an_empty_graph_and_says_so(graph: Graph, neo4j_settings: Settings,
                                                                  monkeypatch) -> None:
    import re

    from click.testing import CliRunner

    from lotura.cli import main
    from tests.conftest import mark_dirty

    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    try:
        res = CliRunner().invoke(main, ["up", "--no-serve"])
    finally:
        mark_dirty()  # the demo data and its analytics were written
    assert res.exit_code == 0, res.output
    assert "Loading the bundled data" in res.output
    m = re.search(r"Loaded: (\d+) nodes and (\d+) relationships from (\d+) rows in \d+ s\.", res.output)
    assert m, res.output
    nodes = graph.read_text("MATCH (n) WHERE NOT n:Load AND NOT n:Meta AND NOT n:Lock RETURN count(n) AS n")[0]["n"]
    assert int(m.group(1)) == nodes > 10_000
    again = CliRunner().invoke(main, ["up", "--no-serve"])
    assert again.exit_code == 0 and "Loading the bundled data" not in again.output
    assert "The graph already holds data; it is kept as it is" in again.output


def test_bench_run_all_lists_its_commands_and_refuses_unknown_names(capsys) -> None:
    from bench import run_all

    assert run_all.main(["--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split()[2] for ln in lines] == ["bench.residency", "bench.maps", "bench.kinds", "bench.resolve"]
    assert all("--baseline" in ln for ln in lines)
    assert run_all.main(["--list", "--db"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 8  # + suggest, directory, web, backtest
    with pytest.raises(SystemExit):
        run_all.main(["--only", "nosuch"])
    assert "unknown benchmark nosuch" in capsys.readouterr().err
