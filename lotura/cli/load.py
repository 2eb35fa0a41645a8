"""``lotura load ...`` and ``lotura stats``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graphsvc.schema import apply_schema
from graphsvc.stats import format_stats, graph_stats
from lotura.cli.context import app_context, say

_skip = click.option("--skip-invalid", is_flag=True,
                     help="Write the valid rows; rejected rows go to NAME.rejects.csv beside the input.")
_quiet = click.option("--no-progress", is_flag=True, help="No progress bars.")
_json = click.option("--json", "as_json", is_flag=True, help="Print the load report as JSON.")


def _finish(report: Any, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=1, default=str))
    else:
        click.echo(report.summary())


def _run(fn: Callable[..., Any], *args: Any, skip_invalid: bool, no_progress: bool, as_json: bool) -> None:
    ctx = app_context()
    graph = ctx.graph
    apply_schema(graph)
    report = fn(graph, *args, skip_invalid=skip_invalid, progress=not no_progress)
    _finish(report, as_json)


@click.group()
def load() -> None:
    """Load data into the graph: open data (CORDIS, H2020, regions), the partnership's
    CSV templates, or everything bundled (demo).

    Every file is validated first; a file with problems writes nothing (unless
    --skip-invalid) and every problem is listed as FILE:LINE: FIELD: what is wrong.
    Loading the same file twice changes no count. See docs/loading.md.
    """


@load.command("demo")
@_quiet
@_json
def demo_cmd(no_progress: bool, as_json: bool) -> None:
    """Load everything bundled in data/ (regions, ESCO, CORDIS, H2020, education, curated)."""
    from loaders.demo import load_demo

    ctx = app_context()
    apply_schema(ctx.graph)
    _finish(load_demo(ctx.graph, progress=not no_progress), as_json)


@load.command("cordis")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_skip
@_quiet
@_json
def cordis_cmd(folder: Path, skip_invalid: bool, no_progress: bool, as_json: bool) -> None:
    """Load a CORDIS folder in the official CSV format (project.csv, organization.csv,
    euroSciVoc.csv, policyPriorities.csv; .csv or .csv.gz)."""
    from loaders.api import load_cordis

    _run(load_cordis, folder, skip_invalid=skip_invalid, no_progress=no_progress, as_json=as_json)


@load.command("h2020")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_skip
@_quiet
@_json
def h2020_cmd(folder: Path, skip_invalid: bool, no_progress: bool, as_json: bool) -> None:
    """Load the early Horizon 2020 snapshot (projects.tsv, edges.tsv, unique_org.tsv)."""
    from loaders.api import load_h2020

    _run(load_h2020, folder, skip_invalid=skip_invalid, no_progress=no_progress, as_json=as_json)


@load.command("regions")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@_skip
@_quiet
@_json
def regions_cmd(folder: Path | None, skip_invalid: bool, no_progress: bool, as_json: bool) -> None:
    """Load NUTS regions and Interreg totals (default: the bundled data/regions)."""
    from loaders import DATA_DIR
    from loaders.api import load_regions

    _run(load_regions, folder or DATA_DIR / "regions", skip_invalid=skip_invalid, no_progress=no_progress,
         as_json=as_json)


def _template_command(name: str, template: str, doc: str) -> click.Command:
    @click.command(name, help=doc)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @_skip
    @_quiet
    @_json
    def cmd(file: Path, skip_invalid: bool, no_progress: bool, as_json: bool) -> None:
        from loaders.api import load_template

        _run(lambda g, f, **kw: load_template(g, template, f, **kw), file, skip_invalid=skip_invalid,
             no_progress=no_progress, as_json=as_json)

    return cmd


for _name, _template, _doc in (
    ("orgs", "organisations", "Load organisations (template data/templates/organisations.csv)."),
    ("networks", "networks", "Load networks (template data/templates/networks.csv)."),
    ("memberships", "memberships", "Load memberships (template data/templates/memberships.csv)."),
    ("capacities", "capacities", "Load capacities (template data/templates/capacities.csv)."),
    ("needs", "needs", "Load needs (template data/templates/needs.csv)."),
    ("projects", "projects", "Load projects (template data/templates/projects.csv)."),
):
    load.add_command(_template_command(_name, _template, _doc))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(as_json: bool) -> None:
    """Counts by label, by territory (ES21, ES22, FRI, abroad) and by kind."""
    ctx = app_context()
    result = graph_stats(ctx.graph)
    if as_json:
        click.echo(json.dumps(result, indent=1, default=str))
    else:
        click.echo(format_stats(result))
    if result["organisations"]["total"] == 0:
        say("The graph holds no organisations yet: `lotura load demo` loads the bundled data.")
