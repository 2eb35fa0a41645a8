"""The one error tree of Lotura.

Every failure a user can cause or meet is one of these. The CLI turns them into
``Error: ...`` and exit status 1; the web app turns them into a page or JSON with the
status given by :attr:`LoturaError.http_status`. Nothing else should reach a user.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class LoturaError(Exception):
    """Base of every error Lotura reports to a user."""

    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(LoturaError):
    """An id, name or file that does not exist."""

    http_status = 404


class AmbiguousName(NotFound):
    """A name that several organisations' names contain and none is: ``candidates``
    lists (id, name) of the first few, most active first."""

    def __init__(self, message: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: ``file:line: field: what is wrong``.

    ``message`` is English (the command line and the logs show it). A part of Lotura
    whose problems are shown in other languages also gives a stable ``code`` and its
    ``params`` (plain data), from which its own renderer makes the message again in the
    user's language (see :mod:`graphsvc.residency.problems`). Both are optional and
    left out of comparisons and of ``repr``, so a problem reads, compares and hashes
    as before.
    """

    file: str
    line: int
    field: str
    message: str
    code: str | None = dataclasses.field(default=None, compare=False, repr=False)
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class InvalidInput(LoturaError):
    """Bad input: a parameter or the rows of a file.

    ``problems`` lists every problem found (all of them, not just the first), each
    naming the file, line and field; ``field`` names the offending parameter of a
    request.
    """

    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.field = field
        self.problems = list(problems or [])
        if self.problems:
            shown = "\n".join(f"  {p}" for p in self.problems[:50])
            more = len(self.problems) - 50
            if more > 0:
                shown += f"\n  ... and {more} more"
            message = f"{message}\n{shown}"
        super().__init__(message)


class DatabaseUnavailable(LoturaError):
    """Neo4j cannot be reached (stopped, starting, network down)."""

    http_status = 503


class Conflict(LoturaError):
    """The request clashes with the state: a load already running, a non-empty graph."""

    http_status = 409


class Forbidden(LoturaError):
    """The user may not do this."""

    http_status = 403


class ServerError(LoturaError):
    """The local Neo4j server could not be fetched, started or stopped."""

    http_status = 500


class QueryFailed(LoturaError):
    """Neo4j refused or failed a query (a bug or an incompatible server)."""

    http_status = 500
