"""Abbreviation-aware entity resolution in real loads: an abbreviated record joins the
organisation it names and leaves its id as an alias; records of one source never merge;
an ambiguous abbreviation does not merge; reloads write nothing and move nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from h2020data import write_h2020

from graphsvc.db import Graph
from loaders.api import load_h2020, load_template

MGEP = "a" * 32
H2020_ORGS = [
    # new_org_id, name, country
    (MGEP, "MONDRAGON GOI ESKOLA POLITEKNIKOA J.M.A. S.COOP.", "ES"),
    ("b" * 32, "ESCUELA SUPERIOR DE MUSICA", "ES"),
    ("c" * 32, "ESCOLANIA SUPERIOR DE MUSICA", "ES"),
    ("d" * 32, "INSTITUTO TECNOLOGICO DE ARRASATE", "ES"),
]
HEADER = "id,pic,name,short_name,kind,city,postcode,country,nuts,lat,lon,url,is_example\n"
TEMPLATE_ORGS = [
    # id, name, city
    ("ksi:mgep", "MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP", "Arrasate"),  # joins the H2020 record
    ("ksi:musica", "ESC. SUPERIOR DE MUSICA", "Bilbao"),  # Escuela or Escolania: ambiguous
    ("ksi:ita-1", "INST. TECNOLOGICO DE ARRASATE", "Arrasate"),  # two records of one source
    ("ksi:ita-2", "INSTITUTO TECNOL. DE ARRASATE", "Arrasate"),  # for one organisation
]
ORGS = ("MATCH (o:Organisation) RETURN o.id AS id, o.aliases AS aliases, o.sources AS sources, "
        "o.city AS city ORDER BY id")
COUNT = "MATCH (n) WHERE NOT n:Load AND NOT n:Meta RETURN count(n) AS n"


@pytest.fixture()
def h2020(tmp_path: Path) -> Path:
    return write_h2020(tmp_path / "h2020", H2020_ORGS, acronym="ABBR", coordinator="ESCUELA SUPERIOR DE MUSICA")


@pytest.fixture()
def orgs(tmp_path: Path) -> Path:
    path = tmp_path / "organisations.csv"
    path.write_text(HEADER + "".join(f'{oid},,"{name}",,university,{city},,ES,,,,,false\n'
                                     for oid, name, city in TEMPLATE_ORGS), encoding="utf-8")
    return path


def load(graph: Graph, h2020: Path, orgs: Path) -> dict[str, dict[str, object]]:
    load_h2020(graph, h2020, progress=False)
    load_template(graph, "orgs", orgs, progress=False)
    return {r["id"]: r for r in graph.read_text(ORGS)}


def test_an_abbreviated_record_joins_the_organisation_it_names(graph: Graph, h2020: Path, orgs: Path) -> None:
    nodes = load(graph, h2020, orgs)
    mgep = nodes[f"h2020:{MGEP}"]
    assert mgep["aliases"] == ["ksi:mgep"] and "ksi:mgep" not in nodes
    assert mgep["sources"] == ["cordis-h2020-2016", "curated"] and mgep["city"] == "Arrasate"
    # the templates keep reaching it by the record's own id
    caps = orgs.parent / "capacities.csv"
    caps.write_text("org,kind,title,is_example\nksi:mgep,training,Engineering degrees,true\n", encoding="utf-8")
    load_template(graph, "capacities", caps, progress=False)
    assert graph.read_text("MATCH (o:Organisation)-[:OFFERS]->(:Capacity) RETURN o.id AS id") == [
        {"id": f"h2020:{MGEP}"}]


def test_ambiguous_abbreviations_and_records_of_one_source_do_not_merge(graph: Graph, h2020: Path,
                                                                        orgs: Path) -> None:
    nodes = load(graph, h2020, orgs)
    # ESC. could be either school: the record keeps its own node
    assert nodes["ksi:musica"]["aliases"] is None
    assert nodes[f"h2020:{'b' * 32}"]["aliases"] is None and nodes[f"h2020:{'c' * 32}"]["aliases"] is None
    # two records of one source would land on one node: neither moves
    assert nodes["ksi:ita-1"]["aliases"] is None and nodes["ksi:ita-2"]["aliases"] is None
    assert nodes[f"h2020:{'d' * 32}"]["aliases"] is None
    assert len(nodes) == 7


def test_a_second_load_writes_nothing_and_moves_nothing(graph: Graph, h2020: Path, orgs: Path) -> None:
    first = load(graph, h2020, orgs)
    count = graph.read_text(COUNT)[0]["n"]
    report = load_template(graph, "orgs", orgs, progress=False)
    assert report.nodes_created == 0 and report.relationships_created == 0
    assert load(graph, h2020, orgs) == first
    assert graph.read_text(COUNT)[0]["n"] == count


def test_a_merged_record_stays_merged_when_a_second_candidate_appears(graph: Graph, h2020: Path,
                                                                     orgs: Path) -> None:
    load(graph, h2020, orgs)
    # another source brings an organisation the record also abbreviates (its own PIC, so its own node)
    other = orgs.parent / "other.csv"
    other.write_text(HEADER + ',999999999,"MONDRAGON GOI ESKOLA POLITEK. J.M.A.",,university,Arrasate,,ES,,,,,false\n',
                     encoding="utf-8")
    load_template(graph, "orgs", other, progress=False)
    # now ambiguous, but the record goes where the first load put it, not to a node of its own
    nodes = load(graph, h2020, orgs)
    assert nodes[f"h2020:{MGEP}"]["aliases"] == ["ksi:mgep"] and "ksi:mgep" not in nodes
    assert nodes["pic:999999999"]["aliases"] is None


def test_a_merged_record_with_a_precise_region_refines_the_location(graph: Graph, h2020: Path,
                                                                    tmp_path: Path) -> None:
    """The H2020 record knows only the country; the directory record it merges with knows
    the NUTS-3 region: the node ends up located there, and only there, whatever the order."""
    located = ("MATCH (o:Organisation {id: $id})-[:LOCATED_IN]->(r:Region) "
               "RETURN collect(r.code) AS codes")
    precise = tmp_path / "precise.csv"
    precise.write_text(HEADER + 'ksi:mgep,,"MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP",,university,Arrasate,,ES,'
                       "ES212,,,,false\n", encoding="utf-8")
    load_h2020(graph, h2020, progress=False)
    assert graph.read_text(located, id=f"h2020:{MGEP}")[0]["codes"] == ["ES"]
    load_template(graph, "orgs", precise, progress=False)
    assert graph.read_text(located, id=f"h2020:{MGEP}")[0]["codes"] == ["ES212"]
    # a later load of the country-only record does not undo it
    load_h2020(graph, h2020, progress=False)
    assert graph.read_text(located, id=f"h2020:{MGEP}")[0]["codes"] == ["ES212"]
    # a region that is not a part of the recorded one does not replace it (first source wins)
    other = tmp_path / "other.csv"
    other.write_text(HEADER + 'ksi:mgep,,"MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP",,university,Arrasate,,ES,'
                     "ES213,,,,false\n", encoding="utf-8")
    load_template(graph, "orgs", other, progress=False)
    assert graph.read_text(located, id=f"h2020:{MGEP}")[0]["codes"] == ["ES212"]


def test_the_precise_region_stays_when_the_country_only_record_comes_second(graph: Graph, h2020: Path,
                                                                            tmp_path: Path) -> None:
    located = ("MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region) WHERE o.id = $id OR $id IN o.aliases "
               "RETURN o.id AS id, collect(r.code) AS codes")
    precise = tmp_path / "precise.csv"
    precise.write_text(HEADER + 'ksi:mgep,,"MONDRAGON GOI ESKOLA POLITEKNIKOA J.M.A. S.COOP.",,university,'
                       "Arrasate,,ES,ES212,,,,false\n", encoding="utf-8")
    load_template(graph, "orgs", precise, progress=False)
    load_h2020(graph, h2020, progress=False)  # the same name, known by its country only: merged
    rows = graph.read_text(located, id="ksi:mgep")
    assert rows == [{"id": "ksi:mgep", "codes": ["ES212"]}]
