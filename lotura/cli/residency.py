"""``lotura residency``: plan residencies from HOSTS.csv and APPLICANTS.csv.

The CSV templates are described in docs/residency.md; data/examples/ holds a pair.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import click

from graphsvc.errors import DatabaseUnavailable
from graphsvc.regions import territory_name
from graphsvc.residency import Options, plan
from graphsvc.residency.csvio import (
    Inputs,
    Resolver,
    parse_pair_option,
    plan_table,
    read_inputs,
    to_csv,
)
from graphsvc.residency.explain import plain_gettext, plain_ngettext, translations
from graphsvc.residency.model import Proximity
from graphsvc.settings import LANGUAGES
from lotura.cli.context import app_context, say


def _catalogues() -> Path | None:
    spec = importlib.util.find_spec("web")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "translations"


@click.group()
def residency() -> None:
    """Plan residencies: applicants matched with host places across the border."""


@residency.command("plan")
@click.argument("hosts_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("applicants_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the plan as CSV to this file.")
@click.option("--mode", type=click.Choice(["optimal", "stable"]), default="optimal", show_default=True,
              help="optimal: most residents, then best total fit; stable: deferred acceptance (both sides rank).")
@click.option("--no-cross-border", is_flag=True, help="Allow a host in the applicant's own territory.")
@click.option("--any-topic", is_flag=True, help="Do not require a shared topic.")
@click.option("--lock", "locks", multiple=True, metavar="A:H[:P]", help="Keep applicant A at host H (in period P).")
@click.option("--forbid", "forbids", multiple=True, metavar="A:H[:P]", help="Never send applicant A to host H.")
@click.option("--write", is_flag=True, help="Save the plan in the graph as (:Plan) and (:Residency) nodes.")
@click.option("--plan-id", help="Id of the saved plan (default: derived from the assignments).")
@click.option("--name", help="Name of the saved plan.")
@click.option("--offline", is_flag=True, help="Do not look organisations up in the graph (every row gives its territory).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True, help="Language of the CSV and the reasons.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def plan_cmd(hosts_csv: Path, applicants_csv: Path, out: Path | None, mode: str, no_cross_border: bool,
             any_topic: bool, locks: tuple[str, ...], forbids: tuple[str, ...], write: bool, plan_id: str | None,
             name: str | None, offline: bool, lang: str, as_json: bool) -> None:
    """Match the applicants of APPLICANTS_CSV with the places of HOSTS_CSV.

    Every problem of the files is reported as FILE:LINE: FIELD: MESSAGE. Organisations
    may be given by graph id (pic:999865234) or by name; with Neo4j running they are
    looked up in the graph, which also gives graph proximity to the fit.
    """
    # a mistyped lock or forbid stops the command before any file is read or Neo4j is asked
    lock_pairs = parse_pair_option(locks, "--lock")
    forbid_pairs = parse_pair_option(forbids, "--forbid")
    ctx = app_context()
    graph = None
    if not offline:
        try:
            ctx.graph.ping()
            graph = ctx.graph
        except DatabaseUnavailable:
            if write:
                raise
            say("Neo4j is not reachable: planning offline (no organisation look-up, no graph proximity).")
    resolver: Resolver | None = None
    if graph is not None:
        from graphsvc.residency.graphio import GraphResolver

        resolver = GraphResolver(graph)
    inputs: Inputs = read_inputs(hosts_csv.read_bytes(), applicants_csv.read_bytes(), hosts_file=str(hosts_csv),
                                 applicants_file=str(applicants_csv), resolver=resolver)
    prox: Proximity | None = None
    if graph is not None:
        from graphsvc.residency.graphio import proximity

        prox = proximity(graph, [a.organisation for a in inputs.applicants if a.organisation],
                         [h.organisation for h in inputs.hosts if h.organisation])
    opts = Options(mode=mode, cross_border=not no_cross_border, require_topic=not any_topic,  # type: ignore[arg-type]
                   locks=tuple(lock_pairs), forbids=tuple(forbid_pairs),
                   proximity=prox)
    result = plan(inputs.hosts, inputs.applicants, opts)

    gettext, ngettext = plain_gettext, plain_ngettext
    folder = _catalogues()
    if lang != "en" and folder is not None and folder.is_dir():
        gettext, ngettext = translations(folder, lang)
    header, rows = plan_table(result, inputs, gettext, ngettext, lang, territory=lambda c: territory_name(c, lang))
    if out:
        out.write_text(to_csv(header, rows), encoding="utf-8")
        say(f"wrote {out}")
    if as_json:
        from graphsvc.residency.csvio import dump_plan

        click.echo(json.dumps(json.loads(dump_plan(result)), indent=1, ensure_ascii=False))
    elif not out:
        for r in rows:
            where = f"{r[5]} ({r[6]}), {gettext('Period').lower()} {r[7]}" if r[4] else "—"
            click.echo(f"{r[1]} [{r[0]}] → {where}\n    {r[10]}")
    say(f"{len(result.assignments)} of {len(inputs.applicants)} applicants placed "
        f"({mode}, total fit {result.total:.3f}); {len(result.unmatched)} unmatched.")
    if write:
        from graphsvc.residency.graphio import save_plan

        assert graph is not None
        saved = save_plan(graph, result, inputs, plan_id=plan_id, name=name)
        before = saved["previous_name"]
        if before is not None and before != saved["name"]:
            say(f"plan {saved['plan']} was already saved as {before!r}; it is now named {saved['name']!r}")
        elif before is not None:
            say(f"plan {saved['plan']} was already saved as {before!r}")
        say(f"saved plan {saved['plan']}: {saved['residencies']} residencies in the graph")


@residency.command("plans")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plans_cmd(as_json: bool) -> None:
    """List the plans saved in the graph."""
    from graphsvc.residency.graphio import list_plans

    rows = list_plans(app_context().graph)
    if as_json:
        click.echo(json.dumps(rows, indent=1, default=str))
        return
    if not rows:
        click.echo("no saved plans")
    for r in rows:
        click.echo(f"{r['id']}  {r['name']}  {r['mode']}  {r['residencies']} residencies  total {r['total']:.3f}  {r['created']}")


@residency.command("delete")
@click.argument("plan_id")
def delete_cmd(plan_id: str) -> None:
    """Delete a saved plan and its residencies from the graph."""
    from graphsvc.residency.graphio import delete_plan

    delete_plan(app_context().graph, plan_id)
    click.echo(f"deleted plan {plan_id}")


@residency.command("template")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
def template_cmd(folder: Path) -> None:
    """Write empty HOSTS.csv and APPLICANTS.csv templates into FOLDER."""
    from graphsvc.residency.csvio import APPLICANT_COLUMNS, HOST_COLUMNS

    folder.mkdir(parents=True, exist_ok=True)
    for fname, cols in (("HOSTS.csv", HOST_COLUMNS), ("APPLICANTS.csv", APPLICANT_COLUMNS)):
        path = folder / fname
        if path.exists():
            raise click.ClickException(f"{path} exists; not overwriting it")
        path.write_text(",".join(cols) + "\n", encoding="utf-8")
        click.echo(f"wrote {path}")
