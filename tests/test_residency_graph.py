"""The residency planner against the real Neo4j: organisation look-up, proximity, saved
plans, the working plan, and the command line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT, mark_dirty
from webdata import BORDEAUX, ESTIA, TXORIERRI, UPNA, UPV, load_web_fixture

from graphsvc.db import Graph
from graphsvc.errors import Conflict, InvalidInput, NotFound
from graphsvc.residency import Options, plan, read_inputs
from graphsvc.residency.graphio import (
    Draft,
    GraphResolver,
    delete_plan,
    get_draft,
    list_plans,
    plan_residencies,
    proximity,
    put_draft,
    save_plan,
)
from graphsvc.settings import Settings

HOSTS = f"""id,organisation,name,territory,places,periods,languages,topics
ubx,{BORDEAUX},,,1,1|2,fr|en,audiovisual|materials
txo,Politeknika Txorierri,,,2,2,eu|es,audiovisual|energy
estia,ESTIA Institute of Technology,,,1,1,fr|eu|en,
"""
APPLICANTS = f"""id,name,organisation,territory,languages,periods,topics,preferences
a1,Ane,{UPV},,eu|en,1,audiovisual,ubx
a2,Léa,universite de pau et des pays de l'adour,,fr|eu,2,audiovisual,
a3,Iñigo,{UPNA},,es|eu,1|2,robotics,
a4,Nora,,Navarra,eu,2,energy,
"""


@pytest.fixture()
def world(session_graph: Graph) -> Iterator[Graph]:
    """The web tests' small graph (UPV/EHU, Txorierri, Bordeaux, ESTIA...); these tests
    write plans into it, so it is reloaded for the next user."""
    g = load_web_fixture(session_graph)
    yield g
    mark_dirty()


def test_organisations_are_found_by_id_or_name_with_territory_and_topics(world: Graph) -> None:
    found = GraphResolver(world).organisations(
        [BORDEAUX, "Politeknika Txorierri", "ESTIA Institute of Technology", "UPNA", "Nowhere Institute"])
    assert found[BORDEAUX].territory == "FRI" and found[BORDEAUX].name == "Université de Bordeaux"
    assert found["Politeknika Txorierri"].id == TXORIERRI
    assert found["Politeknika Txorierri"].topics  # from its capacity
    assert found["ESTIA Institute of Technology"].id == ESTIA
    assert found["UPNA"].id == UPNA  # by short name
    assert "Nowhere Institute" not in found


def test_inputs_take_territory_and_topics_from_the_graph(world: Graph) -> None:
    inputs = read_inputs(HOSTS, APPLICANTS, resolver=GraphResolver(world))
    hosts = {h.id: h for h in inputs.hosts}
    apps = {a.id: a for a in inputs.applicants}
    assert hosts["ubx"].territory == "FRI" and hosts["ubx"].name == "Université de Bordeaux"
    assert hosts["estia"].topics  # empty cell: the capacities' topics
    assert apps["a2"].territory == "FRI" and apps["a2"].organisation == "pic:999990007"
    assert apps["a4"].territory == "ES22"
    # without the graph the same files lack territories, and every row says so
    with pytest.raises(InvalidInput) as err:
        read_inputs(HOSTS, APPLICANTS)
    assert "HOSTS.csv:2: territory: required: organisation 'pic:999990006' could not be looked up (no graph): give the territory" in str(err.value)
    assert len([p for p in err.value.problems if p.field == "territory"]) == 6


def test_unknown_organisation_without_territory_is_a_precise_error(world: Graph) -> None:
    apps = APPLICANTS + "a5,Jon,Nowhere Institute,,eu,1,,\n"
    with pytest.raises(InvalidInput) as err:
        read_inputs(HOSTS, apps, resolver=GraphResolver(world))
    assert [str(p) for p in err.value.problems] == [
        "APPLICANTS.csv:6: territory: required: organisation 'Nowhere Institute' is not in the graph"]


def test_proximity_reflects_shared_projects_and_networks(world: Graph) -> None:
    prox = proximity(world, [UPV, UPNA], [BORDEAUX, TXORIERRI, ESTIA])
    assert prox[(UPV, BORDEAUX)] > 0.5  # one shared project and a common partner
    assert prox[(UPNA, ESTIA)] >= 0.5
    assert (UPV, ESTIA) not in prox


def test_saved_plan_links_organisations_and_saving_twice_changes_nothing(world: Graph) -> None:
    inputs = read_inputs(HOSTS, APPLICANTS, resolver=GraphResolver(world))
    result = plan(inputs.hosts, inputs.applicants, Options(proximity=proximity(world, [UPV], [BORDEAUX])))
    placed = {a.applicant: a.host for a in result.assignments}
    assert placed["a1"] == "ubx"
    first = save_plan(world, result, inputs, name="Spring 2026")
    assert first["residencies"] == len(result.assignments)
    assert first["previous_name"] is None and first["name"] == "Spring 2026"
    again = save_plan(world, result, inputs, name="Spring 2026")
    assert again["plan"] == first["plan"] and again["previous_name"] == "Spring 2026"
    assert again["nodes_created"] == 0 and again["relationships_created"] == 0 and again["deleted"] == 0
    renamed = save_plan(world, result, inputs, name="Spring 2026 (final)")
    assert renamed["previous_name"] == "Spring 2026" and renamed["name"] == "Spring 2026 (final)"
    assert save_plan(world, result, inputs)["name"] == "Spring 2026 (final)", "no name keeps the name"
    save_plan(world, result, inputs, name="Spring 2026")
    rows = {r["id"].split(":")[-1]: r for r in plan_residencies(world, first["plan"])}
    assert rows["a1"]["host_org"] == BORDEAUX and rows["a1"]["home_org"] == UPV
    assert rows["a1"]["host_territory"] == "FRI" and rows["a1"]["home_territory"] == "ES21"
    assert {r["code"] for r in rows["a1"]["why"]} >= {"preference", "topics", "languages", "period", "cross_border"}
    (p,) = list_plans(world)
    assert p["name"] == "Spring 2026" and p["residencies"] == len(result.assignments)
    # the same plan id with fewer residencies prunes the others
    fewer = plan(inputs.hosts, inputs.applicants[:1])
    save_plan(world, fewer, inputs, plan_id=first["plan"])
    assert [r["id"] for r in plan_residencies(world, first["plan"])] == [f"{first['plan']}:a1"]
    delete_plan(world, first["plan"])
    assert list_plans(world) == []
    with pytest.raises(NotFound):
        delete_plan(world, first["plan"])


def test_working_plan_round_trips_and_refuses_stale_writes(world: Graph) -> None:
    inputs = read_inputs(HOSTS, APPLICANTS, resolver=GraphResolver(world))
    draft = Draft(inputs, mode="stable", cross_border=False)
    draft.plan = plan(inputs.hosts, inputs.applicants, Options(mode="stable", cross_border=False))
    put_draft(world, draft)
    assert draft.revision == 1
    back = get_draft(world)
    assert back.inputs == inputs and back.plan == draft.plan and back.mode == "stable" and back.revision == 1
    put_draft(world, back)
    stale = Draft(inputs, revision=1)
    with pytest.raises(Conflict):
        put_draft(world, stale)
    assert list_plans(world) == []  # the working plan is not a saved plan


# -- the command line ---------------------------------------------------------------------------
def _run(neo4j_settings: Settings, *args: str) -> object:
    from lotura.cli import main

    env = {"NEO4J_URI": neo4j_settings.uri, "NEO4J_USER": neo4j_settings.neo4j_user or "",
           "NEO4J_PASSWORD": neo4j_settings.neo4j_password or ""}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_cli_plans_the_example_offline_and_writes_csv(tmp_path: Path, neo4j_settings: Settings) -> None:
    ex = ROOT / "data" / "examples"
    out = tmp_path / "plan.csv"
    res = _run(neo4j_settings, "residency", "plan", str(ex / "HOSTS.csv"), str(ex / "APPLICANTS.csv"),
               "--offline", "--out", str(out), "--lock", "a06:mondragon", "--forbid", "a01:bordeaux")
    assert res.exit_code == 0, res.output  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    by = {r["Applicant id"]: r for r in rows}
    assert by["a06"]["Host id"] == "mondragon" and by["a06"]["Locked"] == "yes"
    assert by["a01"]["Host id"] != "bordeaux"
    assert by["a13"]["Why"] == "no host covers the topic underwater robotics"
    assert by["a17"]["Why"] == "no place with Basque or Spanish in period 2026-3"
    assert "applicants placed" in res.output  # type: ignore[attr-defined]


def test_cli_reports_every_problem_of_bad_files(tmp_path: Path, neo4j_settings: Settings) -> None:
    hosts = tmp_path / "HOSTS.csv"
    apps = tmp_path / "APPLICANTS.csv"
    hosts.write_text("id,name,territory,places,periods,languages\nh1,Host,FRI,two,1,fr\nh1,Other,Mars,1,,fr\n")
    apps.write_text("id,name,territory,languages,periods,wishes\na1,Ane,ES21,eu,1\n")
    res = _run(neo4j_settings, "residency", "plan", str(hosts), str(apps), "--offline")
    assert res.exit_code == 1
    out = res.output  # type: ignore[attr-defined]
    for line in (f"{hosts}:2: places: 'two': a whole number from 0 to 1000",
                 f"{hosts}:3: id: 'h1' is already used on line 2",
                 f"{hosts}:3: territory: unknown territory 'Mars'",
                 f"{hosts}:3: periods: at least one period is required",
                 f"{apps}:1: wishes: unknown column"):
        assert line in out, out


def test_cli_writes_the_plan_to_the_graph(world: Graph, tmp_path: Path, neo4j_settings: Settings) -> None:
    (tmp_path / "H.csv").write_text(HOSTS, encoding="utf-8")
    (tmp_path / "A.csv").write_text(APPLICANTS, encoding="utf-8")
    res = _run(neo4j_settings, "residency", "plan", str(tmp_path / "H.csv"), str(tmp_path / "A.csv"),
               "--mode", "stable", "--write", "--name", "CLI plan")
    assert res.exit_code == 0, res.output  # type: ignore[attr-defined]
    (p,) = list_plans(world)
    assert p["name"] == "CLI plan" and p["mode"] == "stable" and p["residencies"] >= 2
    again = _run(neo4j_settings, "residency", "plan", str(tmp_path / "H.csv"), str(tmp_path / "A.csv"),
                 "--mode", "stable", "--write", "--name", "CLI plan v2")
    assert f"plan {p['id']} was already saved as 'CLI plan'; it is now named 'CLI plan v2'" in again.output  # type: ignore[attr-defined]
    assert [x["name"] for x in list_plans(world)] == ["CLI plan v2"]
    listed = _run(neo4j_settings, "residency", "plans")
    assert "CLI plan v2" in listed.output  # type: ignore[attr-defined]
    assert _run(neo4j_settings, "residency", "delete", p["id"]).exit_code == 0  # type: ignore[attr-defined]
    assert list_plans(world) == []


def test_example_files_name_organisations_of_the_demo_graph(demo_graph: Graph) -> None:
    ex = ROOT / "data" / "examples"
    hosts_text = (ex / "HOSTS.csv").read_text(encoding="utf-8")
    apps_text = (ex / "APPLICANTS.csv").read_text(encoding="utf-8")
    refs = sorted({r["organisation"] for text in (hosts_text, apps_text)
                   for r in csv.DictReader(io.StringIO(text)) if r["organisation"]})
    found = GraphResolver(demo_graph).organisations(refs)
    assert sorted(found) == refs  # every organisation of the examples is in the bundled data
    assert found["Universidad Pública de Navarra"].territory == "ES22"  # by name
    inputs = read_inputs(hosts_text, apps_text, resolver=GraphResolver(demo_graph))
    result = plan(inputs.hosts, inputs.applicants, Options(proximity=proximity(
        demo_graph, [a.organisation for a in inputs.applicants if a.organisation],
        [h.organisation for h in inputs.hosts if h.organisation])))
    assert len(result.assignments) == 14
    # names written with dotted initials and legal forms are found by the key the loaders
    # stored (the planner had its own key, which spelt J.M.A. as "j m a" and missed it)
    typed = "Mondragon Goi Eskola Politeknikoa J.M.A., S. Coop."
    assert GraphResolver(demo_graph).organisations([typed])[typed].id == "h2020:28a7cd9471b5e56e2d9b81575daa563a"


def test_residency_page_over_the_demo_graph(client: Any) -> None:
    """conftest's ``client``: the app over the demo graph, as a visitor."""
    page = client.get("/residency/?lang=es")
    assert page.status_code == 200 and '<html lang="es">' in page.get_data(as_text=True)
    assert client.post("/residency/plan", data={"mode": "stable"}).status_code == 400  # no CSRF token
