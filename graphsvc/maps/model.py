"""What a map is: a selection of organisations and the laid-out graph drawn for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

from graphsvc.errors import InvalidInput, NotFound
from graphsvc.regions import TERRITORIES

__all__ = [
    "SELECTION_KINDS",
    "SIZE_BY",
    "DEGRADE",
    "Selection",
    "MapData",
    "MapInputError",
    "MapNotFound",
    "is_aggregated",
    "parse_selection",
    "parse_size_by",
]

SelectionKind = Literal["whole", "territory", "community", "topic", "ego", "cross-border"]
SELECTION_KINDS: tuple[str, ...] = ("whole", "territory", "community", "topic", "ego", "cross-border")
SIZE_BY: tuple[str, ...] = ("degree", "pagerank", "betweenness")
DEGRADE: tuple[str, ...] = ("top", "community")
DEFAULT_MAX_NODES = 2000
DEFAULT_MAX_EDGES = 8000  # beyond this the strongest ties are kept (see degrade.edge_backbone)
MAX_NODES_LIMIT = 5000


class MapInputError(InvalidInput):
    """Bad input to a map, with a stable ``code`` and its ``params`` (plain data), so a
    page can say it again in its reader's language and with its form's words
    (``web/views/maps.py``); the message itself stays English, for the command line.

    >>> e = MapInputError("hops must be 1 or 2", field="hops", code="hops")
    >>> str(e), e.field, e.code, e.params
    ('hops must be 1 or 2', 'hops', 'hops', {})
    """

    def __init__(self, message: str, *, field: str, code: str, **params: Any) -> None:
        super().__init__(message, field=field)
        self.code = code
        self.params = params


class MapNotFound(NotFound):
    """A map's organisation, topic, community or plan that does not exist, with a
    ``code`` and ``params`` as :class:`MapInputError`."""

    def __init__(self, message: str, *, field: str, code: str, **params: Any) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Selection:
    """Which organisations a map shows.

    ``kind`` is one of :data:`SELECTION_KINDS`; ``value`` is the territory code, the
    community number, the topic id or the organisation id; ``hops`` (1 or 2) only
    matters for ``ego``.
    """

    kind: str = "whole"
    value: str | None = None
    hops: int = 1

    def key(self) -> str:
        """A stable text key for caches and file names.

        >>> Selection("ego", "pic:999", 2).key()
        'ego:pic:999:2'
        >>> Selection().key()
        'whole'
        """
        if self.kind == "ego":
            return f"ego:{self.value}:{self.hops}"
        return self.kind if self.value is None else f"{self.kind}:{self.value}"

    def text(self) -> str:
        """The form ``parse_selection`` reads back (without the hops)."""
        return self.kind if self.value is None else f"{self.kind}:{self.value}"


# the form's field that gives each selection's value
_FIELD = {"territory": "territory", "community": "community", "topic": "topic", "ego": "org"}


def parse_selection(text: str | None, hops: int | str | None = 1) -> Selection:
    """Read ``whole``, ``territory:ES21``, ``community:3``, ``topic:ID``, ``ego:ORG``
    or ``cross-border``.

    >>> parse_selection("territory:es21")
    Selection(kind='territory', value='ES21', hops=1)
    >>> parse_selection("ego:pic:999", 2)
    Selection(kind='ego', value='pic:999', hops=2)
    >>> parse_selection("planet:mars")
    Traceback (most recent call last):
    ...
    graphsvc.maps.model.MapInputError: unknown selection 'planet': use one of whole, territory:CODE, community:N, topic:ID, ego:ORG, cross-border
    """
    raw = (text or "whole").strip()
    kind, _, value = raw.partition(":")
    kind = kind.strip().lower().replace("_", "-")
    value = value.strip()
    try:
        hops_n = int(hops or 1)
    except (TypeError, ValueError):
        raise MapInputError("hops must be 1 or 2", field="hops", code="hops") from None
    if hops_n not in (1, 2):
        raise MapInputError("hops must be 1 or 2", field="hops", code="hops")
    if kind not in SELECTION_KINDS:
        raise MapInputError(
            f"unknown selection {kind!r}: use one of whole, territory:CODE, community:N, "
            "topic:ID, ego:ORG, cross-border",
            field="selection", code="kind",
        )
    if kind in ("whole", "cross-border"):
        if value:
            raise MapInputError(f"the selection {kind!r} takes no value", field="selection", code="kind")
        return Selection(kind)
    if not value:
        raise MapInputError(f"the selection {kind!r} needs a value, as in {kind}:...", field=_FIELD[kind],
                            code="no_value")
    if len(value) > 300:
        raise MapInputError("the selection value is too long", field=_FIELD[kind], code="too_long", max=300)
    if kind == "territory":
        value = value.upper()
        if value not in TERRITORIES:
            raise MapInputError(
                f"unknown territory {value!r}: use one of {', '.join(TERRITORIES)}", field="territory",
                code="territory",
            )
    if kind == "community" and not value.lstrip("-").isdigit():
        raise MapInputError("a community is a number, as in community:3", field="community", code="community")
    return Selection(kind, value, hops_n if kind == "ego" else 1)


def parse_size_by(text: str | None) -> str:
    """``degree`` (default), ``pagerank`` or ``betweenness``.

    >>> parse_size_by("PageRank")
    'pagerank'
    """
    value = (text or "degree").strip().lower()
    if value not in SIZE_BY:
        raise MapInputError(f"size-by must be one of {', '.join(SIZE_BY)}", field="size_by", code="choice",
                            choices=SIZE_BY)
    return value


@dataclass
class MapData:
    """A laid-out map, independent of language: what the cache keeps.

    ``graph`` holds one node per organisation (or per community when aggregated) with
    ``x``/``y`` positions and a normalised ``size`` in [0, 1]; edges carry ``weight``
    (shared projects) and ``cross_border``. ``note`` says how the selection was reduced
    (``{"kind": "top"|"community", "shown": n, "total": N, "by": size_by}``) or is None.
    ``residencies`` is the residency overlay (None, ``"all"`` or a saved plan's id) and
    ``residency_ties`` the ties it draws (:func:`graphsvc.maps.residency.group_ties`),
    kept apart from ``graph``'s co-participation ties because a pair may have both.
    """

    selection: Selection
    graph: nx.Graph
    size_by: str = "degree"
    note: dict[str, Any] | None = None
    total_nodes: int = 0
    total_edges: int = 0
    version: int = 0
    layout: str = "auto"
    timings: dict[str, float] = field(default_factory=dict)
    residencies: str | None = None
    residency_ties: list[dict[str, Any]] = field(default_factory=list)

    @property
    def aggregated(self) -> bool:
        return is_aggregated(self.note)


def is_aggregated(note: dict[str, Any] | None) -> bool:
    """True when a map's ``note`` says it shows one node per community.

    >>> is_aggregated({"kind": "community", "shown": 3, "total": 900}), is_aggregated(None)
    (True, False)
    """
    return bool(note and note.get("kind") == "community")
