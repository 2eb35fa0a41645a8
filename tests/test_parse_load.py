"""Parsers of the loaders: pure, no database. Every malformed file must name its
file, line and field exactly."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from graphsvc.errors import InvalidInput
from loaders.cordis import parse_cordis
from loaders.csvio import Table, display_name
from loaders.demo import parse_demo
from loaders.extract import simplify_geometry, trim_text
from loaders.h2020 import parse_h2020
from loaders.normalise import name_key
from loaders.regions import bundled_regions
from loaders.resolve import resolve_organisations
from loaders.templates import parse_template

FIX = Path(__file__).resolve().parent / "fixtures" / "load"


def name(path: Path) -> str:
    return display_name(path)


def messages(parsed: object) -> list[str]:
    return [str(p) for p in parsed.problems]  # type: ignore[attr-defined]


def test_multiline_quoted_fields_count_every_physical_line() -> None:
    p = parse_cordis(FIX / "cordis_ok")
    assert p.problems == []
    rows = {r["org"] + " " + r["project"]: r for r in p.tables["participations"]}
    # organization.csv has no multi-line field: row N is line N+1
    assert rows["pic:900000004 he:101000002"]["source_row"] == 8
    projects = {r["id"]: r for r in p.tables["projects"]}
    # the objective of he:101000001 spans lines 2-4, so the next record starts on line 5
    assert projects["he:101000001"]["source_row"] == 2
    assert projects["he:101000002"]["source_row"] == 5
    assert projects["he:101000001"]["props"]["objective"].startswith("A first line. A second line")


def test_cordis_rows_are_mapped_to_the_model() -> None:
    p = parse_cordis(FIX / "cordis_ok")
    orgs = {r["id"]: r for r in p.tables["organisations"]}
    assert len(orgs) == 7  # one node per PIC, though UPV/EHU appears three times
    upv = orgs["pic:999865234"]
    assert upv["set"]["territory"] == "ES21" and upv["fill"]["kind"] == "university"
    assert upv["region"] == "ES213" and upv["set"]["lat"] == pytest.approx(43.33)
    assert orgs["pic:900000004"]["fill"]["kind"] == "company" and orgs["pic:900000004"]["set"]["sme"] is True
    # a NUTS 2024 code falls back to its known parent, a non-NUTS country to itself
    assert orgs["pic:900000006"]["region"] == "NL"  # levels 1-3 are bundled for ES and FR only
    assert orgs["pic:900000005"]["region"] == "US" and "territory" not in orgs["pic:900000005"]["set"]
    # the same organisation twice in one project: one participation, best role, summed contribution
    parts = {(r["org"], r["project"]): r["props"] for r in p.tables["participations"]}
    assert parts[("pic:999865234", "he:101000002")] == {"role": "participant", "contribution": 150000.0}
    projects = {r["id"]: r["props"] for r in p.tables["projects"]}
    assert projects["he:101000001"]["green"] is True and projects["he:101000001"]["digital"] is False
    assert projects["he:101000002"]["digital"] is True
    assert projects["he:101000001"]["ec_contribution"] == 900000.5  # decimal comma
    topics = {t["id"]: t for t in p.tables["topics"]}
    assert topics["esv:61"]["tags"] == ["digital"] and topics["esv:425"]["tags"] == ["green"]
    assert "kw:green-filming" in topics


def test_cordis_malformed_rows_name_file_line_and_field() -> None:
    p = parse_cordis(FIX / "cordis_bad")
    proj = name(FIX / "cordis_bad" / "project.csv")
    org = name(FIX / "cordis_bad" / "organization.csv")
    assert messages(p) == [
        f"{proj}:5: startDate: bad date '2023-13-01' (expected YYYY-MM-DD)",
        f"{proj}:6: id: duplicate id 101000001 (first on line 2)",
        f"{proj}:7: totalCost: bad number '12a'",
        f"{proj}:8: (quoting): broken quoting in the record starting here (';' expected after '\"')",
        f"{org}:3: nutsCode: unknown NUTS code 'ZZ123'",
        f"{org}:4: activityType: unknown kind (activity type) 'XYZ' (one of: HES, OTH, PRC, PUB, REC)",
        f"{org}:5: projectID: project 101000099 is not in project.csv",
    ]
    # the record after the broken one is read again
    assert {r["id"] for r in p.tables["projects"]} == {"he:101000001", "he:101000006"}
    with pytest.raises(InvalidInput) as exc:
        p.check(skip_invalid=False)
    assert "7 problem(s)" in str(exc.value) and "nothing was written" in str(exc.value)
    assert len(exc.value.problems) == 7


def test_skip_invalid_writes_a_reject_file_beside_the_input(tmp_path: Path) -> None:
    folder = tmp_path / "cordis"
    shutil.copytree(FIX / "cordis_bad", folder)
    p = parse_cordis(folder)
    p.check(skip_invalid=True)
    rejects = (folder / "organization.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[0].endswith(",reason")
    assert len(rejects) == 1 + 4  # three problems, and one row whose project was rejected
    assert "project 101000002 was rejected" in rejects[-1]
    assert (folder / "project.rejects.csv").exists()
    assert p.rows_rejected == 8


def test_missing_column_is_reported_on_line_1() -> None:
    path = FIX / "templates" / "organisations_missing_column.csv"
    p = parse_template("organisations", path)
    assert messages(p) == [f"{name(path)}:1: kind: missing column (the header has: id, name, country)"]


def test_a_file_that_is_not_utf8_names_the_line() -> None:
    path = FIX / "templates" / "networks_latin1.csv"
    p = parse_template("networks", path)
    assert f"{name(path)}:3: (encoding): not UTF-8 (byte 0xe9 at column 4); save the file as UTF-8" in messages(p)
    assert [r["id"] for r in p.tables["networks"]] == ["ksigune"]


def test_template_problems_are_all_reported() -> None:
    path = FIX / "templates" / "organisations_bad.csv"
    p = parse_template("organisations", path)
    n = name(path)
    assert messages(p) == [
        f"{n}:3: id: duplicate id 'ksi:ok' (first on line 2)",
        f"{n}:4: kind: unknown kind 'school' (one of: cluster, company, other, public, research, university, vet)",
        f"{n}:5: nuts: unknown NUTS code 'ES299'",
        f"{n}:6: lat: bad number 'north'",
    ]
    assert [r["id"] for r in p.tables["organisations"]] == ["ksi:ok"]


def test_templates_pic_rows_and_topics() -> None:
    orgs = parse_template("organisations", FIX / "templates" / "organisations_ok.csv")
    ids = [r["id"] for r in orgs.tables["organisations"]]
    assert ids == ["ksi:test-school", "pic:999865234", "ksi:navarra-cluster"]
    caps = parse_template("capacities", FIX / "templates" / "capacities_ok.csv")
    assert caps.problems == []
    assert caps.tables["capacities"][0]["topics"] == ["ccs:virtual-production", "esv:61"]
    assert caps.tables["capacities"][1]["slug"] == "green-media-research"
    assert {t["id"] for t in caps.tables["topics"]} == {"ccs:virtual-production", "ccs:green-filming"}


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    src = FIX / "templates" / "organisations_ok.csv"
    gz = tmp_path / "orgs.csv.gz"
    gz.write_bytes(gzip.compress(src.read_bytes()))
    assert len(list(Table(gz))) == len(list(Table(src))) == 3


def test_unterminated_quote_at_the_end_is_broken_quoting(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('id,name,kind\nksigune,"KSIgune,partnership\n', encoding="utf-8")
    p = parse_template("networks", path)
    assert [(x.line, x.field) for x in p.problems] == [(2, "(quoting)")]


def test_h2020_snapshot() -> None:
    p = parse_h2020(FIX / "h2020_ok")
    assert p.problems == []
    orgs = {r["id"]: r for r in p.tables["organisations"]}
    assert set(orgs) == {"pic:999865234", "h2020:abcdef0123456789abcdef0123456789", "pic:900000010"}
    parts = {(r["org"], r["project"]): r["props"]["role"] for r in p.tables["participations"]}
    assert parts[("pic:999865234", "h2020:640001")] == "coordinator"
    projects = {r["id"]: r["props"] for r in p.tables["projects"]}
    assert projects["h2020:640001"]["total_cost"] == 230000.0


def test_entity_resolution_by_name_and_city_without_database() -> None:
    rows = [
        {"id": "pic:1", "set": {"pic": "1"}, "match": {"name_key": name_key("ESTIA S.A."), "city": "BIDART",
                                                      "country": "FR"}},
        {"id": "fr-uai:X", "set": {}, "match": {"name_key": name_key("Estia"), "city": "Bidart", "country": "FR"}},
        {"id": "fr-uai:Y", "set": {}, "match": {"name_key": name_key("Estia"), "city": "Pau", "country": "FR"}},
    ]
    assert resolve_organisations(None, rows) == 1
    assert rows[1]["id"] == "pic:1" and rows[1]["alias"] == "fr-uai:X"
    assert rows[2]["id"] == "fr-uai:Y"


def test_bundled_data_parses_cleanly() -> None:
    parts = parse_demo()
    for p in parts:
        assert p.problems == [], p.problems[:5]
    assert "ES213" in bundled_regions() and "US" in bundled_regions()


def test_extract_helpers() -> None:
    assert trim_text("a " * 400).endswith("…") and len(trim_text("a " * 400)) <= 300
    geom = simplify_geometry({"type": "MultiPolygon", "coordinates": [[[[0, 0], [0.0001, 0], [1, 0], [1, 1], [0, 0]]],
                                                                     [[[5, 5], [5.0001, 5], [5, 5]]]]})
    assert geom == {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}
