"""Hardening, checked on every page the app serves: security headers, CSP without
inline script, escaped data, cookie flags, formula-safe CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from test_auth import PASSWORDS, login, make_app
from webdata import EVIL_CSV, EVIL_HTML, GREENAV, TOPIC_AV, load_web_fixture

from graphsvc import users
from graphsvc.csvsafe import safe_cell, write_csv
from graphsvc.db import Graph
from graphsvc.settings import Settings

EVIL = "<img src=x onerror=alert(1)>"
# Values for the URL arguments of the app's GET routes, from the web fixture graph.
ARGS = {
    "org_id": EVIL_HTML, "project_id": GREENAV, "topic_id": TOPIC_AV,
    "fmt": "html", "kind": "hosts", "plan_id": "no-such-plan",
}  # fmt: skip


@pytest.fixture()
def web_graph(session_graph: Graph) -> Iterator[Graph]:
    g = load_web_fixture(session_graph)
    yield g


@pytest.fixture()
def app(web_graph: Graph, neo4j_settings: Settings) -> Flask:
    return make_app(web_graph, neo4j_settings)


def get_routes(app: Flask) -> list[str]:
    """A URL for every GET route: fixture ids for the arguments; saved queries by name."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in {"static", "core.home"}:
            continue
        if rule.endpoint.startswith("probe."):
            continue
        url = rule.rule
        ok = True
        for arg in rule.arguments:
            value = ARGS.get(arg)
            if value is None and rule.endpoint == "queries.show":
                from graphsvc.queries import names

                saved = names("saved")
                value = saved[0].split("/", 1)[1] if saved else None
            if value is None:
                ok = False
                break
            url = re.sub(rf"<(?:[a-z]+:)?{arg}>", value, url)
        if ok:
            urls.append(url)
    return sorted(set(urls))


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k.lower(): v or "" for k, v in attrs}))


def check_headers(url: str, r: Any) -> list[str]:
    bad = []
    csp = r.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    script = directives.get("script-src", directives.get("default-src", []))
    if not script or "'unsafe-inline'" in script or "'unsafe-eval'" in script or "*" in script:
        bad.append(f"{url}: script-src {script}")
    if directives.get("frame-ancestors") not in (["'self'"], ["'none'"]):
        bad.append(f"{url}: frame-ancestors {directives.get('frame-ancestors')}")
    if directives.get("object-src") != ["'none'"]:
        bad.append(f"{url}: object-src")
    if r.headers.get("X-Content-Type-Options") != "nosniff":
        bad.append(f"{url}: X-Content-Type-Options")
    if r.headers.get("Referrer-Policy") not in (
        "same-origin",
        "no-referrer",
        "strict-origin-when-cross-origin",
    ):
        bad.append(f"{url}: Referrer-Policy")
    if r.mimetype == "text/html":
        html = r.get_data(as_text=True)
        nonce = re.search(r"'nonce-([^']+)'", csp)
        # A download (an offline map export) is a file for later, served sandboxed with
        # every script blocked; its inline scripts are its own.
        attachment = "attachment" in r.headers.get("Content-Disposition", "") and "sandbox" in csp
        tags = Tags()
        tags.feed(html)
        for tag, attrs in tags.found:
            if (
                tag == "script" and "src" not in attrs and not attachment
                and (not nonce or attrs.get("nonce") != nonce.group(1))
            ):  # fmt: skip
                bad.append(f"{url}: inline <script> without the page's nonce")
            handlers = [a for a in attrs if a.startswith("on")]
            if handlers:
                bad.append(f"{url}: inline event handler <{tag} {handlers[0]}=...>")
            if tag == "img" and attrs.get("src") == "x":
                bad.append(f"{url}: unescaped data {EVIL!r}")
            for a in ("src", "href"):
                value = attrs.get(a) or ""
                if tag in ("script", "link", "img", "iframe") and re.match(r"^(https?:)?//", value):
                    bad.append(f"{url}: external reference {value}")
        if EVIL in html:
            bad.append(f"{url}: unescaped data {EVIL!r}")
    return bad


