"""Kinds guessed from names in a real load: only gaps are filled, with ``kind_source:
'name'``; a source's kind is never overridden and replaces an earlier guess; reloads
give the same graph and write no kind again.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from h2020data import write_h2020

from graphsvc.db import Graph
from loaders.api import load_cordis, load_h2020

FIX = Path(__file__).resolve().parent / "fixtures" / "load"

H2020_ORGS = [
    # new_org_id, name, country
    ("910000001", "TALLERES ETXEBERRIA SL", "ES"),  # CORDIS says OTH: the name must not override it
    ("910000002", "ROBOTIKA SOLUTIONS S.L.", "ES"),  # CORDIS says REC
    ("a" * 32, "AYUNTAMIENTO DE TOLOSA", "ES"),
    ("b" * 32, "UNIVERSITE DE PAU ET DES PAYS DE L'ADOUR", "FR"),
    ("c" * 32, "MUSIKENE", "ES"),  # the name says nothing
]
CORDIS_ROWS = [
    ("910000001", "TALLERES ETXEBERRIA SL", "OTH", "ES212"),
    ("910000002", "ROBOTIKA SOLUTIONS S.L.", "REC", "ES213"),
]
KINDS_QUERY = ("MATCH (o:Organisation) WHERE o.id IN $ids "
               "RETURN o.id AS id, o.kind AS kind, o.kind_source AS kind_source ORDER BY id")
IDS = ["pic:910000001", "pic:910000002", f"h2020:{'a' * 32}", f"h2020:{'b' * 32}", f"h2020:{'c' * 32}"]


@pytest.fixture()
def h2020(tmp_path: Path) -> Path:
    return write_h2020(tmp_path / "h2020", H2020_ORGS, acronym="KINDS", coordinator="AYUNTAMIENTO DE TOLOSA")


@pytest.fixture()
def cordis(tmp_path: Path) -> Path:
    """The CORDIS test folder plus the two organisations above in its first project."""
    folder = tmp_path / "cordis"
    shutil.copytree(FIX / "cordis_ok", folder)
    with (folder / "organization.csv").open("a", encoding="utf-8") as fh:
        for i, (pic, name, activity, nuts) in enumerate(CORDIS_ROWS):
            fields = ["101000001", "GREENAV", pic, "", name, "", "true", activity, "", "20001", "TOLOSA", "ES",
                      nuts, "", "", str(10 + i), "participant", "1000", "", "", "false"]
            fh.write(";".join(f'"{f}"' for f in fields) + "\n")
    return folder


def kinds(graph: Graph) -> dict[str, tuple[str | None, str | None]]:
    return {r["id"]: (r["kind"], r["kind_source"]) for r in graph.read_text(KINDS_QUERY, ids=IDS)}


def test_an_h2020_only_organisation_gets_the_kind_its_name_gives(graph: Graph, h2020: Path) -> None:
    report = load_h2020(graph, h2020, progress=False)
    assert kinds(graph) == {
        "pic:910000001": ("company", "name"),
        "pic:910000002": ("company", "name"),
        f"h2020:{'a' * 32}": ("public", "name"),
        f"h2020:{'b' * 32}": ("university", "name"),
        f"h2020:{'c' * 32}": (None, None),
    }
    assert report.steps["kinds from names"]["rows"] == 5  # the five had no kind
    assert report.steps["kinds from names"]["properties_set"] == 8  # four guesses, two properties each


def test_a_cordis_kind_is_never_overridden(graph: Graph, cordis: Path, h2020: Path) -> None:
    load_cordis(graph, cordis, progress=False)
    load_h2020(graph, h2020, progress=False)
    got = kinds(graph)
    assert got["pic:910000001"] == ("other", None)  # CORDIS's OTH, though the name reads as a company
    assert got["pic:910000002"] == ("research", None)
    assert got[f"h2020:{'a' * 32}"] == ("public", "name")
    # organisations a source gave a kind are never marked as guessed
    marked = graph.read_text("MATCH (o:Organisation {kind_source: 'name'}) RETURN o.id AS id ORDER BY id")
    assert [r["id"] for r in marked] == [f"h2020:{'a' * 32}", f"h2020:{'b' * 32}"]
    upv = graph.read_text("MATCH (o:Organisation {id: 'pic:999865234'}) RETURN o.kind AS k, o.kind_source AS s")
    assert upv == [{"k": "university", "s": None}]


def test_a_later_source_replaces_the_guess(graph: Graph, cordis: Path, h2020: Path) -> None:
    load_h2020(graph, h2020, progress=False)
    assert kinds(graph)["pic:910000001"] == ("company", "name")
    load_cordis(graph, cordis, progress=False)
    got = kinds(graph)
    assert got["pic:910000001"] == ("other", None)
    assert got["pic:910000002"] == ("research", None)
    assert got[f"h2020:{'a' * 32}"] == ("public", "name")  # still nobody else's word
    assert got[f"h2020:{'c' * 32}"] == (None, None)


def test_reloading_gives_the_same_graph(graph: Graph, cordis: Path, h2020: Path) -> None:
    def snapshot() -> tuple[dict[str, Any], list[dict[str, Any]]]:
        counts = graph.read_text("MATCH (n) WHERE NOT n:Load AND NOT n:Meta "
                                 "RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label")
        orgs = graph.read_text("MATCH (o:Organisation) RETURN o.id AS id, o.kind AS kind, "
                               "o.kind_source AS kind_source ORDER BY id")
        return {r["label"]: r["n"] for r in counts}, orgs

    load_h2020(graph, h2020, progress=False)
    load_cordis(graph, cordis, progress=False)
    first = snapshot()
    for _ in range(2):
        report = load_h2020(graph, h2020, progress=False)
        assert report.nodes_created == 0 and report.relationships_created == 0
        assert report.steps["kinds from names"]["properties_set"] == 0  # the same guesses: nothing to write
        load_cordis(graph, cordis, progress=False)
        assert snapshot() == first
    assert sum(1 for o in first[1] if o["kind_source"] == "name") == 2
