"""Load everything bundled in ``data/`` in the right order: ``lotura load demo``.

Every file is parsed (and validated) first; only when all of them are clean does the
load start writing, under one lock and one ``(:Load {source: 'demo'})`` record.
"""

from __future__ import annotations

from pathlib import Path

from graphsvc.db import Graph
from loaders import DATA_DIR
from loaders.cordis import parse_cordis
from loaders.csvio import Parsed
from loaders.education import parse_fr_higher_education, parse_fr_research_units, parse_vet_centres
from loaders.esco import parse_esco
from loaders.h2020 import parse_h2020
from loaders.regions import bundled_regions, parse_regions
from loaders.run import LoadReport, load_run
from loaders.save import save_parsed
from loaders.templates import TEMPLATES, parse_template

__all__ = ["load_demo", "parse_demo", "CURATED_ORDER"]

#: The curated templates, in the order they must be written.
CURATED_ORDER = ("networks", "organisations", "memberships", "capacities", "needs", "projects")


def parse_curated(folder: Path) -> Parsed:
    """Every template file present in ``folder`` (``organisations.csv`` ...), as one source."""
    parsed = Parsed(source="curated")
    for kind in CURATED_ORDER:
        assert kind in TEMPLATES
        path = folder / f"{kind}.csv"
        if path.exists():
            parsed.extend(parse_template(kind, path))
    return parsed


def parse_demo(data: Path = DATA_DIR) -> list[Parsed]:
    """Parse every bundled source, in load order (no database)."""
    regions = bundled_regions(data / "regions")
    education = data / "education"
    return [
        parse_regions(data / "regions"),
        parse_esco(data / "esco"),
        parse_cordis(data / "cordis_he", regions),
        parse_h2020(data / "h2020"),
        parse_vet_centres(education / "euskadi_vet_centres.csv"),
        parse_fr_higher_education(education / "fr_higher_education_nouvelle_aquitaine.csv"),
        parse_fr_research_units(education / "fr_research_units_nouvelle_aquitaine.csv"),
        parse_curated(data / "curated"),
    ]


def load_demo(graph: Graph, progress: bool = True, data: Path = DATA_DIR) -> LoadReport:
    """Load the bundled data into ``graph`` (idempotent: a second run changes no count).

    Parameters
    ----------
    graph : Graph
        The graph to load into (the schema must be applied).
    progress : bool
        Show progress bars (only on a terminal).
    data : Path
        The data folder; the project's ``data/`` by default.

    Returns
    -------
    LoadReport
        Rows read, nodes and relationships created, properties set, per step.
    """
    parts = parse_demo(data)
    for p in parts:
        p.check(skip_invalid=False)
    files = [f for p in parts for f in p.files]
    with load_run(graph, "demo", files, progress=progress) as run:
        for p in parts:
            save_parsed(run, p)
    return run.report
