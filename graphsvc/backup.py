"""Portable backups of the whole graph: ``lotura db backup FILE`` / ``lotura db restore FILE``.

Neo4j Community has no online dump, so Lotura writes its own: a gzip-compressed
JSON-lines file (``.jsonl.gz``), one JSON object a line.

1. a header: ``{"lotura_backup": 1, "created": ISO, "lotura": VERSION, "neo4j": {...},
   "counts": {"nodes": N, "relationships": M, "labels": {...}, "types": {...}}}``
2. one line per node: ``{"n": ID, "l": [labels], "p": {properties}}`` (``ID`` is a
   number local to the file)
3. one line per relationship: ``{"r": TYPE, "s": START_ID, "e": END_ID, "p": {...}}``
4. a footer: ``{"end": true, "nodes": N, "relationships": M}``; a file without it is
   truncated and is refused.

Property values that JSON cannot hold are tagged objects (a JSON object is never a
Neo4j property value, so nothing is ambiguous): ``{"$date": "2024-02-29"}``,
``{"$datetime": "2024-03-01T10:00:00.123456789+01:00", "tz": "Europe/Madrid"}``,
``{"$localdatetime": ...}``, ``{"$time": ...}``, ``{"$localtime": ...}``,
``{"$duration": [months, days, seconds, nanoseconds]}``,
``{"$point": [srid, x, y]}`` or ``[srid, x, y, z]``, ``{"$float": "nan"|"inf"|"-inf"}``,
``{"$bytes": BASE64}``. Lists hold these too.

Everything is read in one read transaction, and a backup is refused while a load holds
the load lock, so the copy is consistent. The file holds password and token hashes:
it is created readable by its owner only.

Restore goes into an empty database (``force`` empties a non-empty one first), applies
the schema, creates nodes then relationships in batches and checks the totals against
the file. Labels and relationship types come from the file, so they go through APOC
(``apoc.create.node``/``apoc.create.relationship``, parameters only) when the server
has it, and otherwise through one named query per label and type of the model
(:data:`NODE_LABELS`, :data:`REL_TYPES`); a label outside that list then stops the
restore with a clear message.
"""

from __future__ import annotations

import base64
import datetime as _dt
import errno
import gzip
import json
import math
import os
import re
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import neo4j
import neo4j.time as ntime
from neo4j.spatial import CartesianPoint, Point, WGS84Point

from graphsvc import __version__
from graphsvc.db import Graph, translated
from graphsvc.errors import Conflict, InvalidInput, LoturaError, NotFound
from graphsvc.schema import apply_schema

__all__ = [
    "FORMAT_VERSION",
    "NODE_LABELS",
    "REL_TYPES",
    "Summary",
    "encode_value",
    "decode_value",
    "backup",
    "restore",
    "read_header",
    "totals",
]

FORMAT_VERSION = 1
MARKER = "LoturaRestore"
MARKER_KEY = "lotura_restore_id"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")

#: The model's labels and relationship types (docs/model.md), each with its named
#: restore query: the path used when the server has no APOC.
NODE_LABELS: dict[str, str] = {
    "Region": "backup/node_region",
    "Organisation": "backup/node_organisation",
    "Project": "backup/node_project",
    "Topic": "backup/node_topic",
    "Capacity": "backup/node_capacity",
    "Network": "backup/node_network",
    "Load": "backup/node_load",
    "Lock": "backup/node_lock",
    "Meta": "backup/node_meta",
    "User": "backup/node_user",
    "ApiToken": "backup/node_api_token",
    "Residency": "backup/node_residency",
    "Plan": "backup/node_plan",
}
EXTRA_LABEL: dict[str, str] = {k: v.replace("/node_", "/label_") for k, v in NODE_LABELS.items()}
REL_TYPES: dict[str, str] = {
    t: f"backup/rel_{t.lower()}"
    for t in (
        "PART_OF", "GROUPED_IN", "LOCATED_IN", "PARTICIPATES_IN", "ABOUT", "OFFERS",
        "COVERS", "NEEDS", "MEMBER_OF", "HOSTED_BY", "RESIDENT_FROM",
    )
}  # fmt: skip

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


