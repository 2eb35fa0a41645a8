"""Every write route against every kind of caller, and the admin pages, on the real Neo4j."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from test_auth import PASSWORDS, csrf_of, login, make_app, page_token  # noqa: F401 - fixtures below

from graphsvc import users
from graphsvc.db import Graph
from graphsvc.settings import Settings

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# POST routes anyone may call: they change no data.
PUBLIC_WRITES = {"auth.login", "auth.logout"}


@pytest.fixture()
def people(graph: Graph) -> Graph:
    users.add_user(graph, "ada", "admin", PASSWORDS["ada"])
    users.add_user(graph, "olo", "organiser", PASSWORDS["olo"])
    return graph


@pytest.fixture()
def app(people: Graph, neo4j_settings: Settings) -> Flask:
    return make_app(people, neo4j_settings)


def write_routes(app: Flask) -> list[tuple[str, str, str, tuple[str, ...] | None]]:
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("probe."):
            continue
        for method in sorted((rule.methods or set()) & WRITE_METHODS):
            url = rule.rule
            for arg in rule.arguments:
                url = re.sub(rf"<(?:[a-z]+:)?{arg}>", "x", url)
            roles = getattr(app.view_functions[rule.endpoint], "lotura_roles", None)
            out.append((rule.endpoint, method, url, roles))
    return out


def test_every_write_route_declares_a_role(app: Flask) -> None:
    routes = write_routes(app)
    assert any(ep.startswith("admin.") for ep, *_ in routes)
    undeclared = sorted({ep for ep, _m, _u, roles in routes if roles is None and ep not in PUBLIC_WRITES})
    assert not undeclared, f"write routes without require_role: {undeclared}"


def test_write_routes_by_caller(app: Flask, people: Graph) -> None:
    _, admin_token = users.issue_token(people, "ada")
    _, organiser_token = users.issue_token(people, "olo")
    rid, revoked = users.issue_token(people, "ada")
    users.revoke_token(people, rid)
    wrong = "lot_aaaaaaaaaaaa_" + "b" * 43
    failures: list[str] = []

    def call(c: Any, method: str, url: str, token: str | None, with_csrf: bool = True) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        kwargs: dict[str, Any] = {"headers": headers}
        csrf = page_token(c) if with_csrf else None
        if url.startswith("/api/"):
            if csrf:
                headers["X-CSRFToken"] = csrf
            kwargs["json"] = {}
        else:
            kwargs["data"] = {"csrf_token": csrf} if csrf else {}
        return c.open(url, method=method, **kwargs)

    org = app.test_client()
    login(org, "olo")
    adm = app.test_client()
    login(adm, "ada")
    for _endpoint, method, url, roles in write_routes(app):
        if roles is None:
            continue
        api = url.startswith("/api/")
        denied_anon = 401 if api else 302
        anon = app.test_client()
        r = call(anon, method, url, None)
        if r.status_code != denied_anon:
            failures.append(f"{method} {url} anonymous: {r.status_code}")
        for token in (wrong, revoked):
            r = call(app.test_client(), method, url, token)
            if r.status_code not in (401, 302):
                failures.append(f"{method} {url} bad token: {r.status_code}")
        organiser_allowed = users.role_allows("organiser", *roles)
        r = call(org, method, url, organiser_token if api else None)
        if organiser_allowed != (r.status_code not in (401, 403)) or r.status_code >= 500:
            failures.append(f"{method} {url} organiser: {r.status_code}")
        r = call(adm, method, url, admin_token if api else None)
        if r.status_code in (401, 403) or r.status_code >= 500:
            failures.append(f"{method} {url} admin: {r.status_code}")
        if not api:
            r = call(adm, method, url, None, with_csrf=False)
            if r.status_code != 400:
                failures.append(f"{method} {url} admin without CSRF token: {r.status_code}")
    assert not failures, "\n".join(failures)


def test_admin_pages_are_for_admins_only(app: Flask) -> None:
    for path in ("/admin/", "/admin/users", "/admin/tokens", "/admin/upload"):
        assert app.test_client().get(path).status_code == 302
        c = app.test_client()
        login(c, "olo")
        assert c.get(path).status_code == 403
        c = app.test_client()
        login(c, "ada")
        r = c.get(path)
        assert r.status_code == 200
        assert r.headers["Cache-Control"] == "no-store"


def test_admin_manages_users(app: Flask, people: Graph) -> None:
    c = app.test_client()
    login(c, "ada")
    page = c.get("/admin/users").get_data(as_text=True)
    assert "olo" in page
    tok = csrf_of(page)
    r = c.post(
        "/admin/users",
        data={
            "add-csrf_token": tok,
            "add-name": "<b>x</b>",
            "add-role": "organiser",
            "add-password": "long-enough-pw",
            "add-confirm": "long-enough-pw",
        },
    )
    assert r.status_code == 400 and "&lt;b&gt;" in r.get_data(as_text=True)
    r = c.post(
        "/admin/users",
        data={
            "add-csrf_token": tok,
            "add-name": "maite",
            "add-role": "organiser",
            "add-password": "long-enough-pw",
            "add-confirm": "different-pw",
        },
    )
    assert r.status_code == 400 and users.get_user(people, "maite") is None
    r = c.post(
        "/admin/users",
        data={
            "add-csrf_token": tok,
            "add-name": "maite",
            "add-role": "organiser",
            "add-password": "long-enough-pw",
            "add-confirm": "long-enough-pw",
        },
    )
    assert r.status_code == 302
    assert users.authenticate(people, "maite", "long-enough-pw") is not None
    r = c.post(
        "/admin/users",
        data={
            "add-csrf_token": tok,
            "add-name": "maite",
            "add-role": "admin",
            "add-password": "long-enough-pw",
            "add-confirm": "long-enough-pw",
        },
    )
    assert r.status_code == 409 and "already exists" in r.get_data(as_text=True)
    assert (
        c.post(
            "/admin/users/role", data={"act-csrf_token": tok, "act-name": "maite", "act-role": "admin"}
        ).status_code
        == 302
    )
    assert users.get_user(people, "maite").role == "admin"  # type: ignore[union-attr]
    r = c.post(
        "/admin/users/password",
        data={"pw-csrf_token": tok, "pw-name": "maite", "pw-password": "another-long-pw"},
    )
    assert r.status_code == 302 and users.authenticate(people, "maite", "another-long-pw") is not None
    r = c.post("/admin/users/remove", data={"act-csrf_token": tok, "act-name": "ada"})
    assert r.status_code == 400 and "own account" in r.get_data(as_text=True)
    r = c.post("/admin/users/remove", data={"act-csrf_token": tok, "act-name": "maite"})
    assert r.status_code == 302 and users.get_user(people, "maite") is None
    # a user added without the CSRF token is refused
    r = c.post(
        "/admin/users",
        data={
            "add-name": "eve",
            "add-role": "admin",
            "add-password": "long-enough-pw",
            "add-confirm": "long-enough-pw",
        },
    )
    assert r.status_code == 400 and users.get_user(people, "eve") is None


def test_admin_issues_and_revokes_tokens(app: Flask, people: Graph) -> None:
    c = app.test_client()
    login(c, "ada")
    tok = csrf_of(c.get("/admin/tokens").get_data(as_text=True))
    r = c.post(
        "/admin/tokens", data={"tok-csrf_token": tok, "tok-user": "olo", "tok-label": "<script>x</script>"}
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<script>x</script>" not in html and "&lt;script&gt;" in html
    token = re.search(r'<code class="token">([^<]+)</code>', html).group(1)  # type: ignore[union-attr]
    rec = users.check_token(people, token)
    assert rec is not None and rec.user == "olo"
    again = c.get("/admin/tokens").get_data(as_text=True)
    assert token not in again, "a token is shown only once"
    r = c.post("/admin/tokens/revoke", data={"rev-csrf_token": tok, "rev-token_id": rec.id})
    assert r.status_code == 302 and users.check_token(people, token) is None


def _upload(c: Any, tok: str, kind: str, name: str, data: bytes, skip_invalid: bool = False) -> Any:
    form = {"up-csrf_token": tok, "up-kind": kind, "up-file": (io.BytesIO(data), name)}
    if skip_invalid:
        form["up-skip_invalid"] = "y"
    return c.post("/admin/upload", data=form, content_type="multipart/form-data")


def test_upload_page_shows_the_command_as_code(app: Flask) -> None:
    c = app.test_client()
    login(c, "ada")
    html = c.get("/admin/upload").get_data(as_text=True)
    assert "<code>lotura load</code>" in html and "`" not in html


def test_upload_limits_give_clear_errors(people: Graph, neo4j_settings: Settings) -> None:
    app = make_app(people, neo4j_settings, LOTURA_UPLOAD_MAX_MB=0.001, LOTURA_UPLOAD_MAX_ROWS=3)
    c = app.test_client()
    login(c, "ada")
    tok = csrf_of(c.get("/admin/upload").get_data(as_text=True))
    cases = [
        ("orgs", "orgs.xlsx", b"id,name\n1,a\n", "only .csv files"),
        ("orgs", "orgs.csv", b"id,name\n" + b"1,aaaaaaaa\n" * 200, "larger than"),
        ("orgs", "orgs.csv", b"id,name\n1,a\n2,b\n3,c\n4,d\n", "more than 3 rows"),
        ("orgs", "orgs.csv", "id,name\n1,Mondragón\n".encode("latin-1"), "not UTF-8"),
        ("orgs", "orgs.csv", b"id,name\n1,\x00\n", "not a text file"),
        ("orgs", "orgs.csv", b"id,name\n", "no rows"),
        ("orgs", "orgs.csv", b"", "empty"),
        ("cordis", "notes.csv", b"a;b\n1;2\n", "not one of the CORDIS files"),
    ]
    for kind, name, data, expected in cases:
        r = _upload(c, tok, kind, name, data)
        html = r.get_data(as_text=True)
        assert r.status_code == 400, (name, expected, r.status_code)
        assert expected in html, (name, expected)
    big = app.test_client()
    login(big, "ada")
    app.config["MAX_CONTENT_LENGTH"] = 2000
    r = _upload(big, tok, "orgs", "orgs.csv", b"id,name\n" + b"1,a\n" * 1000)
    assert r.status_code == 413 and "larger than allowed" in r.get_data(as_text=True)


def test_upload_loads_a_template_and_lists_every_problem(app: Flask, people: Graph) -> None:
    pytest.importorskip("loaders.api")
    from pathlib import Path

    from conftest import ROOT, mark_dirty

    mark_dirty()
    c = app.test_client()
    login(c, "ada")
    tok = csrf_of(c.get("/admin/upload").get_data(as_text=True))
    good = (ROOT / "data" / "templates" / "organisations.csv").read_bytes()
    r = _upload(c, tok, "orgs", "survey 2025.csv", good)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[-3000:]
    assert "Loaded" in html and "done" in html
    assert (
        people.read_text("MATCH (o:Organisation {id: 'ksi:example-school'}) RETURN count(o) AS n")[0]["n"]
        == 1
    )
    header = good.splitlines()[0]
    bad = (
        header
        + b"\nksi:x1,,<b>Bad</b>,,nonsense-kind,Bilbao,48001,ES,XX999,,,,true\nksi:x2,,,,university,,,ES,ES213,,,,true\n"
    )
    r = _upload(c, tok, "orgs", "bad.csv", bad)
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Nothing was loaded" in html
    assert "bad.csv" in html and "lotura-upload-" not in html, (
        "problems name the uploaded file, not a temp path"
    )
    assert html.count("<tr><td>bad.csv</td><td>2</td>") >= 1 and "<tr><td>bad.csv</td><td>3</td>" in html
    assert "<b>Bad</b>" not in html
    # The message speaks to the page (its checkbox), not to the CLI, with a real plural.
    assert "--skip-invalid" not in html and "problem(s)" not in html
    assert "problems in bad.csv; nothing was loaded. Fix them, or tick “Load the valid rows and set the invalid " \
        "ones aside” and upload again." in html.replace("&#34;", '"')
    one = header + b"\nksi:x3,,Fine name,,nonsense-kind,Bilbao,48001,ES,ES213,,,,true\n"
    html = _upload(c, tok, "orgs", "one.csv", one).get_data(as_text=True)
    assert "1 problem in one.csv; nothing was loaded. Fix it, or tick" in html
    assert people.read_text("MATCH (o:Organisation {id: 'ksi:x1'}) RETURN count(o) AS n")[0]["n"] == 0
    # an unknown organisation stops the load whatever the checkbox says: no advice to tick it
    caps = b"org,slug,kind,title,description,topics,is_example\nksi:nobody,x,training,A course,,,false\n"
    html = _upload(c, tok, "capacities", "caps.csv", caps, skip_invalid=True).get_data(as_text=True)
    assert "1 unknown reference in caps.csv; nothing was loaded. Load the organisation" in html
    assert "tick" not in html.split("unknown reference", 1)[1][:300]
    assert not list(Path("/tmp").glob("lotura-upload-*")), "temporary upload folders are removed"


def test_upload_of_cordis_files(app: Flask, people: Graph) -> None:
    pytest.importorskip("loaders.api")
    import csv
    import gzip

    from conftest import ROOT, mark_dirty

    src = ROOT / "data" / "cordis_he"
    if not (src / "project.csv.gz").exists():
        pytest.skip("no bundled CORDIS extract")
    mark_dirty()
    files: dict[str, bytes] = {}
    keep: set[str] = set()
    for name in ("project", "organization", "euroSciVoc", "policyPriorities"):
        with gzip.open(src / f"{name}.csv.gz", "rt", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, delimiter=";"))
        body = rows[1:21] if name == "project" else [r for r in rows[1:] if r[0] in keep]
        if name == "project":
            keep = {r[0] for r in body}
        out = io.StringIO()
        csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL).writerows([rows[0], *body])
        files[f"{name}.csv"] = out.getvalue().encode()
    c = app.test_client()
    login(c, "ada")
    tok = csrf_of(c.get("/admin/upload").get_data(as_text=True))
    data: dict[str, Any] = {"up-csrf_token": tok, "up-kind": "cordis",
                            "up-files": [(io.BytesIO(b), n) for n, b in files.items()]}  # fmt: skip
    r = c.post("/admin/upload", data=data, content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[-3000:]
    assert "Loaded" in html
    n = people.read_text("MATCH (p:Project) RETURN count(p) AS n")[0]["n"]
    assert n == 20


# -- a private site does not tell outsiders which addresses exist -------------------


def _seen_by_an_outsider(r: Any, path: str) -> tuple[Any, ...]:
    """Everything a response tells its caller, with the asked path masked out."""
    location = r.headers.get("Location")
    if location:
        parts = urlsplit(location)
        query = parse_qs(parts.query)
        assert query.pop("next") == [path]
        location = (parts.path, query)
    body = r.get_json() if r.is_json else None
    return r.status_code, location, sorted(r.headers.keys()), body, r.headers.get("WWW-Authenticate")


@pytest.mark.parametrize(
    ("method", "known", "unknown"),
    [
        ("GET", "/dashboard", "/no-such-page"),
        ("GET", "/org/pic:999990001", "/orgs/pic:999990001"),
        ("GET", "/logout", "/logouts"),  # a known POST-only route: it used to answer 405
        ("POST", "/admin/users", "/admin/no-such-form"),  # no CSRF token either
        ("GET", "/api/v1/organisations", "/api/v1/no-such-thing"),
        ("POST", "/api/v1/organisations", "/api/v1/no-such-thing"),
    ],
)
def test_private_site_answers_outsiders_alike_for_known_and_unknown_addresses(
    people: Graph, neo4j_settings: Settings, method: str, known: str, unknown: str
) -> None:
    app = make_app(people, neo4j_settings, LOTURA_PUBLIC=False)
    c = app.test_client()
    rk, ru = c.open(known, method=method), c.open(unknown, method=method)
    assert _seen_by_an_outsider(ru, unknown) == _seen_by_an_outsider(rk, known)
    if known.startswith("/api/"):
        assert ru.status_code == 401 and ru.get_json()["error"]["status"] == 401
        assert ru.headers["WWW-Authenticate"] == 'Bearer realm="lotura"'
        wrong = {"Authorization": "Bearer lot_aaaaaaaaaaaa_" + "b" * 43}
        rk, ru = c.open(known, method=method, headers=wrong), c.open(unknown, method=method, headers=wrong)
        assert ru.status_code == 401
        assert _seen_by_an_outsider(ru, unknown) == _seen_by_an_outsider(rk, known)
    else:
        assert ru.status_code == 302 and urlsplit(ru.headers["Location"]).path == "/login"
    # What the login page needs still answers.
    assert c.get("/login").status_code == 200
    assert c.get("/health").status_code == 200
    with c.get("/static/css/lotura.css") as css:
        assert css.status_code == 200


def _real_404_and_405(c: Any) -> None:
    """Unknown page: the 404 page; GET on a POST-only route: 405; unknown API path: JSON 404."""
    r = c.get("/no-such-page")
    assert r.status_code == 404
    assert "There is nothing at this address." in r.get_data(as_text=True)
    assert c.get("/logout").status_code == 405
    r = c.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.get_json()["error"]["status"] == 404


def test_private_site_gives_signed_in_users_the_real_404(people: Graph, neo4j_settings: Settings) -> None:
    app = make_app(people, neo4j_settings, LOTURA_PUBLIC=False)
    c = app.test_client()
    login(c, "olo")
    _real_404_and_405(c)
    _, token = users.issue_token(people, "olo")
    r = c.get("/api/v1/no-such-thing", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404 and r.is_json


def test_public_site_still_answers_404_to_anyone(people: Graph, neo4j_settings: Settings) -> None:
    app = make_app(people, neo4j_settings, LOTURA_PUBLIC=True)
    c = app.test_client()
    _real_404_and_405(c)


def test_every_column_of_the_token_table_has_a_header(app: Flask, people: Graph) -> None:
    # axe's empty-table-header: the column of Revoke buttons is named like the users' page's
    users.issue_token(people, "olo", "a script")
    c = app.test_client()
    login(c, "ada")
    html = c.get("/admin/tokens?lang=en").get_data(as_text=True)
    table = html.split('<table class="tokens">', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", table.split("</thead>", 1)[0])
    assert headers == ["Id", "User", "What it is for", "Created", "Last used", "State", "Actions"]
    row = table.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert len(re.findall(r"<td[ >]", row)) == len(headers) and ">Revoke</button>" in row
    # and the role badge of the header, whose colours test_a11y_pages checks
    assert '<span class="tag">administrator</span>' in html
