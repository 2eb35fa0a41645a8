"""``lotura up`` and ``lotura serve``."""

from __future__ import annotations

import errno
import importlib
from dataclasses import replace

import click

from graphsvc import server
from graphsvc.db import Graph
from graphsvc.errors import ServerError
from graphsvc.schema import apply_schema
from lotura.cli.context import app_context, say


def _serve(host: str, port: int, threads: int) -> None:
    from waitress.server import create_server

    from web import create_app

    ctx = app_context()
    app = create_app(settings=ctx.settings)
    try:
        srv = create_server(app, host=host, port=port, threads=threads, ident="lotura")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServerError(
                f"port {port} on {host} is taken by another program; choose another with --port N"
            ) from None
        raise
    from web.warm import warm_in_background

    warm_in_background(app)
    click.echo(f"Lotura is served on http://{host}:{port}/  (Ctrl+C stops it)")
    srv.run()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, help="Worker threads (waitress).")
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web UI with waitress, a production WSGI server.

    For a public deployment run it behind an HTTPS reverse proxy (docs/security.md).
    """
    _serve(host, port, threads)


def _ensure_analysed(g: Graph, force: bool) -> None:
    """Write communities and centralities when the data is new or was never analysed,
    so that the first page asking for suggestions does not pay for them."""
    from graphsvc import analytics

    if g.is_empty():
        return
    if force or analytics.analysed_at(g).get("analysed_at") is None:
        say("Computing communities and centralities (lotura analyse)...")
        summary = analytics.analyse(g)
        say(f"Analysed: {summary.get('communities', '?')} communities, {summary.get('brokers', '?')} cross-border brokers.")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--bolt-port", default=None, type=click.IntRange(1, 65535), help="Local Neo4j Bolt port.")
@click.option("--no-serve", is_flag=True, help="Prepare the graph but do not serve the UI.")
@click.option("--reload-demo", is_flag=True, help="Reload the bundled data even if the graph is not empty (asks first).")
def up(host: str, port: int, bolt_port: int | None, no_serve: bool, reload_demo: bool) -> None:
    """Start Neo4j if needed, apply the schema, load the bundled data into an empty
    graph, compute communities and centralities (lotura analyse) when the data is new or
    was never analysed, then serve the web UI. A graph that already holds data is kept
    as it is."""
    ctx = app_context()
    if not ctx.settings.external:
        st = server.start(ctx.settings, port=bolt_port, say=say)
        ctx.settings = replace(ctx.settings, bolt_port=st.port or ctx.settings.bolt_port)
        ctx.close()
    g: Graph = ctx.graph
    apply_schema(g)
    empty = g.is_empty()
    if not empty and reload_demo:
        if not click.confirm("The graph holds data; load the bundled data on top of it?", default=False):
            reload_demo = False
    if empty or reload_demo:
        try:
            demo = importlib.import_module("loaders.demo")
        except ModuleNotFoundError:
            say("No bundled data loader in this build; starting with an empty graph.")
        else:
            say("Loading the bundled data (about half a minute)...")
            report = demo.load_demo(g, progress=True)
            say(f"Loaded: {report.nodes_created} nodes and {report.relationships_created} relationships "
                f"from {report.rows_read} rows in {report.seconds:.0f} s.")
    else:
        say("The graph already holds data; it is kept as it is (lotura up --reload-demo to load the bundled data).")
    _ensure_analysed(g, force=empty or reload_demo)
    if not no_serve:
        _serve(host, port, threads=8)