# -- values --------------------------------------------------------------------------


def encode_value(v: Any) -> Any:
    """A property value as JSON data (tagged objects for what JSON lacks).

    >>> encode_value(ntime.Date(2024, 2, 29))
    {'$date': '2024-02-29'}
    >>> encode_value([1.5, float("nan")])
    [1.5, {'$float': 'nan'}]
    >>> encode_value(WGS84Point((-2.9, 43.2)))
    {'$point': [4326, -2.9, 43.2]}
    """
    if v is None or isinstance(v, bool | int | str):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return {"$float": "nan"}
        if math.isinf(v):
            return {"$float": "inf" if v > 0 else "-inf"}
        return v
    if isinstance(v, ntime.DateTime):
        if v.tzinfo is None:
            return {"$localdatetime": v.iso_format()}
        out: dict[str, Any] = {"$datetime": v.iso_format()}
        zone = getattr(v.tzinfo, "zone", None) or getattr(v.tzinfo, "key", None)
        if zone:
            out["tz"] = zone
        return out
    if isinstance(v, ntime.Date):
        return {"$date": v.iso_format()}
    if isinstance(v, ntime.Time):
        if v.tzinfo is None:
            return {"$localtime": v.iso_format()}
        return {"$time": v.iso_format()}
    if isinstance(v, ntime.Duration):
        return {"$duration": [v.months, v.days, v.seconds, v.nanoseconds]}
    if isinstance(v, Point):
        return {"$point": [int(v.srid or 0), *[float(c) for c in v]]}
    if isinstance(v, list | tuple):  # after Duration and Point, which are tuples too
        return [encode_value(x) for x in v]
    if isinstance(v, bytes | bytearray):
        return {"$bytes": base64.b64encode(bytes(v)).decode("ascii")}
    if isinstance(v, _dt.datetime | _dt.date | _dt.time):  # Python natives, should a driver return them
        return encode_value(_native_to_neo4j(v))
    raise InvalidInput(f"cannot back up a property value of type {type(v).__name__}")


def _native_to_neo4j(v: _dt.datetime | _dt.date | _dt.time) -> Any:
    if isinstance(v, _dt.datetime):
        return ntime.DateTime.from_native(v)
    if isinstance(v, _dt.date):
        return ntime.Date.from_native(v)
    return ntime.Time.from_native(v)


_OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2}(:\d{2})?)$")


def _zone(name: str) -> Any:
    try:
        import pytz

        return pytz.timezone(name)
    except ImportError:  # pragma: no cover - the driver brings pytz
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)


def decode_value(v: Any) -> Any:
    """The inverse of :func:`encode_value`.

    >>> decode_value({"$date": "2024-02-29"})
    neo4j.time.Date(2024, 2, 29)
    >>> decode_value({"$duration": [14, 3, 14706, 7]})
    neo4j.time.Duration(months=14, days=3, seconds=14706, nanoseconds=7)
    """
    if isinstance(v, list):
        return [decode_value(x) for x in v]
    if not isinstance(v, dict):
        return v
    if "$date" in v:
        return ntime.Date.from_iso_format(v["$date"])
    if "$localdatetime" in v:
        return ntime.DateTime.from_iso_format(v["$localdatetime"])
    if "$datetime" in v:
        dt = ntime.DateTime.from_iso_format(v["$datetime"])
        if v.get("tz"):
            dt = dt.astimezone(_zone(v["tz"]))
        return dt
    if "$localtime" in v:
        return ntime.Time.from_iso_format(v["$localtime"])
    if "$time" in v:
        return ntime.Time.from_iso_format(v["$time"])
    if "$duration" in v:
        months, days, seconds, nanos = v["$duration"]
        return ntime.Duration(months=months, days=days, seconds=seconds, nanoseconds=nanos)
    if "$point" in v:
        srid, *coords = v["$point"]
        cls = WGS84Point if srid in (4326, 4979) else CartesianPoint
        return cls(coords)
    if "$float" in v:
        return float(v["$float"])
    if "$bytes" in v:
        return bytearray(base64.b64decode(v["$bytes"]))
    raise InvalidInput(f"unknown tagged value in the backup: {sorted(v)}")


