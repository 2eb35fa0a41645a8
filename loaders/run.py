"""A load: the lock, the ``(:Load)`` record, batched writes with progress, the report.

Use :func:`load_run` as a context manager::

    with load_run(graph, "cordis", files, progress=True) as run:
        run.write("projects", "load/projects", rows, source_file="...")

On entry it takes the ``(:Lock {id: 'load'})`` node (a second load is refused with
:class:`~graphsvc.errors.Conflict` naming the holder) and creates a ``(:Load)`` node
with status ``running``. On a clean exit it gives the organisations no source gave a
kind the kind their name gives (:mod:`loaders.save_kinds`), recomputes
``Project.cross_border``, bumps the graph version and marks the load ``done``; on an error it marks it ``failed``.
Either way it gives the lock back.

A lock whose holder is gone is taken over: its process runs on this machine and is
dead, or its heartbeat (renewed at every step) is older than
``LOTURA_LOAD_LOCK_STALE_MINUTES`` (15 by default). The ``(:Load)`` of such an
interrupted load is marked ``failed``. Every write is a ``MERGE``, so rerunning the
interrupted load gives exactly the counts of a clean one.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from graphsvc.db import Graph
from graphsvc.errors import Conflict
from graphsvc.settings import Settings
from loaders.save_kinds import save_name_kinds

__all__ = ["LoadReport", "LoadRun", "load_run", "stale_minutes", "COUNTERS"]

COUNTERS = ("nodes_created", "relationships_created", "properties_set")


def stale_minutes(settings: Settings | None = None) -> int:
    """Minutes without a heartbeat after which a load lock may be taken over:
    ``settings.load_lock_stale_minutes`` (a load takes its graph's settings), by
    default of :meth:`Settings.from_env`."""
    return (settings or Settings.from_env()).load_lock_stale_minutes


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class LoadReport:
    """What a load did; printed at the end and kept as a ``(:Load)`` node."""

    id: str
    source: str
    files: list[str] = field(default_factory=list)
    status: str = "running"
    rows_read: int = 0
    rows_rejected: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    seconds: float = 0.0
    steps: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def add(self, step: str, counts: dict[str, int], rows: int, seconds: float = 0.0) -> None:
        s = self.steps.setdefault(step, {"rows": 0, **dict.fromkeys(COUNTERS, 0), "seconds": 0.0})
        s["rows"] += rows
        s["seconds"] = round(s["seconds"] + seconds, 3)
        for k in COUNTERS:
            s[k] += counts.get(k, 0)
            setattr(self, k, getattr(self, k) + counts.get(k, 0))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """A human-readable report.

        >>> r = LoadReport("x", "demo", rows_read=3, nodes_created=2, status="done")
        >>> r.add("organisations", {"nodes_created": 2, "properties_set": 5}, 3)
        >>> print(r.summary())  # doctest: +NORMALIZE_WHITESPACE
        Load x (demo): done in 0.0 s
          rows read 3, rejected 0
          nodes created 4, relationships created 0, properties set 5
          step            rows  nodes   rels   props      s
          organisations      3      2      0       5    0.0
        """
        lines = [
            f"Load {self.id} ({self.source}): {self.status} in {self.seconds:.1f} s",
            f"  rows read {self.rows_read}, rejected {self.rows_rejected}",
            f"  nodes created {self.nodes_created}, relationships created {self.relationships_created}, "
            f"properties set {self.properties_set}",
        ]
        if self.steps:
            width = max(len(s) for s in self.steps) + 2
            lines.append(f"  {'step'.ljust(width)}{'rows':>6} {'nodes':>6} {'rels':>6} {'props':>7} {'s':>6}")
            for name, s in self.steps.items():
                lines.append(f"  {name.ljust(width)}{s['rows']:>6} {s['nodes_created']:>6} "
                             f"{s['relationships_created']:>6} {s['properties_set']:>7} {s['seconds']:>6.1f}")
        lines += [f"  warning: {w}" for w in self.warnings]
        if self.error:
            lines.append(f"  error: {self.error}")
        return "\n".join(lines)


class LoadRun:
    """One load in progress: writes rows in batches and keeps the report."""

    def __init__(self, graph: Graph, report: LoadReport, token: str, *, progress: bool,
                 batch_size: int = 10000) -> None:
        self.graph = graph
        self.report = report
        self.token = token
        self.progress = progress and sys.stderr.isatty()
        self.batch_size = batch_size
        self.loaded_at = datetime.now(UTC)

    def heartbeat(self) -> None:
        self.graph.write("load/lock_heartbeat", token=self.token)

    def write(self, step: str, query_name: str, rows: Sequence[dict[str, Any]], *, source: str,
              source_file: str, batch_size: int | None = None) -> dict[str, int]:
        """``UNWIND`` ``rows`` through the named query in batches; count into the report."""
        if not rows:
            return {}
        self.heartbeat()
        t0 = time.perf_counter()
        bar = None
        if self.progress:
            from tqdm import tqdm

            bar = tqdm(total=len(rows), desc=step, unit="row", leave=False, file=sys.stderr)
        try:
            counts = self.graph.write_batches(
                query_name, rows, batch_size=batch_size or self.batch_size,
                extra={"source": source, "source_file": source_file, "loaded_at": self.loaded_at},
                progress=bar.update if bar is not None else None,
            )
        finally:
            if bar is not None:
                bar.close()
        self.report.add(step, counts, len(rows), time.perf_counter() - t0)
        return counts

    def update_cross_border(self) -> None:
        """Recompute ``Project.cross_border`` for every project."""
        t0 = time.perf_counter()
        ids = [{"id": r["id"]} for r in self.graph.read("load/project_ids")]
        counts = self.graph.write_batches("load/cross_border", ids, batch_size=5000)
        self.report.add("cross-border flags", {"properties_set": counts.get("properties_set", 0)}, len(ids),
                        time.perf_counter() - t0)


def _holder() -> tuple[str, str, int]:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    host = socket.gethostname()
    pid = os.getpid()
    return f"{user}@{host} (pid {pid})", host, pid


def acquire_lock(graph: Graph, token: str, load_id: str) -> str | None:
    """Take the load lock or raise :class:`Conflict`; return the id of an interrupted
    load whose lock was taken over, if any."""
    holder, host, pid = _holder()
    minutes = stale_minutes(graph.settings)
    takeover = None
    current = graph.read_one("load/lock_get", stale_minutes=minutes)
    if current and current.get("token"):
        same_host = current.get("host") == host
        if same_host and isinstance(current.get("pid"), int) and not _pid_alive(current["pid"]):
            takeover = current["token"]
    row = graph.write("load/lock_acquire", token=token, takeover=takeover, stale_minutes=minutes,
                      holder=holder, host=host, pid=pid, load_id=load_id)[0]
    if not row["free"]:
        since = row.get("since")
        raise Conflict(
            f"another load is running: the lock is held by {row.get('holder')} since {since}. "
            f"Wait for it to finish. If that process is gone, its lock is taken over automatically "
            f"when it ran on this machine, or after {minutes} minutes without progress "
            "(LOTURA_LOAD_LOCK_STALE_MINUTES)."
        )
    return row.get("previous_load")


@contextmanager
def load_run(graph: Graph, source: str, files: Sequence[str] = (), *, progress: bool = True,
             batch_size: int = 10000) -> Iterator[LoadRun]:
    """Hold the load lock and a ``(:Load)`` record around a load; see the module doc."""
    load_id = str(uuid.uuid4())
    token = str(uuid.uuid4())
    previous = acquire_lock(graph, token, load_id)
    report = LoadReport(id=load_id, source=source, files=list(files))
    t0 = time.perf_counter()
    failed = False
    try:
        if previous:
            graph.write("load/load_interrupted", id=previous,
                        error="interrupted: its process stopped before the end; this load took over")
            report.warnings.append(f"load {previous} was interrupted; its lock was taken over")
        graph.write("load/load_start", id=load_id, source=source, files=list(files), holder=_holder()[0])
        run = LoadRun(graph, report, token, progress=progress, batch_size=batch_size)
        try:
            yield run
            save_name_kinds(run)
            run.update_cross_border()
            graph.bump_version()
            report.status = "done"
        except BaseException as exc:
            report.status = "failed"
            report.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            report.seconds = time.perf_counter() - t0
            _finish(graph, report)
    except BaseException:
        failed = True
        raise
    finally:
        try:
            graph.write("load/lock_release", token=token)
        except Exception:  # noqa: BLE001 - a failing load's own error matters more
            if not failed:
                raise


def _finish(graph: Graph, report: LoadReport) -> None:
    try:
        graph.write(
            "load/load_finish", id=report.id, status=report.status, files=report.files,
            rows_read=report.rows_read, rows_rejected=report.rows_rejected,
            nodes_created=report.nodes_created, relationships_created=report.relationships_created,
            properties_set=report.properties_set, report=json.dumps(report.as_dict()), error=report.error,
        )
    except Exception:  # noqa: BLE001 - the load's own error matters more than its record
        if report.status == "done":
            raise
