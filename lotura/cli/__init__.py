"""``lotura``: the command line of Lotura.

Each command group lives in its own module and is registered in :func:`_register`.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from graphsvc import __version__
from graphsvc.errors import LoturaError
from lotura.cli.context import AppContext

# (module, attribute) of each command or group, registered on the main group.
COMMANDS: list[tuple[str, str]] = [
    ("lotura.cli.db", "db"),
    ("lotura.cli.up", "up"),
    ("lotura.cli.up", "serve"),
    ("lotura.cli.load", "load"),
    ("lotura.cli.load", "stats"),
    ("lotura.cli.analysis", "analyse"),
    ("lotura.cli.analysis", "suggest"),
    ("lotura.cli.analysis", "evaluate"),
    ("lotura.cli.maps", "map_cmd"),
    ("lotura.cli.residency", "residency"),
    ("lotura.cli.users", "user"),
    ("lotura.cli.users", "token"),
]


class LoturaGroup(click.Group):
    """Translates Lotura's errors at the edge: ``Error: ...`` and exit 1, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LoturaError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except OSError as exc:
            if exc.errno == 28:  # ENOSPC
                raise click.ClickException(f"the disk is full: {exc.filename or ''}") from None
            raise click.ClickException(f"{exc.strerror or exc}: {exc.filename or ''}".strip()) from None
        except Exception as exc:  # noqa: BLE001 - the edge: no traceback reaches a user
            obj = ctx.find_object(AppContext)
            if obj is not None and obj.settings.debug:
                raise
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc} (set LOTURA_DEBUG=1 for the traceback)"
            ) from None


@click.group(cls=LoturaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lotura")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Lotura: explore the Euroregional innovation ecosystem of the Basque Country,
    Navarre and Nouvelle-Aquitaine as a graph.

    Quick start: `lotura up` starts a local Neo4j, loads the bundled data and serves
    the web UI on http://127.0.0.1:5000.

    Neo4j: by default Lotura runs its own server (fetched from Maven Central) under
    $LOTURA_HOME; set NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) to
    use any other Neo4j 5 server instead.
    """
    ctx.obj = AppContext.from_env()
    ctx.call_on_close(ctx.obj.close)


@main.command()
def version() -> None:
    """Print the versions of Lotura and of the Neo4j it would use."""
    from graphsvc.server import fetch_info

    ctx = click.get_current_context().obj
    click.echo(f"lotura {__version__}")
    info = fetch_info(ctx.settings)
    if info:
        click.echo(f"local Neo4j jars: {info.get('jars')} ({int(info.get('bytes', 0)) / 1e6:.0f} MB)")


def _register() -> None:
    for module, attr in COMMANDS:
        main.add_command(getattr(importlib.import_module(module), attr))


_register()