def _encode_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: encode_value(x) for k, x in props.items() if k != MARKER_KEY}


def _decode_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: decode_value(x) for k, x in props.items()}


# -- totals ----------------------------------------------------------------------------


def totals(graph: Graph) -> dict[str, Any]:
    """``{"nodes", "relationships", "labels": {label: n}, "types": {type: n}}``."""
    row = graph.read_one("backup/totals") or {}
    return {
        "nodes": int(row.get("nodes") or 0),
        "relationships": int(row.get("relationships") or 0),
        "labels": {k: int(n) for k, n in row.get("labels") or [] if k != MARKER},
        "types": {k: int(n) for k, n in row.get("types") or []},
    }


@dataclass
class Summary:
    path: Path
    nodes: int = 0
    relationships: int = 0
    seconds: float = 0.0
    bytes: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    via: str = ""


# -- backup ------------------------------------------------------------------------------


class BackupWriteFailed(LoturaError):
    """The backup file could not be written (full disk, no permission...)."""


def _write_failed(path: Path, exc: OSError) -> BackupWriteFailed:
    why = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    return BackupWriteFailed(f"cannot write the backup {path}: {why}; nothing was kept")


def _line(fh: IO[bytes], obj: dict[str, Any]) -> None:
    # OSError is re-raised as a Lotura error here, inside the database block, so that
    # a full disk is not mistaken for an unreachable Neo4j.
    try:
        fh.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8"))
        fh.write(b"\n")
    except OSError as exc:
        raise _write_failed(Path(getattr(fh, "name", "") or "backup"), exc) from exc


def backup(graph: Graph, path: str | Path, *, say: Say = _quiet, ignore_lock: bool = False) -> Summary:
    """Write the whole graph to ``path`` (gzip JSON lines), atomically.

    Refuses while a load holds the load lock (``ignore_lock`` overrides), and fails
    rather than write a torn copy if the graph changes under it.
    """
    path = Path(path)
    if path.is_dir():
        raise InvalidInput(
            f"{path} is a folder; give a file name such as lotura-backup.jsonl.gz", field="file"
        )
    if not path.parent.exists():
        raise NotFound(f"the folder {path.parent} does not exist")
    lock = graph.read_one("backup/load_lock")
    if lock and lock.get("holder") and not ignore_lock:
        raise Conflict(
            f"a load is running (held by {lock['holder']} since {lock.get('since')}); "
            "back up once it has finished"
        )
    t0 = time.monotonic()
    info = graph.server_info()
    # A regular file is written beside its final name and renamed at the end, so a
    # failed backup never leaves a half file under that name; a device or a pipe
    # (``/dev/stdout``) is written directly.
    direct = path.exists() and not path.is_file()
    tmp = path if direct else path.with_name(f".{path.name}.partial")
    summary = Summary(path)
    ids: dict[str, int] = {}
    labels: dict[str, int] = {}
    types: dict[str, int] = {}
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise _write_failed(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as fh:
            with (
                translated(),
                graph.driver.session(
                    database=graph.database, default_access_mode=neo4j.READ_ACCESS
                ) as session,
                session.begin_transaction() as tx,
            ):
                head = tx.run(graph.query("backup/totals")).single()
                counts = {
                    "nodes": head["nodes"], "relationships": head["relationships"],
                    "labels": {k: n for k, n in head["labels"] if k != MARKER},
                    "types": dict(head["types"]),
                }  # fmt: skip
                _line(fh, {
                    "lotura_backup": FORMAT_VERSION,
                    "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                    "lotura": __version__,
                    "neo4j": info,
                    "counts": counts,
                })  # fmt: skip
                for rec in tx.run(graph.query("backup/dump_nodes")):
                    nid = len(ids)
                    ids[rec["eid"]] = nid
                    lbls = [x for x in rec["labels"] if x != MARKER]
                    for lb in lbls:
                        labels[lb] = labels.get(lb, 0) + 1
                    _line(fh, {"n": nid, "l": lbls, "p": _encode_props(rec["props"])})
                    if nid and nid % 50_000 == 0:
                        say(f"  {nid} nodes...")
                for rec in tx.run(graph.query("backup/dump_rels")):
                    s, e = ids.get(rec["s"]), ids.get(rec["e"])
                    if s is None or e is None:
                        raise Conflict("the graph changed while it was being backed up; run the backup again")
                    types[rec["type"]] = types.get(rec["type"], 0) + 1
                    summary.relationships += 1
                    _line(fh, {"r": rec["type"], "s": s, "e": e, "p": _encode_props(rec["props"])})
                tx.commit()
            summary.nodes = len(ids)
            if summary.nodes != counts["nodes"] or summary.relationships != counts["relationships"]:
                raise Conflict("the graph changed while it was being backed up; run the backup again")
            _line(fh, {"end": True, "nodes": summary.nodes, "relationships": summary.relationships})
        if not direct:
            os.replace(tmp, path)
    except OSError as exc:
        raise _write_failed(path, exc) from exc
    finally:
        if not direct and tmp.exists():
            tmp.unlink()
    summary.labels, summary.types = labels, types
    summary.seconds = time.monotonic() - t0
    summary.bytes = path.stat().st_size if not direct else 0
    return summary


# -- restore -----------------------------------------------------------------------------


def _open(path: Path) -> IO[bytes]:
    if not path.is_file():
        raise NotFound(f"no backup file at {path}")
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")
    return path.open("rb")


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open(path) as fh:
        lineno = 0
        try:
            for lineno, raw in enumerate(fh, start=1):  # noqa: B007 - lineno used after the loop
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw)
                except ValueError as exc:
                    raise InvalidInput(f"{path}:{lineno}: not a JSON line ({exc})") from exc
                if not isinstance(obj, dict):
                    raise InvalidInput(f"{path}:{lineno}: not a JSON object")
                yield lineno, obj
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise InvalidInput(
                f"{path}: the file is damaged or truncated near line {lineno + 1} ({exc})"
            ) from exc


