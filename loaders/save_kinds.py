"""Save the kinds guessed from names (:mod:`loaders.kinds`) for the organisations no
source gives a kind, with ``kind_source: 'name'``.

Every load ends with :func:`save_name_kinds` (called by :func:`loaders.run.load_run`):

- a kind guessed by an earlier load is a gap, not a source's word: the organisations
  upsert (``cypher/load/organisations.cypher``) lets a source's kind replace it and drop
  the mark;
- every organisation without a source's kind gets the kind its name gives, if any (and
  loses a guess its name no longer gives). The guess depends only on the name and
  country, so the graph after a load does not depend on how many loads came before, and
  a reload writes nothing here.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from loaders.kinds import infer_kind

if TYPE_CHECKING:
    from loaders.run import LoadRun

__all__ = ["KIND_SOURCE", "kind_changes", "save_name_kinds"]

#: ``Organisation.kind_source`` of a kind guessed from the name.
KIND_SOURCE = "name"


def kind_changes(orgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``{id, kind}`` for each organisation (``{id, name, country, kind}``) whose name
    gives another kind than the one it holds (``kind`` None: forget an earlier guess).

    >>> kind_changes([{"id": "h2020:1", "name": "ACME GMBH", "country": "DE", "kind": None},
    ...               {"id": "h2020:2", "name": "MUSIKENE", "country": "ES", "kind": None},
    ...               {"id": "h2020:3", "name": "ACME SL", "country": "ES", "kind": "company"},
    ...               {"id": "h2020:4", "name": "MUSIKA ESKOLA", "country": "ES", "kind": "company"}])
    [{'id': 'h2020:1', 'kind': 'company'}, {'id': 'h2020:4', 'kind': None}]
    """
    return [{"id": o["id"], "kind": kind} for o in orgs
            if (kind := infer_kind(o.get("name"), o.get("country"))) != o.get("kind")]


def save_name_kinds(run: LoadRun) -> int:
    """Give each organisation without a source's kind the kind its name gives (forgetting
    guesses its name no longer gives); return how many organisations changed."""
    t0 = time.perf_counter()
    orgs = run.graph.read("load/kindless_organisations", kind_source=KIND_SOURCE)
    rows = kind_changes(orgs)
    counts = run.graph.write_batches("load/name_kinds", rows, batch_size=run.batch_size,
                                     extra={"kind_source": KIND_SOURCE}) if rows else {}
    run.report.add("kinds from names", counts, len(orgs), time.perf_counter() - t0)
    return len(rows)
