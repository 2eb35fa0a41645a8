"""``lotura analyse``, ``lotura suggest`` and ``lotura evaluate``: the analytics, partner
suggestions and their back-test (docs/algorithms.md)."""

from __future__ import annotations

import json
from typing import Any

import click

from graphsvc.algorithms.scoring import PARTS, Weights
from graphsvc.analytics import ENGINES
from graphsvc.analytics import analyse as run_analyse
from graphsvc.errors import InvalidInput
from graphsvc.evaluate import evaluate as run_evaluate
from graphsvc.evaluate import table_rows
from graphsvc.projection import KINDS, projection
from graphsvc.reasons import identity_gettext, identity_ngettext, render_reasons
from graphsvc.regions import TERRITORIES, territory_name
from graphsvc.suggest import SCOPES, Suggestion, combined_members, resolve
from graphsvc.suggest import suggest as run_suggest
from lotura.cli.context import app_context, say

__all__ = ["analyse", "suggest", "evaluate"]


def _weights(text: str | None) -> Weights | None:
    if not text:
        return None
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"--weights is not JSON: {exc.msg}", field="weights") from exc
    if not isinstance(values, dict):
        raise InvalidInput('--weights must be a JSON object such as {"topics": 0.5}', field="weights")
    return Weights.from_mapping(values)


@click.command()
@click.option("--engine", type=click.Choice(ENGINES), default="networkx", show_default=True,
              help="networkx: in this process; gds: Neo4j Graph Data Science on the server.")
@click.option("--samples", type=click.IntRange(1, None), default=None,
              help="Betweenness: number of sampled sources (default: exact up to 3000 organisations, else 192).")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of Louvain and the sample.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def analyse(engine: str, samples: int | None, seed: int, as_json: bool) -> None:
    """Compute communities, degree, betweenness, PageRank and cross-border brokers and
    write them on every organisation."""
    ctx = app_context()
    summary = run_analyse(ctx.graph, engine=engine, samples=samples, seed=seed, progress=lambda m: say(f"... {m}"))
    if as_json:
        click.echo(json.dumps(summary))
        return
    click.echo(
        f"Analysed {summary['organisations']} organisations, {summary['ties']} ties, "
        f"{summary['projects']} projects with {summary['engine']} in {summary['seconds']} s."
    )
    click.echo(f"  communities (2+ members): {summary['communities']}")
    click.echo(f"  cross-border brokers:     {summary['brokers']}")
    click.echo(f"  betweenness sources:      {summary['betweenness_samples']}")
    click.echo("  steps: " + ", ".join(f"{k} {v} s" for k, v in summary["timings"].items()))


def _candidate(s: Suggestion) -> dict[str, Any]:
    return {
        "id": s.id, "pic": s.pic, "name": s.name, "territory": s.territory, "country": s.country,
        "kind": s.kind, "score": s.score, "parts": s.parts,
        "reasons": render_reasons(s.reasons, identity_gettext, identity_ngettext),
        "introduction": s.introduction,
    }


def _print_human(org: dict[str, Any] | None, got: list[Suggestion]) -> None:
    if org:
        where = territory_name(org.get("territory")) or org.get("country") or "?"
        click.echo(f"{org['name']} ({org['id']}, {where})")
        members = org.get("combined_members") or []
        if members:
            click.echo(f"  combining the networks of its {len(members)} member(s) with projects: "
                       + "; ".join(m["name"] for m in members))
    if not got:
        click.echo("  no suggestions with these filters")
    for k, s in enumerate(got, 1):
        where = territory_name(s.territory) or s.country or "?"
        click.echo(f"  {k:>2}. {s.name} ({where}, {s.kind or '?'}) score {s.score:.3f}  [{s.id}]")
        for line in render_reasons(s.reasons, identity_gettext, identity_ngettext):
            click.echo(f"        - {line}")
    click.echo("")


@click.command()
@click.argument("orgs", nargs=-1)
@click.option("--all-in", "all_in", type=click.Choice(TERRITORIES),
              help="Suggest for every organisation of this territory with at least one project.")
@click.option("--as-of", "as_of", type=click.IntRange(1900, 2100), help="Only projects started by this year count.")
@click.option("--scope", type=click.Choice(SCOPES), default="euroregion", show_default=True,
              help="euroregion: another territory of the Euroregion; abroad: another country; any.")
