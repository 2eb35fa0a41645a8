"""One entry point per kind of source, for the CLI and any other caller.

Each function parses first (every problem reported, nothing written when there is
one, unless ``skip_invalid``), then writes under the load lock.
"""

from __future__ import annotations

from pathlib import Path

from graphsvc.db import Graph
from graphsvc.errors import InvalidInput
from loaders import DATA_DIR
from loaders.cordis import parse_cordis
from loaders.csvio import Parsed
from loaders.h2020 import parse_h2020
from loaders.regions import parse_regions
from loaders.run import LoadReport, load_run
from loaders.save import check_references, refs_pending, save_parsed
from loaders.templates import TEMPLATES, parse_template

__all__ = ["load_cordis", "load_h2020", "load_regions", "load_template", "TEMPLATE_ALIASES"]

#: Names accepted by ``lotura load <kind> FILE`` for the templates.
TEMPLATE_ALIASES = {"orgs": "organisations", **{k: k for k in TEMPLATES}}


def _load(graph: Graph, parts: list[Parsed], source: str, *, skip_invalid: bool, progress: bool,
          regions_first: bool = False) -> LoadReport:
    for p in parts:
        p.check(skip_invalid=skip_invalid)
        if refs_pending(p) and not p.tables.get("organisations"):
            check_references(graph, p)  # read-only: unknown references stop the load before it starts
    if regions_first:
        # Organisations are located in regions, so the bundled regions are merged first,
        # every time: a few hundred idempotent rows, and a load killed halfway through its
        # regions (nodes written, hierarchy not yet) is repaired by the rerun.
        had_none = graph.read_one("load/region_count")["n"] == 0  # type: ignore[index]
        parts = [parse_regions(DATA_DIR / "regions"), *parts]
        if had_none:
            parts[0].warnings.append("the graph had no regions: the bundled NUTS regions were loaded first")
    files = [f for p in parts for f in p.files]
    with load_run(graph, source, files, progress=progress) as run:
        for p in parts:
            save_parsed(run, p)
    return run.report


def load_cordis(graph: Graph, folder: Path, *, skip_invalid: bool = False, progress: bool = True) -> LoadReport:
    """Load a CORDIS folder (official CSV format, ``.csv`` or ``.csv.gz``)."""
    return _load(graph, [parse_cordis(folder)], "cordis", skip_invalid=skip_invalid, progress=progress,
                 regions_first=True)


def load_h2020(graph: Graph, folder: Path, *, skip_invalid: bool = False, progress: bool = True) -> LoadReport:
    """Load the early Horizon 2020 snapshot (``projects.tsv``, ``edges.tsv``, ``unique_org.tsv``)."""
    return _load(graph, [parse_h2020(folder)], "h2020", skip_invalid=skip_invalid, progress=progress,
                 regions_first=True)


def load_regions(graph: Graph, folder: Path, *, skip_invalid: bool = False, progress: bool = True) -> LoadReport:
    """Load NUTS regions (``nuts_2021.csv``) and Interreg totals."""
    if not (folder / "nuts_2021.csv").exists():
        raise InvalidInput(f"{folder}: no nuts_2021.csv here (see data/regions)")
    return _load(graph, [parse_regions(folder)], "nuts", skip_invalid=skip_invalid, progress=progress)


def load_template(graph: Graph, kind: str, path: Path, *, skip_invalid: bool = False,
                  progress: bool = True) -> LoadReport:
    """Load one template file (``orgs``/``organisations``, ``networks``, ``memberships``,
    ``capacities``, ``needs``, ``projects``)."""
    template = TEMPLATE_ALIASES.get(kind)
    if template is None:
        raise InvalidInput(f"unknown template {kind!r} (one of: {', '.join(TEMPLATE_ALIASES)})", field="kind")
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file", field="file")
    return _load(graph, [parse_template(template, path)], f"curated-{template}", skip_invalid=skip_invalid,
                 progress=progress, regions_first=template == "organisations")
