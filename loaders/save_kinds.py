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

__all__ = ["KIND_SOURCE", "name_kinds", "save_name_kinds"]

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


def save_name_kinds(run: LoadRun) -> int:
    """Give each organisation without a source's kind the kind its name gives (forgetting
    guesses its name no longer gives); return how many organisations changed."""
    t0 = time.perf_counter()
    orgs = run.graph.read("load/kindless_organisations", kind_source=KIND_SOURCE)
    guessed = {r["id"]: r["kind"] for r in name_kinds(orgs)}
    rows = [{"id": o["id"], "kind": guessed.get(o["id"])} for o in orgs if guessed.get(o["id"]) != o["kind"]]
    counts = run.graph.write_batches("load/name_kinds", rows, batch_size=run.batch_size,
                                     extra={"kind_source": KIND_SOURCE}) if rows else {}
    run.report.add("kinds from names", counts, len(orgs), time.perf_counter() - t0)
    return len(rows)