def test_every_page_has_the_headers_and_escapes_data(app: Flask, web_graph: Graph) -> None:
    urls = get_routes(app)
    assert "/login" in urls and "/health" in urls
    assert any(u.startswith("/org/") for u in urls) or "organisation.show" not in app.view_functions
    users.add_user(web_graph, "ada", "admin", PASSWORDS["ada"])
    try:
        problems: list[str] = []
        anon = app.test_client()
        admin = app.test_client()
        login(admin, "ada")
        for url in urls:
            for who, c in (("anonymous", anon), ("admin", admin)):
                r = c.get(url)
                if r.status_code >= 500:
                    problems.append(f"{url} ({who}): {r.status_code}")
                problems += [f"{p} ({who})" for p in check_headers(url, r)]
        # error pages, JSON errors and a reflected query string too
        for url in ("/no-such-page", "/api/v1/no-such", f"/directory?q={EVIL}", f"/login?next={EVIL}"):
            problems += check_headers(url, anon.get(url))
        assert not problems, "\n".join(problems)
    finally:
        users.remove_user(web_graph, "ada")


def test_evil_names_render_as_text(app: Flask) -> None:
    if "organisation.show" not in app.view_functions:
        pytest.skip("no organisation pages in this build")
    c = app.test_client()
    html = c.get(f"/org/{EVIL_HTML}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html


def test_csv_exports_neutralise_formulas(app: Flask) -> None:
    if "directory.index" not in app.view_functions:
        pytest.skip("no directory in this build")
    r = app.test_client().get("/directory?format=csv&territory=all&q=HYPERLINK")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    cells = [c for row in rows for c in row]
    assert any("HYPERLINK" in c for c in cells), "the fixture organisation is in the export"
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells
    assert EVIL_CSV


def test_safe_cell_and_write_csv() -> None:
    for evil in ("=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(evil).startswith("'")
    assert safe_cell(-5) == -5 and safe_cell("Bilbao") == "Bilbao"
    text = write_csv([["=a", 1], ["b", None]], ["=h", "n"])
    assert list(csv.reader(io.StringIO(text))) == [["'=h", "n"], ["'=a", "1"], ["b", ""]]


# -- cookies --------------------------------------------------------------------------------


def _session_cookie(r: Any) -> str:
    cookies = [h for h in r.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[-1]


@pytest.mark.parametrize(
    ("mode", "https", "secure"),
    [("auto", False, False), ("auto", True, True), (True, False, True), (False, True, False)],
)
def test_session_cookie_flags(
    web_graph: Graph, neo4j_settings: Settings, mode: Any, https: bool, secure: bool
) -> None:
    users.add_user(web_graph, "olo", "organiser", PASSWORDS["olo"])
    try:
        app = make_app(web_graph, neo4j_settings, LOTURA_SECURE_COOKIES=mode)
        c = app.test_client()
        base = "https://lotura.example" if https else "http://localhost"
        page = c.get("/login", base_url=base).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        r = c.post(
            "/login",
            base_url=base,
            headers={"Referer": f"{base}/login"},
            data={"name": "olo", "password": PASSWORDS["olo"], "csrf_token": token},
        )
        assert r.status_code == 302
        cookie = _session_cookie(r)
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure
        if https:
            assert r.headers.get("Strict-Transport-Security", "").startswith("max-age=")
    finally:
        users.remove_user(web_graph, "olo")


def test_cached_pages_never_carry_someone_elses_session(app: Flask, web_graph: Graph) -> None:
    users.add_user(web_graph, "ada", "admin", PASSWORDS["ada"])
    try:
        pages = [
            u
            for u in ("/dashboard", "/directory", f"/org/{EVIL_HTML}")
            if app.test_client().get(u).status_code == 200
        ]
        assert pages
        admin = app.test_client()
        login(admin, "ada")
        for url in pages:
            mine = admin.get(url).get_data(as_text=True)
            assert "Log out" in mine and "ada" in mine
            other = app.test_client().get(url).get_data(as_text=True)
            assert "Log out" not in other and 'name="csrf_token"' not in other, url
            assert "Log out" in admin.get(url).get_data(as_text=True), (
                "a logged-in user never gets the anonymous copy"
            )
    finally:
        users.remove_user(web_graph, "ada")
