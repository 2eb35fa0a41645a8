"""Benchmark: the whole ES/FR CORDIS Horizon Europe subset into a fresh local Neo4j.

``python -m bench.load_cordis [--save F] [--baseline F] [--uri bolt://...]``

* **batched**: ``lotura load cordis`` as a user runs it (parse, validate, batched
  ``UNWIND ... MERGE`` writes, lock, ``(:Load)`` record, cross-border flags, version bump)
  on ``../shared/data/cordis_horizon_europe`` (8.5k projects, 92.8k participations).
  Targets: at most 60 s, loader peak memory at most 500 MB.
* **one MERGE per transaction**: the same queries, one row per transaction, on a slice
  (the first ``--slice-projects`` projects with all their rows), then extrapolated
  linearly to the row count of the full load. Target: batched at least 20x faster.

Memory: the process's peak resident set (``resource.getrusage``) after the batched load,
and the peak of Python allocations during a separate parse under ``tracemalloc``.

Without ``--uri`` a fresh Neo4j is started in a temporary ``LOTURA_HOME`` on a free port
and stopped at the end (the jar cache is the usual one). With ``--uri`` that server is
EMPTIED first.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench._common import finish, parser
from graphsvc import server
from graphsvc.db import Graph
from graphsvc.schema import apply_schema
from graphsvc.settings import Settings
from loaders import DATA_DIR
from loaders.api import load_cordis, load_regions
from loaders.cordis import parse_cordis

DEFAULT_CORDIS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "cordis_horizon_europe"
# (table, query) in write order, as loaders.save writes them.
STEPS = [("topics", "load/topics"), ("projects", "load/projects"), ("organisations", "load/organisations"),
         ("participations", "load/participations"), ("about", "load/project_about")]


@contextmanager
def neo4j(uri: str | None, pagecache_mb: int) -> Iterator[Graph]:
    if uri:
        g = Graph.from_settings(replace(Settings.from_env(), neo4j_uri=uri))
        try:
            yield g
        finally:
            g.close()
        return
    with tempfile.TemporaryDirectory(prefix="lotura-bench-") as home:
        settings = replace(Settings.from_env(), neo4j_uri=None, home=Path(home), bolt_port=server.free_port(),
                           pagecache_mb=pagecache_mb)
        print(f"starting a fresh Neo4j on port {settings.bolt_port} ...", file=sys.stderr)
        server.start(settings)
        g = Graph.from_settings(settings)
        try:
            yield g
        finally:
            g.close()
            server.stop(settings, timeout=60)


def fresh(graph: Graph) -> None:
    graph.clear()
    apply_schema(graph)
    load_regions(graph, DATA_DIR / "regions", progress=False)


def slice_tables(tables: dict[str, list[dict[str, Any]]], n_projects: int) -> dict[str, list[dict[str, Any]]]:
    """The first ``n_projects`` projects and every row that belongs to them."""
    projects = tables["projects"][:n_projects]
    ids = {p["id"] for p in projects}
    parts = [r for r in tables["participations"] if r["project"] in ids]
    orgs_needed = {r["org"] for r in parts}
    about = [r for r in tables["about"] if r["project"] in ids]
    topics_needed = {r["topic"] for r in about}
    return {
        "topics": [t for t in tables["topics"] if t["id"] in topics_needed],
        "projects": projects,
        "organisations": [o for o in tables["organisations"] if o["id"] in orgs_needed],
        "participations": parts,
        "about": about,
    }


def one_merge_per_transaction(graph: Graph, tables: dict[str, list[dict[str, Any]]]) -> tuple[int, float]:
    extra = {"source": "cordis", "source_file": "bench", "loaded_at": None}
    rows = 0
    t0 = time.perf_counter()
    for table, query_name in STEPS:
        data = tables[table]
        graph.write_batches(query_name, data, batch_size=1, extra=extra)
        rows += len(data)
    return rows, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--uri", help="use this Neo4j instead of a fresh one (it is EMPTIED)")
    ap.add_argument("--cordis", type=Path, default=DEFAULT_CORDIS, help="the CORDIS folder")
    ap.add_argument("--slice-projects", type=int, default=150, help="projects in the baseline slice")
    ap.add_argument("--pagecache-mb", type=int, default=512, help="page cache of the fresh Neo4j")
    args = ap.parse_args(argv)

    with neo4j(args.uri, args.pagecache_mb) as graph:
        fresh(graph)
        # The batched load runs first, so that the process's peak resident set measured
        # right after it is the loader's own peak (nothing else has run yet).
        t0 = time.perf_counter()
        report = load_cordis(graph, args.cordis, progress=False)
        batched_s = time.perf_counter() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(report.summary(), file=sys.stderr)

        # Python allocations of the parse (where the loader's memory peaks), under tracemalloc.
        tracemalloc.start()
        parsed = parse_cordis(args.cordis)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        tables = parsed.tables
        full_rows = sum(len(tables[t]) for t, _ in STEPS)
        sliced = slice_tables(tables, args.slice_projects)
        del parsed, tables

        fresh(graph)
        slice_rows, slice_s = one_merge_per_transaction(graph, sliced)
        graph.clear()

    per_row = slice_s / slice_rows
    extrapolated = per_row * full_rows
    rows = [
        {"case": "batched (full subset)", "rows": full_rows, "seconds": round(batched_s, 1),
         "rows_per_s": round(full_rows / batched_s), "peak_rss_mb": round(rss_mb),
         "parse_traced_peak_mb": round(traced_peak / 1e6)},
        {"case": f"one MERGE per tx (slice: {args.slice_projects} projects)", "rows": slice_rows,
         "seconds": round(slice_s, 1), "rows_per_s": round(slice_rows / slice_s), "peak_rss_mb": "",
         "parse_traced_peak_mb": ""},
        {"case": "one MERGE per tx (extrapolated to full)", "rows": full_rows, "seconds": round(extrapolated, 1),
         "rows_per_s": round(slice_rows / slice_s), "peak_rss_mb": "", "parse_traced_peak_mb": ""},
        {"case": "speedup (extrapolated / batched)", "rows": "", "seconds": round(extrapolated / batched_s, 1),
         "rows_per_s": "", "peak_rss_mb": "", "parse_traced_peak_mb": ""},
    ]
    meta = {
        "nodes_created": report.nodes_created,
        "relationships_created": report.relationships_created, "targets": "batched <= 60 s, >= 20x, <= 500 MB",
        "steps": report.steps,
    }
    finish(args, rows, meta)


if __name__ == "__main__":
    main()