def read_header(path: str | Path) -> dict[str, Any]:
    """The header of a backup file (its counts), checking that it is one."""
    for lineno, obj in _records(Path(path)):
        if obj.get("lotura_backup") != FORMAT_VERSION:
            raise InvalidInput(f"{path}:{lineno}: not a Lotura backup (format {FORMAT_VERSION})")
        return obj
    raise InvalidInput(f"{path}: the file is empty")


def _check_ident(name: str, what: str, where: str) -> str:
    if not isinstance(name, str) or not _IDENT.match(name) or name == MARKER:
        raise InvalidInput(f"{where}: invalid {what} {name!r}")
    return name


def restore(
    graph: Graph,
    path: str | Path,
    *,
    force: bool = False,
    batch_size: int = 2000,
    use_apoc: bool | None = None,
    say: Say = _quiet,
) -> Summary:
    """Restore the backup at ``path`` into an empty database (``force``: empty it first)."""
    path = Path(path)
    header = read_header(path)
    if not graph.is_empty():
        if not force:
            raise Conflict(
                "the database is not empty; restore refuses to mix graphs. "
                "Use --force to delete what it holds and restore the backup in its place."
            )
        say("Emptying the database (--force)...")
    graph.clear()
    apply_schema(graph)
    if use_apoc is None:
        use_apoc = graph.has_procedure("apoc.create.node")
    t0 = time.monotonic()
    summary = Summary(path, via="APOC" if use_apoc else "named queries")
    graph.run_statements("backup/marker_index")
    footer: dict[str, Any] | None = None
    try:
        node_buf: list[dict[str, Any]] = []
        rel_buf: list[dict[str, Any]] = []

        def flush_nodes() -> None:
            if node_buf:
                _write_nodes(graph, node_buf, use_apoc)
                summary.nodes += len(node_buf)
                node_buf.clear()

        def flush_rels() -> None:
            if rel_buf:
                _write_rels(graph, rel_buf, use_apoc)
                summary.relationships += len(rel_buf)
                rel_buf.clear()

        for lineno, obj in _records(path):
            where = f"{path}:{lineno}"
            if "n" in obj:
                if rel_buf:
                    raise InvalidInput(f"{where}: a node after the relationships")
                lbls = [_check_ident(x, "label", where) for x in obj.get("l") or []]
                node_buf.append(
                    {"id": int(obj["n"]), "labels": lbls, "props": _decode_props(obj.get("p") or {})}
                )
                if len(node_buf) >= batch_size:
                    flush_nodes()
            elif "r" in obj:
                flush_nodes()
                rel_buf.append({
                    "type": _check_ident(obj["r"], "relationship type", where),
                    "s": int(obj["s"]), "e": int(obj["e"]),
                    "props": _decode_props(obj.get("p") or {}),
                })  # fmt: skip
                if len(rel_buf) >= batch_size:
                    flush_rels()
            elif obj.get("end"):
                footer = obj
            elif lineno != 1 or "lotura_backup" not in obj:
                raise InvalidInput(f"{where}: a line that is neither node nor relationship")
            if lineno % 100_000 == 0:
                say(f"  {summary.nodes} nodes, {summary.relationships} relationships...")
        flush_nodes()
        flush_rels()
    except LoturaError as exc:
        raise type(exc)(
            f"{exc.message}\nThe database now holds part of the backup: fix the cause and run the "
            "restore again with --force."
        ) from exc
    finally:
        _clear_markers(graph)
    if footer is None:
        raise InvalidInput(f"{path}: the file ends early (no footer); the restore is incomplete")
    got = totals(graph)
    want = header["counts"]
    if (got["nodes"], got["relationships"]) != (footer["nodes"], footer["relationships"]) or (
        got["labels"] != want["labels"] or got["types"] != want["types"]
    ):
        raise Conflict(
            f"the restored graph does not match the backup: {got['nodes']} nodes and "
            f"{got['relationships']} relationships, expected {footer['nodes']} and {footer['relationships']}"
        )
    summary.labels, summary.types = got["labels"], got["types"]
    # The backup brought its own version back; a new stamp tells every running process's
    # caches that the graph changed under them.
    graph.bump_version()
    summary.seconds = time.monotonic() - t0
    summary.bytes = path.stat().st_size
    return summary


