"""The residency planner's pages (/residency/) against the real Neo4j and app."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ROOT, mark_dirty
from flask import Flask
from webdata import BORDEAUX, UPV, ensure_compiled, load_web_fixture

from graphsvc import users
from graphsvc.db import Graph
from graphsvc.residency.graphio import get_draft, list_plans, plan_residencies
from graphsvc.settings import Settings

PASSWORD = "olo-password-1"
HOSTS = f"""id,organisation,name,territory,places,periods,languages,topics
ubx,{BORDEAUX},,,1,1|2,fr|en,audiovisual|materials
txo,Politeknika Txorierri,,,2,2,eu|es,audiovisual|energy
"""
APPLICANTS = f"""id,name,organisation,territory,languages,periods,topics,preferences
a1,Ane <b>Etxeberria</b>,{UPV},,eu|en,1,audiovisual,ubx
a2,=HYPERLINK("http://evil.example"),,FRI,fr|eu,2,audiovisual,
a3,Iñigo,,ES22,es,1,robotics,
"""


@pytest.fixture()
def world(session_graph: Graph) -> Iterator[Graph]:
    g = load_web_fixture(session_graph)
    users.add_user(g, "olo", "organiser", PASSWORD)
    yield g
    mark_dirty()  # users, plans and the working plan were written


@pytest.fixture()
def app(world: Graph, neo4j_settings: Settings) -> Flask:  # CSRF on, as in production
    from web import create_app

    return create_app({"TESTING": True, "LOTURA_GRAPH": world, "SECRET_KEY": "test"}, settings=neo4j_settings)


@pytest.fixture()
def client(app: Flask) -> Any:
    return app.test_client()


def token_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def revision_of(html: str) -> str:
    m = re.search(r'name="revision" value="(\d+)"', html)
    assert m
    return m.group(1)


def login(client: Any) -> None:
    token = token_of(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"name": "olo", "password": PASSWORD, "csrf_token": token})
    assert resp.status_code == 302


def post(client: Any, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    page = client.get("/residency/").get_data(as_text=True)
    body = {"csrf_token": token_of(page), "revision": revision_of(page), **(data or {})}
    return client.post(path, data=body, **kw)


def upload(client: Any, hosts: str = HOSTS, applicants: str = APPLICANTS) -> Any:
    return post(client, "/residency/upload", {
        "hosts": (io.BytesIO(hosts.encode()), "HOSTS.csv"),
        "applicants": (io.BytesIO(applicants.encode()), "APPLICANTS.csv"),
    }, content_type="multipart/form-data")


def test_visitors_see_saved_plans_but_cannot_plan(client: Any, world: Graph) -> None:
    page = client.get("/residency/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Organisers: log in to plan residencies." in html
    assert 'action="/residency/upload"' not in html
    token = token_of(client.get("/login").get_data(as_text=True))
    for path in ("/residency/plan", "/residency/upload", "/residency/example", "/residency/pairs", "/residency/save",
                 "/residency/clear", "/residency/hosts"):
        resp = client.post(path, data={"csrf_token": token, "mode": "optimal"})
        assert resp.status_code == 302 and "/login" in resp.headers["Location"], path
    for path in ("/residency/plan.csv", "/residency/print", "/residency/inputs/hosts.csv"):
        assert client.get(path).status_code == 302, path
    assert get_draft(world).revision == 0  # nothing was written


def test_organiser_uploads_and_sees_the_plan_with_reasons(client: Any, world: Graph) -> None:
    login(client)
    resp = upload(client)
    assert resp.status_code == 302
    html = client.get("/residency/").get_data(as_text=True)
    assert "Ane &lt;b&gt;Etxeberria&lt;/b&gt;" in html and "<b>Etxeberria" not in html  # escaped
    table = html.split('data-testid="plan-table"', 1)[1].split("</table>", 1)[0]
    assert "Université de Bordeaux" in table  # name from the graph
    assert "choice 1 of 1 in the applicant&#39;s preferences" in table
    assert "crosses the border: Basque Country → Nouvelle-Aquitaine" in table
    unmatched = html.split('data-testid="unmatched-table"', 1)[1].split("</table>", 1)[0]
    assert "no host covers the topic robotics" in unmatched
    assert "2 applicants placed out of 3" in html


def test_plan_csv_is_neutralised_and_follows_the_language(client: Any) -> None:
    login(client)
    upload(client)
    resp = client.get("/residency/plan.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Applicant id", "Applicant", "Home territory"]
    by = {r[0]: r for r in rows[1:]}
    assert by["a2"][1] == "'=HYPERLINK(\"http://evil.example\")"
    assert by["a1"][5] == "Université de Bordeaux" and by["a1"][6] == "Nouvelle-Aquitaine"
    fr = client.get("/residency/plan.csv?lang=fr")
    fr_rows = list(csv.reader(io.StringIO(fr.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r[0]: r for r in fr_rows[1:]}["a1"][6] == "Nouvelle-Aquitaine"
    assert {r[0]: r for r in fr_rows[1:]}["a1"][2] == "Pays basque"  # territory names in French
    if (ROOT / "web" / "translations" / "fr" / "LC_MESSAGES" / "messages.mo").is_file():  # built by make setup
        assert fr_rows[0][0] == "Id du candidat"
        assert "traverse la frontière : Pays basque → Nouvelle-Aquitaine" in {r[0]: r for r in fr_rows[1:]}["a1"][10]
    printable = client.get("/residency/print")
    assert printable.status_code == 200 and "@media print" in printable.get_data(as_text=True)


def test_bad_upload_lists_every_problem_and_changes_nothing(client: Any, world: Graph) -> None:
    login(client)
    upload(client)
    before = get_draft(world)
    bad = APPLICANTS + "a4,,,Atlantis,klingon,,\n"
    resp = upload(client, applicants=bad)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    for text in ("APPLICANTS.csv:5</code> <strong>name</strong>: required",
                 "APPLICANTS.csv:5</code> <strong>territory</strong>: unknown territory &#39;Atlantis&#39;",
                 "APPLICANTS.csv:5</code> <strong>languages</strong>: unknown language &#39;klingon&#39;",
                 "APPLICANTS.csv:5</code> <strong>periods</strong>: at least one period is required"):
        assert text in html
    assert get_draft(world).revision == before.revision


def test_lock_and_forbid_then_plan_again(client: Any, world: Graph) -> None:
    login(client)
    upload(client)
    plan = get_draft(world).plan
    assert plan is not None and {(a.applicant, a.host) for a in plan.assignments} == {("a1", "ubx"), ("a2", "txo")}
    assert post(client, "/residency/pairs", {"action": "forbid", "applicant": "a1", "host": "ubx"}).status_code == 302
    draft = get_draft(world)
    assert draft.plan is not None and "a1" not in {a.applicant for a in draft.plan.assignments}
    html = client.get("/residency/").get_data(as_text=True)
    assert "an organiser forbade every host that fits" in html
    post(client, "/residency/pairs", {"action": "lock", "applicant": "a1", "host": "ubx", "period": "1"})
    draft = get_draft(world)
    assert draft.forbids == [] and [str(p) for p in draft.locks] == ["a1:ubx:1"]
    assert draft.plan is not None and any(a.locked and a.applicant == "a1" for a in draft.plan.assignments)
    # a lock that breaks the cross-border rule is refused with the reason
    resp = post(client, "/residency/pairs", {"action": "lock", "applicant": "a2", "host": "ubx"})
    assert resp.status_code == 400 and "a2:ubx: both are in FRI" in resp.get_data(as_text=True)
    post(client, "/residency/plan", {"mode": "stable", "cross_border": "1"})
    draft = get_draft(world)
    assert draft.mode == "stable" and draft.plan is not None and draft.plan.mode == "stable"
    assert any(a.locked and a.applicant == "a1" for a in draft.plan.assignments)


def test_edit_a_host_in_the_form(client: Any, world: Graph) -> None:
    login(client)
    upload(client)
    form = {"id": "txo", "organisation": "Politeknika Txorierri", "name": "", "territory": "", "places": "0",
            "periods": "2", "languages": "eu|es", "topics": "audiovisual", "ranking": "", "original_id": "txo"}
    assert post(client, "/residency/hosts", form).status_code == 302
    draft = get_draft(world)
    assert {h.id: h.places for h in draft.inputs.hosts}["txo"] == 0
    assert draft.plan is not None and "a2" not in {a.applicant for a in draft.plan.assignments}
    resp = post(client, "/residency/hosts", {**form, "places": "many"})
    assert resp.status_code == 400 and "<strong>places</strong>: &#39;many&#39;: a whole number" in resp.get_data(as_text=True)
    assert post(client, "/residency/hosts/txo/delete").status_code == 302
    assert [h.id for h in get_draft(world).inputs.hosts] == ["ubx"]


def test_stale_form_is_a_conflict(client: Any) -> None:
    login(client)
    upload(client)
    page = client.get("/residency/").get_data(as_text=True)
    token, rev = token_of(page), revision_of(page)
    assert client.post("/residency/plan", data={"csrf_token": token, "revision": rev, "mode": "optimal"}).status_code == 302
    resp = client.post("/residency/plan", data={"csrf_token": token, "revision": rev, "mode": "stable"})
    assert resp.status_code == 409


def test_form_without_csrf_token_is_refused(client: Any, world: Graph) -> None:
    login(client)
    resp = client.post("/residency/plan", data={"mode": "stable"})
    assert resp.status_code == 400
    assert get_draft(world).revision == 0


def test_save_to_graph_and_public_page(client: Any, world: Graph, app: Flask) -> None:
    login(client)
    upload(client)
    resp = post(client, "/residency/save", {"name": "Green audiovisual 2026"})
    assert resp.status_code == 302
    (p,) = list_plans(world)
    rows = plan_residencies(world, p["id"])
    assert {(r["host_org"], r["home_org"]) for r in rows} >= {(BORDEAUX, UPV)}
    anon = app.test_client()
    page = anon.get(f"/residency/plans/{p['id']}?lang=eu")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'lang="eu"' in html and "Université de Bordeaux" in html
    assert "Etxeberria" not in html  # residents' names stay out of the public page
    assert "Green audiovisual 2026" in anon.get("/residency/").get_data(as_text=True)
    assert anon.get("/residency/plans/nope").status_code == 404


def test_example_loads_and_every_language_renders(client: Any) -> None:
    login(client)
    assert post(client, "/residency/example").status_code == 302
    for lang in ("en", "eu", "es", "fr"):
        page = client.get(f"/residency/?lang={lang}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert f'<html lang="{lang}">' in html and "Politeknika Txorierri" in html



@pytest.mark.parametrize(("lang", "expected", "heading"), [
    ("es", ("APPLICANTS.csv:5</code> <strong>name</strong>: obligatorio</li>",
            "APPLICANTS.csv:5</code> <strong>territory</strong>: territorio desconocido &#39;Atlantis&#39; "
            "(use ES21, ES22, FRI o un código NUTS)",
            "APPLICANTS.csv:5</code> <strong>languages</strong>: idioma desconocido &#39;klingon&#39;",
            "APPLICANTS.csv:5</code> <strong>periods</strong>: se necesita al menos un periodo",
            "APPLICANTS.csv:6</code> <strong>id</strong>: &#39;a1&#39; ya se usa en la línea 2"),
     "No se ha cambiado nada"),
    ("fr", ("APPLICANTS.csv:5</code> <strong>name</strong>: obligatoire</li>",
            "APPLICANTS.csv:5</code> <strong>territory</strong>: territoire inconnu &#39;Atlantis&#39; "
            "(utilisez ES21, ES22, FRI ou un code NUTS)",
            "APPLICANTS.csv:5</code> <strong>languages</strong>: langue inconnue &#39;klingon&#39;",
            "APPLICANTS.csv:5</code> <strong>periods</strong>: au moins une période est requise",
            "APPLICANTS.csv:6</code> <strong>id</strong>: &#39;a1&#39; est déjà utilisé à la ligne 2"),
     "Rien n'a été modifié"),
])
def test_bad_upload_problems_are_in_the_page_language(client: Any, world: Graph, lang: str,
                                                      expected: tuple[str, ...], heading: str) -> None:
    ensure_compiled()
    login(client)
    upload(client)
    before = get_draft(world).revision
    bad = APPLICANTS + "a4,,,Atlantis,klingon,,\na1,Ane,,ES21,eu,1,,\n"
    resp = post(client, f"/residency/upload?lang={lang}", {
        "hosts": (io.BytesIO(HOSTS.encode()), "HOSTS.csv"),
        "applicants": (io.BytesIO(bad.encode()), "APPLICANTS.csv"),
    }, content_type="multipart/form-data")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and heading in html
    for text in expected:  # file, line and column as in the file; the message translated
        assert text in html, text
    assert "unknown territory" not in html and "is already used" not in html
    assert get_draft(world).revision == before  # nothing changed


def test_refused_lock_is_in_the_page_language(client: Any) -> None:
    ensure_compiled()
    login(client)
    upload(client)
    resp = post(client, "/residency/pairs?lang=eu", {"action": "lock", "applicant": "a2", "host": "ubx"})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "<code>finkapena:1</code> <strong>finkapena</strong>: a2:ubx: biak FRI lurraldean daude" in html


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Choose a hosts file, an applicants file or both."),
    ("es", "Elija un archivo de entidades de acogida, uno de candidatos o ambos."),
])
def test_upload_without_a_file_says_so_in_the_form(client: Any, world: Graph, lang: str, message: str) -> None:
    ensure_compiled()
    login(client)
    upload(client)
    before = get_draft(world).revision
    resp = post(client, f"/residency/upload?lang={lang}", {}, content_type="multipart/form-data")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    problems = html.split('data-testid="problems"', 1)[1].split("</section>", 1)[0]
    assert message in problems
    assert 'action="/residency/upload"' in html, "the planner's form is on the page, to try again"
    assert "Université de Bordeaux" in html, "with the working plan as it was"
    assert get_draft(world).revision == before


def _flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash[^"]*" role="status">([^<]*)</p>', html)


def test_saving_the_same_plan_again_renames_it_and_says_so(client: Any, world: Graph) -> None:
    login(client)
    upload(client)
    first = post(client, "/residency/save", {"name": "Spring"}, follow_redirects=True)
    assert any("Saved to the graph as plan-" in f for f in _flashes(first.get_data(as_text=True)))
    (p,) = list_plans(world)
    again = post(client, "/residency/save", {"name": "Spring v2"}, follow_redirects=True)
    assert again.request.path == f"/residency/plans/{p['id']}"
    assert "This plan was already saved as “Spring”; it is now named “Spring v2”." in _flashes(
        again.get_data(as_text=True))
    (q,) = list_plans(world)  # one saved plan, not two (maps would draw its ties twice)
    assert q["id"] == p["id"] and q["name"] == "Spring v2"
    same = post(client, "/residency/save", {"name": ""}, follow_redirects=True)
    assert "This plan was already saved as “Spring v2”; nothing changed." in _flashes(same.get_data(as_text=True))
    assert [x["name"] for x in list_plans(world)] == ["Spring v2"], "no name keeps the plan's name"


def test_anonymous_visitors_do_not_see_why_a_resident_got_a_host(client: Any, world: Graph, app: Flask) -> None:
    login(client)
    upload(client)
    post(client, "/residency/save", {"name": "Small programme"})
    (p,) = list_plans(world)
    url = f"/residency/plans/{p['id']}"
    signed_in = client.get(url).get_data(as_text=True)
    table = signed_in.split('data-testid="saved-residencies"', 1)[1].split("</table>", 1)[0]
    assert "Why this host" in table and "choice 1 of 1" in table and "Basque" in table
    anon = app.test_client().get(url)
    assert anon.status_code == 200
    html = anon.get_data(as_text=True)
    table = html.split('data-testid="saved-residencies"', 1)[1].split("</table>", 1)[0]
    assert "Université de Bordeaux" in table, "which organisation hosts whom stays public"
    assert "Why this host" not in table and "choice 1 of" not in table and "works in" not in table
    assert "Basque, and English" not in html and "preference" not in table
    assert "is shown to signed-in users only" in html


def test_scores_have_three_decimals_as_in_the_csv(client: Any, world: Graph) -> None:
    login(client)
    upload(client)
    csv_scores = {row[0]: row[8] for row in csv.reader(io.StringIO(
        client.get("/residency/plan.csv").get_data(as_text=True).lstrip("\ufeff")))}
    html = client.get("/residency/").get_data(as_text=True)
    table = html.split('data-testid="plan-table"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td class="score">([^<]*)</td>', table)
    assert cells and all(re.fullmatch(r"\d+\.\d{3}", c) for c in cells), cells
    assert re.search(r"total fit \d+\.\d{3}", html)
    post(client, "/residency/save", {"name": "Decimals"})
    (p,) = list_plans(world)
    saved = client.get(f"/residency/plans/{p['id']}").get_data(as_text=True)
    table = saved.split('data-testid="saved-residencies"', 1)[1].split("</table>", 1)[0]
    shown = re.findall(r'<td class="score">([^<]*)</td>', table)
    assert shown and all(re.fullmatch(r"\d+\.\d{3}", c) for c in shown), shown
    assert set(shown) <= set(csv_scores.values()), (shown, csv_scores)
    fr = client.get(f"/residency/plans/{p['id']}?lang=fr").get_data(as_text=True)
    assert re.search(r'<td class="score">\d+,\d{3}</td>', fr), "in the page's language"
