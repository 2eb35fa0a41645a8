"""Loads against the real Neo4j: idempotent, all-or-nothing, one node per PIC, locked,
provenance on everything, and the bundled demo graph as the data says."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import socket
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphsvc.db import Graph
from graphsvc.errors import Conflict, InvalidInput
from graphsvc.regions import territory_of
from graphsvc.stats import graph_stats
from loaders import DATA_DIR
from loaders.api import load_cordis, load_h2020, load_regions, load_template
from loaders.run import load_run

FIX = Path(__file__).resolve().parent / "fixtures" / "load"
TEMPLATES = FIX / "templates"

COUNTS = """
MATCH (n) WHERE NOT n:Load AND NOT n:Meta
WITH labels(n)[0] AS label, count(*) AS n
RETURN label, n ORDER BY label
"""
REL_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"


def counts(graph: Graph) -> dict[str, int]:
    out = {r["label"]: r["n"] for r in graph.read_text(COUNTS)}
    out.update({f"-[{r['type']}]-": r["n"] for r in graph.read_text(REL_COUNTS)})
    return out


def load_fixture(graph: Graph) -> None:
    load_cordis(graph, FIX / "cordis_ok", progress=False)
    load_h2020(graph, FIX / "h2020_ok", progress=False)
    load_template(graph, "orgs", TEMPLATES / "organisations_ok.csv", progress=False)
    load_template(graph, "capacities", TEMPLATES / "capacities_ok.csv", progress=False)


def test_loading_twice_changes_no_count(graph: Graph) -> None:
    load_fixture(graph)
    first = counts(graph)
    version = graph.graph_version()
    load_fixture(graph)
    assert counts(graph) == first
    assert graph.graph_version() == version + 4  # each load bumps the version
    assert first["Organisation"] == 9 and first["Project"] == 5 and first["Capacity"] == 2


def test_a_pic_seen_in_several_sources_is_one_node(graph: Graph) -> None:
    load_fixture(graph)
    rows = graph.read_text("MATCH (o:Organisation {pic: '999865234'}) RETURN o.id AS id, o.sources AS sources, "
                           "o.name AS name, o.source AS source, o.territory AS t")
    assert len(rows) == 1
    upv = rows[0]
    assert upv["id"] == "pic:999865234" and upv["t"] == "ES21"
    assert upv["sources"] == ["cordis", "cordis-h2020-2016", "curated"] and upv["source"] == "cordis"
    assert upv["name"] == "University of the Basque Country"  # the partnership's own name wins
    projects = graph.read_text("MATCH (:Organisation {pic: '999865234'})-[r:PARTICIPATES_IN]->(p) "
                               "RETURN p.id AS id, r.role AS role ORDER BY id")
    assert projects == [{"id": "h2020:640001", "role": "coordinator"}, {"id": "he:101000001", "role": "coordinator"},
                        {"id": "he:101000002", "role": "participant"}]


def test_name_and_city_resolution_merges_sources_and_keeps_aliases(graph: Graph) -> None:
    load_fixture(graph)
    row = graph.read_text("MATCH (o:Organisation {id: 'pic:900000001'}) "
                          "RETURN o.aliases AS aliases, o.sources AS sources, o.kind AS kind")[0]
    # the template's ksi:navarra-cluster (same name and city) and the H2020 hash (same
    # name and country) both landed on the CORDIS node
    assert sorted(row["aliases"]) == ["h2020:abcdef0123456789abcdef0123456789", "ksi:navarra-cluster"]
    assert row["kind"] == "cluster"
    assert graph.read_text("MATCH (o:Organisation) WHERE o.id STARTS WITH 'h2020:' RETURN count(o) AS n")[0]["n"] == 0


def test_provenance_on_every_node_and_relationship(graph: Graph) -> None:
    load_fixture(graph)
    missing_nodes = graph.read_text(
        "MATCH (n) WHERE NOT n:Load AND NOT n:Meta AND (n.source IS NULL OR n.source_file IS NULL "
        "OR n.source_row IS NULL OR n.loaded_at IS NULL) RETURN labels(n) AS l, n.id AS id LIMIT 5")
    assert missing_nodes == []
    missing_rels = graph.read_text(
        "MATCH ()-[r]->() WHERE r.source IS NULL OR r.source_file IS NULL OR r.source_row IS NULL "
        "OR r.loaded_at IS NULL RETURN type(r) AS t LIMIT 5")
    assert missing_rels == []
    p = graph.read_text("MATCH (p:Project {id: 'he:101000002'}) RETURN p.source_file AS f, p.source_row AS r")[0]
    assert p == {"f": "tests/fixtures/load/cordis_ok/project.csv", "r": 5}


def test_derived_flags_and_locations(graph: Graph) -> None:
    load_fixture(graph)
    flags = {r["id"]: r for r in graph.read_text(
        "MATCH (p:Project) RETURN p.id AS id, p.cross_border AS cb, p.digital AS d, p.green AS g")}
    assert flags["he:101000001"]["cb"] is True  # ES21, ES22 and FRI
    assert flags["he:101000002"]["cb"] is False  # ES21 only
    assert flags["he:101000001"]["g"] is True and flags["he:101000002"]["d"] is True
    located = {r["id"]: r["code"] for r in graph.read_text(
        "MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region) RETURN o.id AS id, r.code AS code")}
    assert located["pic:999865234"] == "ES213" and located["pic:900000005"] == "US"
    assert located["pic:900000010"] == "DE"  # H2020 only: the country
    assert graph.read_text("MATCH (:Region {code: 'ES21'})-[:GROUPED_IN]->(e:Region) RETURN e.code AS c") == [
        {"c": "NAEN"}]


def test_a_file_with_errors_leaves_the_graph_unchanged(graph: Graph) -> None:
    load_fixture(graph)
    before = counts(graph)
    loads_before = graph.read_text("MATCH (l:Load) RETURN count(l) AS n")[0]["n"]
    with pytest.raises(InvalidInput) as exc:
        load_cordis(graph, FIX / "cordis_bad", progress=False)
    assert "cordis_bad/project.csv:5: startDate" in str(exc.value)
    with pytest.raises(InvalidInput) as exc:
        load_template(graph, "capacities", TEMPLATES / "capacities_unknown.csv", progress=False)
    msgs = [str(p) for p in exc.value.problems]
    assert msgs == [
        "tests/fixtures/load/templates/capacities_unknown.csv:3: org: unknown organisation 'ksi:nobody' "
        "(load it first with `lotura load orgs`)",
        "tests/fixtures/load/templates/capacities_unknown.csv:3: topics: unknown topic 'esco:does-not-exist'",
    ]
    assert counts(graph) == before
    assert graph.read_text("MATCH (l:Load) RETURN count(l) AS n")[0]["n"] == loads_before
    assert graph.read_text("MATCH (l:Lock) RETURN count(l) AS n")[0]["n"] == 0


def test_skip_invalid_loads_the_valid_rows(graph: Graph, tmp_path: Path) -> None:
    folder = tmp_path / "cordis"
    shutil.copytree(FIX / "cordis_bad", folder)
    report = load_cordis(graph, folder, skip_invalid=True, progress=False)
    assert report.rows_rejected == 8 and report.status == "done"
    assert {r["id"] for r in graph.read_text("MATCH (p:Project) RETURN p.id AS id")} == {
        "he:101000001", "he:101000006"}
    assert (folder / "organization.rejects.csv").exists()
    load_row = graph.read_text("MATCH (l:Load {id: $id}) RETURN l.status AS s, l.rows_rejected AS r",
                               id=report.id)
    assert load_row == [{"s": "done", "r": 8}]
    assert json.loads(graph.read_text("MATCH (l:Load {id: $id}) RETURN l.report AS r", id=report.id)[0]["r"])[
        "rows_rejected"] == 8


def test_a_second_load_is_refused_while_one_runs(graph: Graph) -> None:
    load_regions(graph, DATA_DIR / "regions", progress=False)
    with load_run(graph, "test", progress=False):
        with pytest.raises(Conflict) as exc:
            load_cordis(graph, FIX / "cordis_ok", progress=False)
        assert "another load is running" in str(exc.value) and "pid" in str(exc.value)
    load_cordis(graph, FIX / "cordis_ok", progress=False)  # the lock was given back


def test_an_interrupted_load_is_taken_over_and_rerun_to_the_same_counts(graph: Graph) -> None:
    load_fixture(graph)
    clean = counts(graph)
    graph.clear()
    # a load killed half-way: some rows written, its lock and its (:Load) left behind by a
    # process of this machine that no longer exists
    load_cordis(graph, FIX / "cordis_ok", progress=False)
    with graph.driver.session(database=graph.database) as s:
        s.run("CREATE (:Lock {id: 'load', token: 'dead', holder: 'someone (pid 999999)', host: $host, "
              "pid: 999999, load_id: 'old', since: datetime(), heartbeat: datetime()})",
              host=socket.gethostname()).consume()
        s.run("CREATE (:Load {id: 'old', status: 'running', source: 'cordis'})").consume()
    load_fixture(graph)
    assert counts(graph) == clean
    old = graph.read_text("MATCH (l:Load {id: 'old'}) RETURN l.status AS s, l.error AS e")[0]
    assert old["s"] == "failed" and "interrupted" in old["e"]


def test_a_stale_lock_of_another_machine_is_taken_over(graph: Graph) -> None:
    with graph.driver.session(database=graph.database) as s:
        s.run("CREATE (:Lock {id: 'load', token: 'far', holder: 'x@elsewhere (pid 1)', host: 'elsewhere', "
              "pid: 1, load_id: 'far-load', since: datetime() - duration('PT2H'), "
              "heartbeat: datetime() - duration('PT2H')})").consume()
    # The timeout is the graph's setting (LOTURA_LOAD_LOCK_STALE_MINUTES when it was made).
    patient = Graph(graph.driver, graph.database, replace(graph.settings, load_lock_stale_minutes=180))
    with pytest.raises(Conflict, match="after 180 minutes"):
        load_regions(patient, DATA_DIR / "regions", progress=False)
    hasty = Graph(graph.driver, graph.database, replace(graph.settings, load_lock_stale_minutes=60))
    report = load_regions(hasty, DATA_DIR / "regions", progress=False)
    assert report.status == "done" and any("interrupted" in w for w in report.warnings)


def test_cli_load_and_stats(graph: Graph, neo4j_settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from lotura.cli import main

    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)  # type: ignore[attr-defined]
    runner = CliRunner()
    res = runner.invoke(main, ["load", "cordis", str(FIX / "cordis_ok"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "rejected 0" in res.output and "bundled NUTS regions were loaded first" in res.output
    res = runner.invoke(main, ["load", "orgs", str(TEMPLATES / "organisations_bad.csv")])
    assert res.exit_code == 1
    assert "organisations_bad.csv:4: kind: unknown kind 'school'" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(main, ["stats", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["organisations"]["by_territory"] == {"ES21": 2, "ES22": 1, "FRI": 1, "abroad": 3}
    assert data["projects"]["cross_border"] == 1


# -- the bundled demo graph, checked against the data read independently ---------------------------
def _csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8")), delimiter=delimiter))


FR_DEP = {"24": "FRI", "33": "FRI", "40": "FRI", "47": "FRI", "64": "FRI", "19": "FRI", "23": "FRI", "87": "FRI",
          "16": "FRI", "17": "FRI", "79": "FRI", "86": "FRI"}


def expected_ids_by_territory() -> dict[str, set[str]]:
    """Organisation ids each file places in each territory (first CORDIS row per PIC)."""
    out: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    for r in _csv(DATA_DIR / "cordis_he" / "organization.csv.gz", ";"):
        if r["organisationID"] not in seen:
            seen.add(r["organisationID"])
            t = territory_of(r["nutsCode"])
            if t:
                out[t].add(f"pic:{r['organisationID']}")
    for r in _csv(DATA_DIR / "education" / "euskadi_vet_centres.csv"):
        out["ES21"].add(f"eus:{r['CCEN']}")
    for r in _csv(DATA_DIR / "education" / "fr_higher_education_nouvelle_aquitaine.csv", ";"):
        oid = f"pic:{r['identifiant_pic']}" if r["identifiant_pic"] else f"fr-uai:{r['uai']}"
        if oid not in out["FRI"] and not any(oid in v for v in out.values()):
            out["FRI"].add(oid)
    for r in _csv(DATA_DIR / "education" / "fr_research_units_nouvelle_aquitaine.csv", ";"):
        out["FRI"].add(f"rnsr:{r['numero_national_de_structure']}")
    for r in _csv(DATA_DIR / "curated" / "organisations.csv"):
        oid = r["id"] or f"pic:{r['pic']}"
        t = territory_of(r["nuts"])
        if t and not any(oid in v for v in out.values()):
            out[t].add(oid)
    return out


def test_demo_graph_counts_per_territory(demo_graph: Graph) -> None:
    expected = expected_ids_by_territory()
    stats = graph_stats(demo_graph)
    for t in ("ES21", "ES22", "FRI"):
        rows = demo_graph.read_text("MATCH (o:Organisation {territory: $t}) RETURN o.id AS id, o.aliases AS a", t=t)
        ids = {r["id"] for r in rows}
        aliases = {a for r in rows for a in (r["a"] or []) if not a.startswith("h2020:")}
        assert aliases <= expected[t]
        # a node the H2020 snapshot made first (no territory) gets one from the records merged into it
        hosts = {r["id"] for r in rows if r["id"].startswith("h2020:") and set(r["a"] or []) & expected[t]}
        # every record of the territory is a node, unless entity resolution merged it into another
        assert ids == (expected[t] - aliases) | hosts, t
        assert stats["organisations"]["by_territory"][t] == len(expected[t] - aliases) + len(hosts)
    assert stats["organisations"]["by_territory"]["ES22"] >= 50 and stats["organisations"]["by_territory"]["FRI"] > 300


def test_demo_graph_projects_and_cross_border(demo_graph: Graph) -> None:
    projects = _csv(DATA_DIR / "cordis_he" / "project.csv.gz", ";")
    h2020 = _csv(DATA_DIR / "h2020" / "projects.tsv.gz", "\t")
    curated = _csv(DATA_DIR / "curated" / "projects.csv")
    n = demo_graph.read_text("MATCH (p:Project) RETURN count(p) AS n")[0]["n"]
    assert n == len(projects) + len(h2020) + len(curated)
    territory: dict[str, str | None] = {}
    per_project: dict[str, set[str]] = defaultdict(set)
    for r in _csv(DATA_DIR / "cordis_he" / "organization.csv.gz", ";"):
        territory.setdefault(r["organisationID"], territory_of(r["nutsCode"]))
    for r in _csv(DATA_DIR / "cordis_he" / "organization.csv.gz", ";"):
        t = territory[r["organisationID"]]
        if t:
            per_project[r["projectID"]].add(t)
    expected = {f"he:{p}" for p, ts in per_project.items() if len(ts) >= 2}
    got = {r["id"] for r in demo_graph.read_text(
        "MATCH (p:Project {cross_border: true}) WHERE p.id STARTS WITH 'he:' RETURN p.id AS id")}
    assert got == expected and len(expected) > 50
    egah = demo_graph.read_text("MATCH (p:Project {id: 'ksi:egah'}) RETURN p.cross_border AS cb")
    assert egah == [{"cb": True}]


def test_demo_graph_holds_the_partnership(demo_graph: Graph) -> None:
    members = demo_graph.read_text(
        "MATCH (o:Organisation)-[:MEMBER_OF]->(:Network {id: 'ksigune'}) RETURN count(o) AS n")[0]["n"]
    curated = _csv(DATA_DIR / "curated" / "memberships.csv")
    assert members == sum(1 for r in curated if r["target"] == "ksigune")
    musikene = demo_graph.read_text("MATCH (o:Organisation {id: 'eus:13165'}) RETURN o.name AS n, o.kind AS k, "
                                    "o.sources AS s")[0]
    assert musikene == {"n": "Basque Higher School of Music", "k": "university", "s": ["euskadi-centres", "curated"]}
    examples = demo_graph.read_text("MATCH (c:Capacity) RETURN c.is_example AS e, count(*) AS n ORDER BY e")
    caps = _csv(DATA_DIR / "curated" / "capacities.csv")
    assert {r["e"]: r["n"] for r in examples} == {
        False: sum(1 for r in caps if r["is_example"] == "false"), True: sum(1 for r in caps if r["is_example"] == "true")}
    esco = demo_graph.read_text("MATCH (t:Topic {kind: 'esco'}) WHERE 'green' IN t.tags RETURN count(t) AS n")[0]["n"]
    assert esco == len(_csv(DATA_DIR / "esco" / "greenSkillsCollection_en.csv"))


def test_demo_load_is_idempotent(demo_graph: Graph) -> None:
    from loaders.demo import load_demo

    before = counts(demo_graph)
    report = load_demo(demo_graph, progress=False)
    assert report.nodes_created == 0 and report.relationships_created == 0
    assert counts(demo_graph) == before


def test_the_documented_templates_load_in_order(graph: Graph) -> None:
    folder = DATA_DIR / "templates"
    for kind in ("orgs", "networks", "memberships", "capacities", "needs", "projects"):
        report = load_template(graph, kind, folder / f"{'organisations' if kind == 'orgs' else kind}.csv",
                               progress=False)
        assert report.status == "done" and report.rows_rejected == 0
    row = graph.read_text(
        "MATCH (o:Organisation {id: 'ksi:example-school'})-[:OFFERS]->(c:Capacity)-[:COVERS]->(t:Topic) "
        "RETURN c.id AS c, c.is_example AS e, t.id AS t ORDER BY t")
    assert row == [{"c": "ksi:example-school#design-studies", "e": True, "t": "ccs:graphic-design"},
                   {"c": "ksi:example-school#design-studies", "e": True, "t": "ccs:product-design"}]
    p = graph.read_text("MATCH (:Organisation {id: 'ksi:example-school'})-[r:PARTICIPATES_IN]->(p:Project) "
                        "RETURN p.id AS p, r.role AS role, p.start_year AS y")
    assert p == [{"p": "ksi:example-project", "role": "coordinator", "y": 2025}]