def _write_nodes(graph: Graph, rows: list[dict[str, Any]], use_apoc: bool) -> None:
    if use_apoc:
        graph.write("backup/apoc_nodes", rows=rows)
        return
    groups: dict[str, list[dict[str, Any]]] = {}
    extra: dict[str, list[int]] = {}
    for row in rows:
        lbls = row["labels"]
        for lb in lbls:
            if lb not in NODE_LABELS:
                raise InvalidInput(
                    f"the backup holds nodes labelled {lb!r}, which Lotura's model does not know; "
                    "restore it on a Neo4j server with APOC"
                )
        first = lbls[0] if lbls else ""
        groups.setdefault(first, []).append({"id": row["id"], "props": row["props"]})
        for lb in lbls[1:]:
            extra.setdefault(lb, []).append(row["id"])
    for first, group in groups.items():
        graph.write(NODE_LABELS[first] if first else "backup/node_unlabelled", rows=group)
    for lb, ids in extra.items():
        graph.write(EXTRA_LABEL[lb], ids=ids)


def _write_rels(graph: Graph, rows: list[dict[str, Any]], use_apoc: bool) -> None:
    if use_apoc:
        graph.write("backup/apoc_rels", rows=rows)
        return
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["type"] not in REL_TYPES:
            raise InvalidInput(
                f"the backup holds relationships of type {row['type']!r}, which Lotura's model does "
                "not know; restore it on a Neo4j server with APOC"
            )
        groups.setdefault(row["type"], []).append(row)
    for t, group in groups.items():
        graph.write(REL_TYPES[t], rows=group)


def _clear_markers(graph: Graph) -> None:
    while True:
        rows = graph.write("backup/marker_clear", size=10_000)
        if not rows or not rows[0]["n"]:
            break
    graph.run_statements("backup/marker_drop")
