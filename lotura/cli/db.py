"""``lotura db``: the local Neo4j server and the schema."""

from __future__ import annotations

import json

import click

from graphsvc import server
from graphsvc.errors import Conflict
from graphsvc.schema import apply_schema, describe
from lotura.cli.context import app_context, say


@click.group()
def db() -> None:
    """Run and look after the Neo4j database.

    The local server is Neo4j Community 5.26 with APOC and OpenGDS, fetched from Maven
    Central on first use into $LOTURA_CACHE and run with its store, logs and PID file
    under $LOTURA_HOME. With NEO4J_URI set, Lotura uses that server instead and the
    start/stop commands refuse to act.
    """


@db.command()
def fetch() -> None:
    """Fetch the Neo4j jars with Maven and compile the launcher (start does this too)."""
    ctx = app_context()
    server.fetch(ctx.settings, say)
    info = server.fetch_info(ctx.settings)
    click.echo(f"{info['jars']} jars, {int(info['bytes']) / 1e6:.0f} MB in {server.paths(ctx.settings).dist}")


@db.command()
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Bolt port on 127.0.0.1 (default: the port of the server already running, "
                   "else $LOTURA_BOLT_PORT, else the port of the last start, else 7687).")
@click.option("--init/--no-init", "init_schema", default=True, show_default=True,
              help="Apply the schema once the server answers.")
def start(port: int | None, init_schema: bool) -> None:
    """Start the local Neo4j and wait until Bolt answers RETURN 1."""
    ctx = app_context()
    st = server.start(ctx.settings, port=port, say=say)
    if init_schema:
        from dataclasses import replace

        from graphsvc.db import Graph

        with Graph.from_settings(replace(ctx.settings, bolt_port=st.port or ctx.settings.bolt_port)) as g:
            apply_schema(g)
    click.echo(f"running {st.uri} pid {st.pid}")


@db.command()
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait before killing.")
def stop(timeout: float) -> None:
    """Stop the local Neo4j cleanly (waits for the Java process to exit)."""
    server.stop(app_context().settings, timeout=timeout, say=say)
    click.echo("stopped")


@db.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(as_json: bool) -> None:
    """Tell whether Neo4j is running, stopped, or left a stale PID file.

    Exit status: 0 running (or external and reachable), 3 otherwise.
    """
    ctx = app_context()
    st = server.status(ctx.settings)
    out: dict[str, object] = st.as_dict()
    ok = st.state == "running"
    if st.state == "external" or ok:
        try:
            out["latency_ms"] = round(ctx.graph.ping(), 1)
            out.update(ctx.graph.server_info())
            ok = True
        except Exception as exc:  # noqa: BLE001 - status reports, it does not fail
            out["error"] = str(exc)
            ok = False
    if as_json:
        click.echo(json.dumps(out))
    else:
        for k, v in out.items():
            click.echo(f"{k}: {v}")
    raise SystemExit(0 if ok else 3)


@db.command()
@click.option("-n", "--lines", default=50, show_default=True, help="How many lines.")
def logs(lines: int) -> None:
    """Print the end of the local Neo4j's log."""
    click.echo(server.log_tail(app_context().settings, lines))


@db.command()
def init() -> None:
    """Create the constraints and indexes (safe to run any number of times)."""
    g = app_context().graph
    n = apply_schema(g)
    d = describe(g)
    click.echo(f"schema applied ({n} statements): {len(d['constraints'])} constraints, {len(d['indexes'])} indexes")


@db.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset(yes: bool) -> None:
    """Delete every node and relationship (the schema stays)."""
    g = app_context().graph
    if not yes and not click.confirm("Delete the whole graph?", default=False):
        raise Conflict("reset cancelled; nothing was deleted")
    g.clear()
    apply_schema(g)
    click.echo("graph emptied")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--ignore-lock", is_flag=True, help="Back up even while a load holds the load lock.")
def backup_cmd(file: str, ignore_lock: bool) -> None:
    """Write the whole graph to FILE (gzip JSON lines, docs/security.md#backups).

    Nodes, relationships and every property (users, tokens and loads included), read
    in one transaction. The file holds password hashes: keep it private.
    """
    from graphsvc.backup import backup

    s = backup(app_context().graph, file, say=say)
    click.echo(
        f"backed up {s.nodes} nodes and {s.relationships} relationships to {s.path} "
        f"({s.bytes / 1e6:.1f} MB, {s.seconds:.1f} s)"
    )


@db.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Empty a database that holds data, then restore.")
@click.option("--yes", is_flag=True, help="With --force: do not ask for confirmation.")
def restore_cmd(file: str, force: bool, yes: bool) -> None:
    """Restore a backup made by `lotura db backup` into an empty database."""
    from graphsvc.backup import read_header, restore

    g = app_context().graph
    head = read_header(file)
    if force and not g.is_empty() and not yes:
        if not click.confirm("The database holds data; delete it all and restore the backup?", default=False):
            raise Conflict("restore cancelled; nothing was changed")
    say(f"Restoring {head['counts']['nodes']} nodes and {head['counts']['relationships']} relationships "
        f"from {file} (made {head.get('created')})...")
    s = restore(g, file, force=force, say=say)
    click.echo(f"restored {s.nodes} nodes and {s.relationships} relationships in {s.seconds:.1f} s ({s.via})")


def register(group: click.Group) -> None:
    """Other modules (backups) add commands to ``db`` through this hook."""
    for cmd in group.commands.values():
        db.add_command(cmd)
