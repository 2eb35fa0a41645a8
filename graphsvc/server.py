"""The local Neo4j server: fetched from Maven Central, run with the machine's Java.

``fetch`` resolves ``graphsvc/neo4j_server/pom.xml`` with Maven into a jar cache
(``$LOTURA_CACHE``, shared by every ``$LOTURA_HOME``) and compiles the small embedded
launcher next to it. ``start`` runs the launcher detached, with its store, logs and PID
file under ``$LOTURA_HOME``, and returns only once Bolt answers ``RETURN 1``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from graphsvc.errors import DatabaseUnavailable, ServerError
from graphsvc.settings import DEFAULT_BOLT_PORT, Settings

SERVER_SRC = Path(__file__).resolve().parent / "neo4j_server"
POM = SERVER_SRC / "pom.xml"
LAUNCHER = SERVER_SRC / "LoturaNeo4j.java"
MAIN_CLASS = "LoturaNeo4j"
READY_MARK = "LOTURA-NEO4J-READY"
PLUGIN_PREFIXES = ("apoc-", "proc-", "proc.", "opengds-", "open-model-", "open-write-", "open-licensing-")
JVM_OPENS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)

Say = Callable[[str], None]

# Servers started by this process: kept so that the Popen objects are not collected
# while the server runs (and reaped when it stops).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def _quiet(_: str) -> None:
    return None


def _fingerprint() -> str:
    h = hashlib.sha256(POM.read_bytes())
    h.update(LAUNCHER.read_bytes())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Paths:
    """Every file the local server uses."""

    home: Path
    cache: Path

    @property
    def dist(self) -> Path:
        return self.cache / f"neo4j-{_fingerprint()}"

    @property
    def lib(self) -> Path:
        return self.dist / "lib"

    @property
    def plugins(self) -> Path:
        return self.dist / "plugins"

    @property
    def classes(self) -> Path:
        return self.dist / "classes"

    @property
    def complete(self) -> Path:
        return self.dist / ".complete"

    @property
    def store(self) -> Path:
        return self.home / "neo4j"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def log(self) -> Path:
        return self.logs / "neo4j.log"

    @property
    def pidfile(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def portfile(self) -> Path:
        """The port the server of this home last started on (kept after it stops)."""
        return self.home / "neo4j.port"


@dataclass(frozen=True)
class Status:
    state: str  # running | stopped | stale | unresponsive | external
    pid: int | None = None
    port: int | None = None
    uri: str | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def paths(settings: Settings) -> Paths:
    return Paths(settings.home, settings.cache)


def java_bin() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise ServerError(
            "Java was not found: install a Java 17 runtime (Debian: `apt-get install "
            "openjdk-17-jre-headless`) or set JAVA_HOME."
        )
    return found


def _javac_bin() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "javac").exists():
        return str(Path(home) / "bin" / "javac")
    return shutil.which("javac")


def is_fetched(settings: Settings) -> bool:
    return paths(settings).complete.exists()


def fetch(settings: Settings, say: Say = _quiet) -> Path:
    """Resolve the Neo4j jars with Maven (once) and compile the launcher."""
    p = paths(settings)
    if p.complete.exists():
        return p.dist
    mvn = shutil.which("mvn")
    if not mvn:
        raise ServerError(
            "Maven was not found; it is needed once to fetch Neo4j from Maven Central "
            "(Debian: `apt-get install maven`). Or set NEO4J_URI to use another Neo4j."
        )
    java = java_bin()
    p.cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="fetch-", dir=p.cache))
    try:
        say("Fetching Neo4j Community, APOC and OpenGDS from Maven Central (first run only)...")
        t0 = time.monotonic()
        cmd = [
            mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
            f"-DoutputDirectory={tmp / 'lib'}", "-DincludeScope=runtime",
        ]
        run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            tail = "\n".join((run.stdout + run.stderr).strip().splitlines()[-15:])
            raise ServerError(f"Maven could not fetch Neo4j (exit {run.returncode}):\n{tail}")
        (tmp / "plugins").mkdir()
        for jar in (tmp / "lib").glob("*.jar"):
            if jar.name.startswith(PLUGIN_PREFIXES):
                shutil.copy2(jar, tmp / "plugins" / jar.name)
        (tmp / "classes").mkdir()
        javac = _javac_bin()
        if javac:
            comp = subprocess.run(
                [javac, "-d", str(tmp / "classes"), "-cp", str(tmp / "lib" / "*"), str(LAUNCHER)],
                capture_output=True, text=True, check=False,
            )
            if comp.returncode != 0:
                raise ServerError(f"Compiling the Neo4j launcher failed:\n{comp.stderr[-2000:]}")
        else:
            shutil.copy2(LAUNCHER, tmp / "classes" / LAUNCHER.name)
        jars = list((tmp / "lib").glob("*.jar"))
        size = sum(j.stat().st_size for j in jars)
        meta = {
            "jars": len(jars), "bytes": size, "seconds": round(time.monotonic() - t0, 1),
            "java": java, "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (tmp / ".complete").write_text(json.dumps(meta, indent=1))
        if p.dist.exists():
            shutil.rmtree(p.dist)
        tmp.rename(p.dist)
        say(f"Fetched {len(jars)} jars ({size / 1e6:.0f} MB) in {meta['seconds']} s.")
        return p.dist
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def fetch_info(settings: Settings) -> dict[str, object]:
    p = paths(settings)
    if not p.complete.exists():
        return {}
    return json.loads(p.complete.read_text())


def _read_pidfile(p: Paths) -> dict[str, int] | None:
    try:
        data = json.loads(p.pidfile.read_text())
        return {"pid": int(data["pid"]), "port": int(data["port"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    """True when ``pid`` is a live Lotura Neo4j launcher (not a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    if MAIN_CLASS.encode() not in cmdline:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bolt_answers(port: int, timeout: float = 3.0) -> bool:
    """True when Bolt on loopback answers ``RETURN 1``."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        with GraphDatabase.driver(
            f"bolt://127.0.0.1:{port}", auth=None, connection_timeout=timeout
        ) as d:
            records, _, _ = d.execute_query("RETURN 1 AS ok")
            return bool(records and records[0]["ok"] == 1)
    except (DriverError, Neo4jError, OSError):
        return False


def log_tail(settings: Settings, lines: int = 30) -> str:
    p = paths(settings)
    if not p.log.exists():
        return "(no log yet)"
    with p.log.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 64_000))
        text = fh.read().decode("utf-8", "replace")
    return "\n".join(text.splitlines()[-lines:])


def _live(settings: Settings) -> dict[str, int] | None:
    """The PID file of the local server of ``settings.home`` when its process is alive."""
    info = _read_pidfile(paths(settings))
    return info if info is not None and _alive(info["pid"]) else None


def home_port(settings: Settings) -> int:
    """The port of this ``LOTURA_HOME``'s server when none runs: ``LOTURA_BOLT_PORT`` when
    it is set to something else than the default, else the port the server last started
    on (``lotura db start --port P`` is remembered), else the default."""
    if settings.bolt_port != DEFAULT_BOLT_PORT:
        return settings.bolt_port
    try:
        return int(paths(settings).portfile.read_text().strip())
    except (OSError, ValueError):
        return settings.bolt_port


def with_running_port(settings: Settings) -> Settings:
    """``settings`` pointing at the local server of their ``LOTURA_HOME`` where it runs.

    A server started with ``lotura db start --port P`` records its port in its PID file;
    every later command (and the web app) finds it there, without ``--port`` or
    ``LOTURA_BOLT_PORT`` again. When no local server runs, :func:`home_port` (so
    messages name the port the next ``lotura db start`` will use). Unchanged with
    ``NEO4J_URI`` (an external server).
    """
    return settings if settings.external else _located(settings)[0]


def _located(settings: Settings) -> tuple[Settings, bool]:
    """``settings`` at the port of this home's server, and whether that server is live
    (one read of the PID file)."""
    info = _live(settings)
    port = info["port"] if info is not None else home_port(settings)
    return (settings if port == settings.bolt_port else replace(settings, bolt_port=port)), info is not None


def local_settings(settings: Settings) -> Settings:
    """The settings a command connects with: :func:`with_running_port`, failing at once,
    with the way out, when Lotura is to use its local server and nothing runs there (no
    live server in ``LOTURA_HOME`` and nothing listening on the port; a server still
    starting, or one run by hand on that port, is waited for as usual).

    Unchanged with ``NEO4J_URI``: an external server may be restarting.
    """
    if settings.external:
        return settings
    settings, live = _located(settings)
    if live or port_in_use(settings.bolt_port):
        return settings
    raise DatabaseUnavailable(
        f"Lotura's Neo4j is not running (nothing answers on bolt://127.0.0.1:{settings.bolt_port}, "
        f"LOTURA_HOME={settings.home}). Start it with `lotura db start` (or `lotura up`), "
        "or point NEO4J_URI at your server."
    )


def status(settings: Settings) -> Status:
    if settings.external:
        return Status("external", uri=settings.uri, detail="NEO4J_URI is set; Lotura does not manage it")
    p = paths(settings)
    info = _read_pidfile(p)
    if info is None:
        return Status("stopped")
    pid, port = info["pid"], info["port"]
    if not _alive(pid):
        return Status("stale", pid=pid, port=port, detail=f"PID file {p.pidfile} names a dead process")
    uri = f"bolt://127.0.0.1:{port}"
    if bolt_answers(port):
        return Status("running", pid=pid, port=port, uri=uri)
    return Status("unresponsive", pid=pid, port=port, uri=uri, detail="process alive, Bolt not answering")


def start(settings: Settings, port: int | None = None, say: Say = _quiet) -> Status:
    """Start the local server (fetching it first if needed) and wait for Bolt."""
    if settings.external:
        raise ServerError("NEO4J_URI is set: Lotura uses that server and does not start its own.")
    p = paths(settings)
    current = status(settings)
    if port is None and current.state == "running":
        port = current.port  # no port asked for: the running server is meant
    port = port or home_port(settings)
    if current.state == "running":
        if current.port != port:
            raise ServerError(
                f"Lotura's Neo4j already runs on port {current.port} (asked for {port}); "
                "stop it first with `lotura db stop`."
            )
        say(f"Neo4j already running on bolt://127.0.0.1:{port} (pid {current.pid}).")
        return current
    if current.state == "unresponsive" and current.pid:
        say(f"Waiting for the running Neo4j (pid {current.pid}) to answer...")
        if _wait_ready(settings, current.pid, current.port or port, settings.start_timeout):
            return status(settings)
        raise ServerError(
            f"Neo4j (pid {current.pid}) runs but Bolt does not answer; try `lotura db stop`.\n"
            + log_tail(settings)
        )
    if current.state == "stale":
        p.pidfile.unlink(missing_ok=True)
    java = java_bin()
    if port_in_use(port):
        raise ServerError(
            f"Port {port} on 127.0.0.1 is taken by another program; "
            "choose another with `lotura db start --port N` (or LOTURA_BOLT_PORT)."
        )
    fetch(settings, say)
    for folder in (p.store, p.logs):
        folder.mkdir(parents=True, exist_ok=True)
    cp = os.pathsep.join([str(p.classes), str(p.lib / "*")])
    main: list[str] = [MAIN_CLASS]
    if (p.classes / LAUNCHER.name).exists():  # no javac: single-file source launch
        main = [str(p.classes / LAUNCHER.name)]
    cmd = [
        java, f"-Xmx{settings.heap}", "-Xms128m", "-XX:+ExitOnOutOfMemoryError",
        "-Dfile.encoding=UTF-8", *JVM_OPENS, "-cp", cp, *main,
        str(p.store), str(port), str(p.plugins), str(settings.pagecache_mb),
    ]
    say(f"Starting Neo4j on bolt://127.0.0.1:{port} (store {p.store})...")
    with p.log.open("ab") as log:
        log.write(f"\n==== lotura db start {time.strftime('%Y-%m-%d %H:%M:%S')} port {port}\n".encode())
        log.flush()
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=str(p.home),
        )
    _CHILDREN[proc.pid] = proc
    p.pidfile.write_text(json.dumps({"pid": proc.pid, "port": port}))
    if not _wait_ready(settings, proc.pid, port, settings.start_timeout, proc):
        code = proc.poll()
        if code is None:
            _terminate(proc.pid, 30)
        _CHILDREN.pop(proc.pid, None)
        p.pidfile.unlink(missing_ok=True)
        why = (
            f"exited with status {code}" if code is not None
            else f"did not answer within {settings.start_timeout:.0f} s"
        )
        raise ServerError(f"Neo4j {why}. Last lines of {p.log}:\n{log_tail(settings)}")
    p.portfile.write_text(f"{port}\n")  # remembered once the server answers there
    say(f"Neo4j is up: bolt://127.0.0.1:{port} (pid {proc.pid}).")
    return Status("running", pid=proc.pid, port=port, uri=f"bolt://127.0.0.1:{port}")


def _wait_ready(
    settings: Settings, pid: int, port: int, timeout: float, proc: subprocess.Popen[bytes] | None = None
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        if proc is None and not _alive(pid):
            return False
        if port_in_use(port) and bolt_answers(port):
            return True
        time.sleep(0.5)
    return False


def _terminate(pid: int, timeout: float) -> bool:
    """SIGTERM, wait up to ``timeout`` s for a clean shutdown, then SIGKILL."""
    child = _CHILDREN.pop(pid, None)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    if child is not None:
        try:
            child.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)
            return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                return True
        except ChildProcessError:
            pass
        if not _alive(pid):
            return True
        time.sleep(0.25)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    time.sleep(0.5)
    return False


def stop(settings: Settings, timeout: float = 60.0, say: Say = _quiet) -> Status:
    """Stop the local server cleanly and wait until its process has exited."""
    if settings.external:
        raise ServerError("NEO4J_URI is set: Lotura does not manage that server.")
    p = paths(settings)
    info = _read_pidfile(p)
    if info is None:
        say("Neo4j is not running.")
        return Status("stopped")
    pid = info["pid"]
    if _alive(pid):
        say(f"Stopping Neo4j (pid {pid})...")
        clean = _terminate(pid, timeout)
        if not clean:
            say("Neo4j did not stop in time and was killed.")
    p.pidfile.unlink(missing_ok=True)
    say("Neo4j stopped.")
    return Status("stopped")


def kill(settings: Settings) -> None:
    """SIGKILL the server (fault tests): no clean shutdown."""
    info = _read_pidfile(paths(settings))
    if info and _alive(info["pid"]):
        os.kill(info["pid"], signal.SIGKILL)
        child = _CHILDREN.pop(info["pid"], None)
        if child is not None:
            child.wait(10)
        deadline = time.monotonic() + 10
        while _alive(info["pid"]) and time.monotonic() < deadline:
            time.sleep(0.1)


def wipe_store(settings: Settings) -> None:
    """Delete the local store (``lotura db reset --hard``); the server must be stopped."""
    if status(settings).state in {"running", "unresponsive"}:
        raise ServerError("stop Neo4j before deleting its store")
    shutil.rmtree(paths(settings).store, ignore_errors=True)
