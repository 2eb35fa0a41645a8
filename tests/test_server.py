"""The local Neo4j server: start, status, stop, and its failure modes."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graphsvc import server
from graphsvc.errors import ServerError
from graphsvc.settings import DEFAULT_BOLT_PORT, Settings
from tests.conftest import require


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lotura.cli.__main__", *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )


def _running(pid: int) -> bool:
    """A live process (a zombie waiting for its reaper, its parent having exited, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture()
def own_settings(tmp_path: Path) -> Settings:
    require(shutil.which("java") is not None, "Java is not installed")
    base = Settings.from_env({k: v for k, v in os.environ.items() if k.startswith(("LOTURA_CACHE", "XDG_"))})
    return replace(base, home=tmp_path / "home", bolt_port=server.free_port())


@pytest.mark.slow
def test_start_status_stop_through_the_cli(own_settings: Settings) -> None:
    env = {**os.environ, "LOTURA_HOME": str(own_settings.home)}
    env.pop("NEO4J_URI", None)
    env.pop("LOTURA_BOLT_PORT", None)
    # Started on a port of its own: the later commands find it there without being told.
    started = _cli("db", "start", "--port", str(own_settings.bolt_port), env=env)
    assert started.returncode == 0, started.stderr
    try:
        with GraphDatabase.driver(f"bolt://127.0.0.1:{own_settings.bolt_port}", auth=None) as d:
            records, _, _ = d.execute_query("RETURN 1 AS one")
            assert records[0]["one"] == 1
        st = _cli("db", "status", "--json", env=env)
        assert st.returncode == 0
        info = json.loads(st.stdout)
        assert info["state"] == "running"
        assert info["version"].startswith("5.26")
        pid = info["pid"]
        # init twice: the same schema, no error
        first = _cli("db", "init", env=env)
        second = _cli("db", "init", env=env)
        assert first.returncode == 0 and second.returncode == 0
        assert first.stdout == second.stdout
        again = _cli("db", "start", env=env)  # no port: the running one is meant
        assert again.returncode == 0 and f"bolt://127.0.0.1:{own_settings.bolt_port}" in again.stdout
    finally:
        stopped = _cli("db", "stop", env=env)
    assert stopped.returncode == 0, stopped.stderr
    assert not _running(pid), "the Java process is still there after stop"
    st = _cli("db", "status", env=env)
    assert st.returncode == 3 and "state: stopped" in st.stdout
    # stopped, the port is remembered: errors name it, and `db start` would use it again
    down = _cli("stats", env=env)
    assert down.returncode != 0 and f"bolt://127.0.0.1:{own_settings.bolt_port}" in down.stdout + down.stderr
    assert server.home_port(replace(own_settings, bolt_port=DEFAULT_BOLT_PORT)) == own_settings.bolt_port


def test_the_port_of_a_home_when_no_server_runs(own_settings: Settings) -> None:
    default = replace(own_settings, bolt_port=DEFAULT_BOLT_PORT)
    assert server.home_port(default) == DEFAULT_BOLT_PORT  # nothing recorded
    own_settings.home.mkdir(parents=True)
    server.paths(own_settings).portfile.write_text("7741\n")
    assert server.home_port(default) == 7741  # the last start's --port
    assert server.with_running_port(default).bolt_port == 7741
    assert server.home_port(replace(own_settings, bolt_port=7800)) == 7800  # LOTURA_BOLT_PORT wins
    server.paths(own_settings).portfile.write_text("garbage")
    assert server.home_port(default) == DEFAULT_BOLT_PORT


def test_port_taken_is_a_clear_error(own_settings: Settings) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", own_settings.bolt_port))
        s.listen()
        with pytest.raises(ServerError, match=rf"Port {own_settings.bolt_port} .* taken"):
            server.start(own_settings)
    assert server.status(own_settings).state == "stopped"


def test_missing_java_is_a_clear_error(own_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(ServerError, match="Java was not found"):
        server.start(own_settings)


def test_missing_java_in_the_cli_is_error_exit_1(own_settings: Settings) -> None:
    env = {**os.environ, "LOTURA_HOME": str(own_settings.home), "PATH": str(Path(sys.executable).parent)}
    env.pop("JAVA_HOME", None)
    env.pop("NEO4J_URI", None)
    out = _cli("db", "start", env=env)
    assert out.returncode == 1
    assert out.stderr.startswith("Error: Java was not found")
    assert "Traceback" not in out.stderr


def test_stale_pid_file_is_reported_and_cleared(own_settings: Settings) -> None:
    own_settings.home.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    server.paths(own_settings).pidfile.write_text(json.dumps({"pid": dead.pid, "port": own_settings.bolt_port}))
    st = server.status(own_settings)
    assert st.state == "stale" and st.pid == dead.pid
    assert server.stop(own_settings).state == "stopped"
    assert not server.paths(own_settings).pidfile.exists()


def test_external_uri_is_never_started(own_settings: Settings) -> None:
    ext = replace(own_settings, neo4j_uri="bolt://127.0.0.1:1")
    assert server.status(ext).state == "external"
    with pytest.raises(ServerError, match="NEO4J_URI is set"):
        server.start(ext)
