"""Login, roles, API tokens and the LOTURA_PUBLIC=0 rule, against the real Neo4j."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Blueprint, Flask, jsonify

from graphsvc import users
from graphsvc.db import Graph
from graphsvc.errors import Conflict, InvalidInput, NotFound
from graphsvc.settings import Settings
from web.auth import require_role

PASSWORDS = {"ada": "ada-password-1", "olo": "olo-password-1"}

probe = Blueprint("probe", __name__)


@probe.post("/probe/organiser")
@require_role("organiser")
def organiser_page() -> Any:
    return "organiser ok"


@probe.post("/probe/admin")
@require_role("admin")
def admin_page() -> Any:
    return "admin ok"


# The API is read-only; these probes stand for a read a role is needed for.
@probe.get("/api/v1/probe-admin")
@require_role("admin")
def api_admin_read() -> Any:
    return jsonify({"ok": True})


@probe.get("/api/v1/probe-organiser")
@require_role("organiser")
def api_organiser_read() -> Any:
    return jsonify({"ok": True})


def make_app(graph: Graph, settings: Settings, **config: Any) -> Flask:
    from web import create_app

    app = create_app(
        {"TESTING": True, "LOTURA_GRAPH": graph, "SECRET_KEY": "test", **config}, settings=settings
    )
    app.register_blueprint(probe)
    return app


@pytest.fixture()
def people(graph: Graph) -> Graph:
    users.add_user(graph, "ada", "admin", PASSWORDS["ada"])
    users.add_user(graph, "olo", "organiser", PASSWORDS["olo"])
    return graph


@pytest.fixture()
def app(people: Graph, neo4j_settings: Settings) -> Flask:  # shadows the demo-data app
    return make_app(people, neo4j_settings)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert m, "no CSRF token in the page"
    return m.group(1)


def login(client: Any, name: str, password: str | None = None) -> Any:
    page = client.get("/login")
    token = csrf_of(page.get_data(as_text=True))
    return client.post(
        "/login", data={"name": name, "password": password or PASSWORDS[name], "csrf_token": token}
    )


def page_token(client: Any) -> str:
    return csrf_of(client.get("/login", follow_redirects=True).get_data(as_text=True))


# -- the user store ------------------------------------------------------------------


def test_users_are_stored_with_argon2_and_names_are_unique(people: Graph) -> None:
    rec = users.get_user(people, "ada")
    assert rec is not None and rec.role == "admin"
    assert rec.password_hash.startswith("$argon2id$")
    assert PASSWORDS["ada"] not in rec.password_hash
    with pytest.raises(Conflict):
        users.add_user(people, "ada", "organiser", "another-password")
    with pytest.raises(InvalidInput):
        users.add_user(people, "bob", "root", "another-password")
    with pytest.raises(InvalidInput):
        users.add_user(people, "bob", "admin", "short")
    with pytest.raises(InvalidInput):
        users.add_user(people, "<b>", "admin", "long-enough-password")
    assert [u["name"] for u in users.list_users(people)] == ["ada", "olo"]
    assert "password_hash" not in users.list_users(people)[0]


def test_authenticate_and_password_change(people: Graph) -> None:
    assert users.authenticate(people, "ada", PASSWORDS["ada"]) is not None
    assert users.authenticate(people, "ada", "wrong-password") is None
    assert users.authenticate(people, "nobody", "whatever-password") is None
    users.set_password(people, "ada", "a-new-password-2")
    assert users.authenticate(people, "ada", PASSWORDS["ada"]) is None
    assert users.authenticate(people, "ada", "a-new-password-2") is not None
    users.remove_user(people, "olo")
    assert users.get_user(people, "olo") is None
    with pytest.raises(NotFound):
        users.remove_user(people, "olo")


def test_tokens_are_hashed_and_revocable(people: Graph) -> None:
    tid, token = users.issue_token(people, "ada", "ci")
    assert token.startswith(f"lot_{tid}_")
    stored = people.read_one("users/token_get", id=tid)
    assert stored is not None and token not in str(stored) and stored["hash"] != token
    rec = users.check_token(people, token)
    assert rec is not None and rec.user == "ada" and rec.role == "admin"
    assert users.check_token(people, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert users.check_token(people, "garbage") is None
    users.revoke_token(people, tid)
    assert users.check_token(people, token) is None
    assert users.list_tokens(people)[0]["revoked"] is True
    with pytest.raises(NotFound):
        users.issue_token(people, "nobody")


# -- login ------------------------------------------------------------------------------


def test_login_logout_cycle(app: Flask) -> None:
    c = app.test_client()
    r = login(c, "olo")
    assert r.status_code == 302
    home = c.get("/", follow_redirects=True).get_data(as_text=True)
    assert "olo" in home and "Log out" in home
    r = c.post("/logout", data={"csrf_token": page_token(c)})
    assert r.status_code == 302
    assert c.post("/probe/organiser").status_code in (302, 400)


def test_wrong_password_is_refused_without_saying_which_part(app: Flask) -> None:
    c = app.test_client()
    r = login(c, "olo", "wrong-password-x")
    assert r.status_code == 401
    assert "Unknown user name or wrong password" in r.get_data(as_text=True)
    r2 = login(c, "nobody", "wrong-password-x")
    assert r2.status_code == 401


def test_login_without_csrf_token_is_refused(app: Flask) -> None:
    c = app.test_client()
    r = c.post("/login", data={"name": "olo", "password": PASSWORDS["olo"]})
    assert r.status_code == 400
    assert "CSRF" in r.get_data(as_text=True)
    assert c.post("/logout").status_code == 400


def test_login_next_only_redirects_inside_the_site(app: Flask) -> None:
    c = app.test_client()
    page = c.get("/login?next=https://evil.example/")
    token = csrf_of(page.get_data(as_text=True))
    r = c.post(
        "/login?next=https://evil.example/",
        data={"name": "olo", "password": PASSWORDS["olo"], "csrf_token": token},
    )
    assert r.status_code == 302 and "evil.example" not in r.headers["Location"]
    c2 = app.test_client()
    token = csrf_of(c2.get("/login").get_data(as_text=True))
    r = c2.post(
        "/login?next=/health", data={"name": "olo", "password": PASSWORDS["olo"], "csrf_token": token}
    )
    assert r.headers["Location"].endswith("/health")


def test_password_change_ends_sessions(app: Flask, people: Graph) -> None:
    c = app.test_client()
    login(c, "olo")
    tok = page_token(c)
    assert c.post("/probe/organiser", data={"csrf_token": tok}).status_code == 200
    users.set_password(people, "olo", "changed-password-9")
    r = c.post("/probe/organiser", data={"csrf_token": tok})
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_login_is_rate_limited(people: Graph, neo4j_settings: Settings) -> None:
    app = make_app(people, neo4j_settings, LOTURA_RATELIMIT_LOGIN="3 per minute")
    c = app.test_client()
    token = page_token(c)
    codes = [
        c.post(
            "/login", data={"name": "olo", "password": "wrong-password-x", "csrf_token": token}
        ).status_code
        for _ in range(4)
    ]
    assert codes[:3] == [401, 401, 401]
    assert codes[3] == 429
    # the right password does not get through while the limit holds
    r = c.post("/login", data={"name": "olo", "password": PASSWORDS["olo"], "csrf_token": token})
    assert r.status_code == 429
    assert "Too many requests" in r.get_data(as_text=True)


# -- roles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "path", "expected"),
    [
        (None, "/probe/organiser", 302),
        (None, "/probe/admin", 302),
        ("olo", "/probe/organiser", 200),
        ("olo", "/probe/admin", 403),
        ("ada", "/probe/organiser", 200),
        ("ada", "/probe/admin", 200),
    ],
)
def test_require_role_on_pages(app: Flask, who: str | None, path: str, expected: int) -> None:
    c = app.test_client()
    if who:
        login(c, who)
    r = c.post(path, data={"csrf_token": page_token(c)})
    assert r.status_code == expected
    if expected == 302:
        assert "/login?next=" in r.headers["Location"]
    if expected == 403:
        assert "Not allowed" in r.get_data(as_text=True)


def test_page_form_without_csrf_is_refused_even_when_logged_in(app: Flask) -> None:
    c = app.test_client()
    login(c, "ada")
    r = c.post("/probe/admin")
    assert r.status_code == 400


def test_api_tokens_act_with_their_users_role(app: Flask, people: Graph) -> None:
    _, admin_token = users.issue_token(people, "ada")
    _, org_token = users.issue_token(people, "olo")
    revoked_id, revoked = users.issue_token(people, "ada")
    users.revoke_token(people, revoked_id)
    c = app.test_client()

    def call(path: str, token: str | None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return c.get(path, headers=headers)

    r = call("/api/v1/probe-admin", None)
    assert r.status_code == 401 and r.is_json and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert call("/api/v1/probe-admin", "lot_000000000000_" + "x" * 43).status_code == 401
    assert call("/api/v1/probe-admin", revoked).status_code == 401
    assert call("/api/v1/probe-admin", org_token).status_code == 403
    assert call("/api/v1/probe-admin", org_token).is_json
    assert call("/api/v1/probe-admin", admin_token).status_code == 200
    assert call("/api/v1/probe-organiser", org_token).status_code == 200
    users.set_role(people, "ada", "organiser")
    assert call("/api/v1/probe-admin", admin_token).status_code == 403, "the user's current role"
    users.remove_user(people, "olo")
    assert call("/api/v1/probe-organiser", org_token).status_code == 401


def test_a_bad_token_is_refused_on_public_routes_and_account_counts_are_for_admins(app: Flask, people: Graph) -> None:
    _, org_token = users.issue_token(people, "olo")
    _, admin_token = users.issue_token(people, "ada")
    c = app.test_client()
    # a public site answers anonymous readers, but a token that is not valid is an error
    anonymous = c.get("/api/v1/stats")
    assert anonymous.status_code == 200
    for bad in ("lot_wrong", "lot_000000000000_" + "x" * 43, ""):
        r = c.get("/api/v1/stats", headers={"Authorization": f"Bearer {bad}"})
        assert r.status_code == 401 and r.is_json and r.headers["WWW-Authenticate"].startswith("Bearer"), bad
    # how many accounts and tokens exist: admins only
    assert not {"User", "ApiToken"} & set(anonymous.get_json()["labels"])
    as_organiser = c.get("/api/v1/stats", headers={"Authorization": f"Bearer {org_token}"}).get_json()
    assert not {"User", "ApiToken"} & set(as_organiser["labels"])
    as_admin = c.get("/api/v1/stats", headers={"Authorization": f"Bearer {admin_token}"}).get_json()
    assert as_admin["labels"]["User"] >= 2 and as_admin["labels"]["ApiToken"] >= 2


def test_the_api_has_no_write_routes(app: Flask) -> None:
    """The JSON API is read-only: the docs and `lotura token --help` say so."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and not rule.endpoint.startswith("probe."):
            assert not (rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}, rule.rule
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    assert {m for ops in doc["paths"].values() for m in ops} == {"get"}
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_private_mode_requires_login_except_login_and_health(people: Graph, neo4j_settings: Settings) -> None:
    app = make_app(people, neo4j_settings, LOTURA_PUBLIC=False)
    c = app.test_client()
    r = c.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert c.get("/login").status_code == 200
    assert c.get("/health").status_code == 200
    with c.get("/static/css/lotura.css") as css:
        assert css.status_code == 200
    assert c.get("/favicon.ico").status_code == 200  # the login page's icon too
    if "api" in app.blueprints:
        r = c.get("/api/v1/openapi.json")
        assert r.status_code == 401 and r.is_json
        _, token = users.issue_token(people, "olo")
        r = c.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200
        r = c.get("/api/v1/openapi.json", headers={"Authorization": "Bearer lot_wrong"})
        assert r.status_code == 401
    login(c, "olo")
    assert c.get("/").status_code in (200, 302)
    assert "/login" not in c.get("/").headers.get("Location", "")


def test_api_is_rate_limited(people: Graph, neo4j_settings: Settings) -> None:
    app = make_app(people, neo4j_settings, LOTURA_RATELIMIT_API="3 per minute")
    if "api" not in app.blueprints:
        pytest.skip("no JSON API in this build")
    c = app.test_client()
    codes = [c.get("/api/v1/openapi.json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = c.get("/api/v1/openapi.json")
    assert r.is_json and r.json["error"]["status"] == 429
    assert "Retry-After" in r.headers
    assert c.get("/health").status_code == 200, "pages are not limited by the API's limit"
