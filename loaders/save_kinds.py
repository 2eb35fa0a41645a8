"""Save the kinds guessed from names (:mod:`loaders.kinds`) for the organisations no
source gives a kind, with ``kind_source: 'name'``.

A load calls :func:`clear_name_kinds` before it writes and :func:`save_name_kinds` after:

- a kind guessed by an earlier load is a gap, not a source's word, so it is cleared first
  and a source of this load that gives a kind (written as a gap-filler, like CORDIS's)
  takes its place;
- every organisation still without a kind at the end gets the one its name gives, if
  any. The guess depends only on the name and country, so a rerun writes the same kinds:
  the graph after a load does not depend on how many loads came before.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from loaders.kinds import infer_kind

if TYPE_CHECKING:
    from loaders.run import LoadRun

__all__ = ["KIND_SOURCE", "name_kinds", "clear_name_kinds", "save_name_kinds"]

#: ``Organisation.kind_source`` of a kind guessed from the name.
KIND_SOURCE = "name"


def name_kinds(orgs: list[dict[str, Any]]) -> list[dict[str, str]]:
    """``{id, kind}`` for each organisation (``{id, name, country}``) whose name gives a kind.

    >>> name_kinds([{"id": "h2020:1", "name": "ACME GMBH", "country": "DE"},
    ...             {"id": "h2020:2", "name": "MUSIKENE", "country": "ES"}])
    [{'id': 'h2020:1', 'kind': 'company'}]
    """
    out = []
    for o in orgs:
        kind = infer_kind(o.get("name"), o.get("country"))
        if kind:
            out.append({"id": o["id"], "kind": kind})
    return out


def clear_name_kinds(run: LoadRun) -> None:
    """Remove every kind guessed from a name (and its ``kind_source``)."""
    t0 = time.perf_counter()
    counts = run.graph.write_counts("load/name_kinds_clear", kind_source=KIND_SOURCE)
    run.report.add("kinds from names (cleared)", counts, 0, time.perf_counter() - t0)


def save_name_kinds(run: LoadRun) -> int:
    """Give each organisation without a kind the kind its name gives; return how many got one."""
    t0 = time.perf_counter()
    orgs = run.graph.read("load/kindless_organisations")
    rows = name_kinds(orgs)
    counts = run.graph.write_batches("load/name_kinds", rows, batch_size=run.batch_size,
                                     extra={"kind_source": KIND_SOURCE}) if rows else {}
    run.report.add("kinds from names", counts, len(orgs), time.perf_counter() - t0)
    return len(rows)