@click.option("--territory", type=click.Choice(TERRITORIES), help="Only candidates in this territory.")
@click.option("--kind", type=click.Choice(KINDS), help="Only candidates of this kind.")
@click.option("--topic", help="Only candidates working on this topic: an id, or a name (every topic of that name).")
@click.option("--topics", help="Newcomer mode (no ORG): comma-separated topics describing the need.")
@click.option("--text", help="Newcomer mode (no ORG): free text describing the need.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True)
@click.option("--limit", type=click.IntRange(1, 200), default=10, show_default=True)
@click.option("--weights", help=(
    'Score weights as JSON, e.g. {"topics": 0.5, "country_ties": 0.5}; unnamed parts weigh 0. Parts: '
    + ", ".join(PARTS) + ". Default: the learned weights, and the newcomer defaults for a newcomer (docs/algorithms.md)."))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line: the organisation and its candidates.")
def suggest(
    orgs: tuple[str, ...], all_in: str | None, as_of: int | None, scope: str, territory: str | None,
    kind: str | None, topic: str | None, topics: str | None, text: str | None, min_score: float,
    limit: int, weights: str | None, as_json: bool,
) -> None:
    """Suggest partners across the border for ORG (an id, a PIC or a name), with reasons.

    Without ORG, describe a newcomer's need with --topics and/or --text. An
    organisation with no projects of its own whose members have some (a university and
    its faculties) is suggested for with its members' combined networks.
    """
    ctx = app_context()
    w = _weights(weights)
    proj = projection(ctx.graph, as_of=as_of)
    refs: list[str] = list(orgs)
    if all_in:
        refs += [proj.ids[i] for i in range(len(proj.ids))
                 if proj.territory[i] == all_in and proj.project_count[i] > 0]
    opts: dict[str, Any] = dict(scope=scope, territory=territory, kind=kind, topic=topic,
                                min_score=min_score, limit=limit, weights=w)
    if not refs:
        if not topics and not text:
            raise click.UsageError("name at least one ORG, use --all-in, or describe a need with --topics/--text")
        topic_list = [t.strip() for t in (topics or "").split(",") if t.strip()]
        got = run_suggest(proj, None, topics=topic_list, text=text, **opts)
        if as_json:
            click.echo(json.dumps({"organisation": None, "need": {"topics": topic_list, "text": text},
                                   "as_of": as_of, "scope": scope, "candidates": [_candidate(s) for s in got]}))
        else:
            _print_human(None, got)
        return
    for ref in refs:
        row = resolve(proj, ref)
        org = proj.attrs(row)
        members = combined_members(proj, row)
        if members:  # an umbrella without projects: suggested for with its members (docs/algorithms.md)
            org["combined_members"] = [{"id": proj.ids[m], "name": proj.name[m]} for m in members]
        got = run_suggest(proj, org["id"], **opts)
        if as_json:
            click.echo(json.dumps({"organisation": org, "as_of": as_of, "scope": scope,
                                   "candidates": [_candidate(s) for s in got]}, ensure_ascii=False))
        else:
            _print_human(org, got)


@click.command()
@click.option("--train-until", type=click.IntRange(1900, 2100), required=True,
              help="Training graph: projects started in or before this year.")
@click.option("--test-from", type=click.IntRange(1900, 2100), required=True,
              help="New partners: from projects started in or after this year.")
@click.option("--test-until", type=click.IntRange(1900, 2100), default=None,
              help="... and in or before this year (default: all later years).")
@click.option("--scope", "scopes", type=click.Choice(SCOPES), multiple=True,
              help="Scope of candidates and new partners (repeatable; default euroregion and abroad).")
@click.option("--weights", help=(
    "Score weights as JSON, the same parts as lotura suggest --weights; newcomers are then ranked "
    "with them too (default: the learned weights, and the newcomer defaults for newcomers)."))
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the full reports as JSON (one per line).")
def evaluate(train_until: int, test_from: int, test_until: int | None, scopes: tuple[str, ...],
             weights: str | None, seed: int, as_json: bool) -> None:
    """Back-test the suggestions: hide later projects, predict the partners gained.

    Reports Hits@5, Hits@10, MRR and recall@20 for the Lotura score and the baselines
    (random, most connected, common neighbours, Adamic-Adar), for organisations with
    and without history.
    """
    ctx = app_context()
    w = _weights(weights)
    for scope in scopes or ("euroregion", "abroad"):
        say(f"... back-test {scope}: train <= {train_until}, test >= {test_from}")
        rep = run_evaluate(ctx.graph, train_until=train_until, test_from=test_from, test_until=test_until,
                           scope=scope, weights=w, seed=seed)
        if as_json:
            click.echo(json.dumps(rep))
            continue
        click.echo(f"scope {scope}: {rep['organisations']} organisations, {rep['targets']} new partners, "
                   f"{rep['candidates_mean']} candidates each on average")
        rows = table_rows(rep)
        header = ["group", "method", "orgs", "hits@5", "hits@10", "mrr", "recall@20"]
        widths = [max(len(h), *(len(str(r[h])) for r in rows)) for h in header]
        click.echo("  ".join(h.ljust(wd) for h, wd in zip(header, widths, strict=True)))
        for r in rows:
            click.echo("  ".join(str(r[h]).ljust(wd) for h, wd in zip(header, widths, strict=True)))
        click.echo("")

