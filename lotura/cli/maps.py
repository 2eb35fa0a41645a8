"""``lotura map``: draw a map of the graph into a file (HTML that works offline, PNG,
GEXF, GraphML or CSV)."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import click

from graphsvc.errors import NotFound
from graphsvc.maps import (
    ALGORITHMS,
    DEGRADE,
    SIZE_BY,
    build_map,
    check_max_nodes,
    export_map,
    format_of,
    load_translations,
    parse_selection,
)
from graphsvc.maps.model import DEFAULT_MAX_NODES, MAX_NODES_LIMIT
from graphsvc.maps.residency import parse_residencies
from graphsvc.settings import LANGUAGES
from lotura.cli.context import app_context, say


def translations_dir() -> Path | None:
    """The web package's compiled catalogues, found without importing Flask."""
    spec = importlib.util.find_spec("web")
    if spec and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "translations"
        return folder if folder.is_dir() else None
    return None


@click.command("map")
@click.option("--selection", "-s", default="whole", show_default=True, metavar="SEL",
              help="whole | territory:ES21|ES22|FRI | community:N | topic:ID-OR-NAME | ego:ORG | cross-border "
                   "(ORG: an id, a PIC or a name)")
@click.option("--hops", type=click.IntRange(1, 2), default=1, show_default=True,
              help="For ego:ORG, direct partners (1) or partners of partners (2).")
@click.option("--size-by", type=click.Choice(SIZE_BY), default="degree", show_default=True,
              help="The centrality that sizes the nodes.")
@click.option("--max-nodes", type=click.IntRange(10, MAX_NODES_LIMIT), default=DEFAULT_MAX_NODES, show_default=True,
              help="Larger selections keep only the most central organisations (or one node per community).")
@click.option("--degrade", type=click.Choice(DEGRADE), default="top", show_default=True,
              help="How a selection above --max-nodes is reduced.")
@click.option("--layout", type=click.Choice(ALGORITHMS), default="auto", show_default=True)
@click.option("--physics/--no-physics", default=False, show_default=True,
              help="HTML: let the nodes move gently after opening (the layout is computed anyway).")
@click.option("--residencies", metavar="[PLAN]", is_flag=False, flag_value="all", default=None,
              help="Overlay the residency ties of saved plans (dashed): every saved plan, or one plan by id "
                   "(see lotura residency plans).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of the legend, captions, tooltips and CSV headers.")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.html | .png | .gexf | .graphml | .csv (two files: -nodes, -edges) | .zip (both CSV)")
def map_cmd(
    selection: str, hops: int, size_by: str, max_nodes: int, degrade: str, layout: str, physics: bool,
    residencies: str | None, lang: str, out: Path,
) -> None:
    """Draw a map of a selection of the ecosystem into a file.

    \b
    Examples (all of them work on the bundled data):
      lotura map --out ecosystem.html
      lotura map -s territory:ES21 --size-by pagerank --lang eu --out euskadi.html
      lotura map -s ego:pic:999865234 --hops 2 --out upv.png
      lotura map -s ego:Tecnalia --out tecnalia.html
      lotura map -s "topic:Audiovisual production" --out audiovisual.gexf
      lotura map -s cross-border --out cross-border.gexf
      lotura map -s territory:FRI --residencies --out fri-residencies.html

    \b
    With a saved residency plan (ids from lotura residency plans):
      lotura map --residencies PLAN_ID --out plan.graphml
    """
    format_of(out)  # refuse an unknown extension before reading the graph
    sel = parse_selection(selection, hops)
    plans = parse_residencies(residencies)
    ctx = app_context()
    t0 = time.perf_counter()
    data = build_map(ctx.graph, sel, size_by=size_by, max_nodes=check_max_nodes(max_nodes),
                     degrade=degrade, layout=layout, residencies=plans)
    if data.graph.number_of_nodes() == 0:
        raise NotFound(f"the selection {data.selection.text()} holds no organisations: no map written")
    tr = load_translations(translations_dir(), lang)
    written = export_map(data, out, lang, tr, physics=physics)
    if data.note:
        say(f"note: the selection holds {data.note['total']} organisations; the map shows {data.note['shown']} "
            f"({'most central by ' + data.size_by if data.note['kind'] == 'top' else 'communities'}).")
    residency = f", {len(data.residency_ties)} residency ties" if plans else ""
    say(f"{data.graph.number_of_nodes()} nodes, {data.graph.number_of_edges()} ties{residency} "
        f"in {time.perf_counter() - t0:.1f} s")
    for path in written:
        click.echo(str(path))
