"""What every command shares: the settings and, lazily, one Graph per process."""

from __future__ import annotations

import logging
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
        return cls(Settings.from_env())

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            from graphsvc.server import local_settings

            self.settings = local_settings(self.settings)  # the running local server's port, or fail now
            quiet_driver_log(self.settings)
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


class RetryNotice(logging.Handler):
    """The Neo4j driver's log, for people: its "Transaction failed and will be retried"
    warnings become one line saying what is happening; its other warnings pass through.
    With ``LOTURA_DEBUG`` the driver's own records are left alone."""

    def __init__(self, uri: str) -> None:
        super().__init__(logging.WARNING)
        self.uri = uri
        self.said = False

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "will be retried" in message:
            if not self.said:
                self.said = True
                say(f"Neo4j at {self.uri} does not answer yet; retrying for a few seconds...")
            return
        say(f"neo4j: {message}")


def quiet_driver_log(settings: Settings) -> None:
    """Install :class:`RetryNotice` on the driver's logger (once per process)."""
    if settings.debug:
        return
    log = logging.getLogger("neo4j")
    if not any(isinstance(h, RetryNotice) for h in log.handlers):
        log.addHandler(RetryNotice(settings.uri))
        log.propagate = False
