"""What every command shares: the settings and, lazily, one Graph per process."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from graphsvc.db import Graph
from graphsvc.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    _graph: Graph | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls) -> AppContext:
        """The environment's settings, pointed at the local server where it runs."""
        from graphsvc.server import with_running_port

        return cls(with_running_port(Settings.from_env()))

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = Graph.from_settings(self.settings)
        return self._graph

    def close(self) -> None:
        if self._graph is not None:
            self._graph.close()
            self._graph = None


def app_context() -> AppContext:
    obj = click.get_current_context().obj
    assert isinstance(obj, AppContext)
    return obj


def say(message: str) -> None:
    click.echo(message, err=True)
