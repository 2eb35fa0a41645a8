"""Accessibility of the explorer's pages: the findings of the audit, kept fixed.

Contrast is computed with the WCAG 2.x formula from the colours the stylesheet really
uses; the reflow test measures the pages in headless Chromium at 320 px.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from graphsvc.db import Graph

ROOT = Path(__file__).resolve().parent.parent
CSS = (ROOT / "web" / "static" / "css" / "lotura.css").read_text(encoding="utf-8")


# -- contrast (WCAG 2.x relative luminance) ----------------------------------------------------
def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rgb``, ``#rrggbb`` or ``rgb(r, g, b)`` as three integers."""
    colour = colour.strip().lower()
    if m := re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*1)?\)", colour):
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(ch * 2 for ch in hexa)
    assert re.fullmatch(r"[0-9a-f]{6}", hexa), colour
    return int(hexa[0:2], 16), int(hexa[2:4], 16), int(hexa[4:6], 16)


def contrast(a: str, b: str) -> float:
    def lum(colour: str) -> float:
        r, g, b_ = (_channel(c) for c in rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_contrast_formula_gives_the_audits_numbers() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#ffffff", "#f4f6f8") == pytest.approx(1.08, abs=0.01)  # the old badge (A2)
    assert contrast("#f0b400", "#ffffff") == pytest.approx(1.87, abs=0.01)  # the old focus (K5)
    assert contrast("#f0b400", "#0b5e7e") == pytest.approx(3.85, abs=0.01)  # "3.8:1 on the blue header"


# -- reading the stylesheet ----------------------------------------------------------------------
def rule(selector: str) -> str:
    """The declarations of the rule whose selector list is exactly ``selector``."""
    m = re.search(rf"(?m)^{re.escape(selector)}\s*\{{([^}}]*)\}}", CSS)
    assert m, f"no rule {selector!r} in lotura.css"
    return m.group(1)


def declared(block: str, prop: str) -> str:
    m = re.search(rf"(?:^|[;\s]){re.escape(prop)}\s*:\s*([^;]+?)\s*(?:;|$)", block)
    assert m, f"{prop} not set in {block!r}"
    return m.group(1)


ROOT_VARS = rule(":root")


def colour_of(value: str, scope: str = ROOT_VARS) -> str:
    """A colour value, following ``var(--x)`` into ``scope`` and then ``:root``."""
    if m := re.fullmatch(r"var\((--[\w-]+)\)", value):
        try:
            return colour_of(declared(scope, m.group(1)), ROOT_VARS)
        except AssertionError:
            return colour_of(declared(ROOT_VARS, m.group(1)), ROOT_VARS)
    return value


def test_the_account_badge_is_readable_in_the_blue_header() -> None:
    # A2: the role badge ("administrator", "organiser") sits in the header, whose text is
    # white; the badge must bring its own dark text onto its light background.
    account = (ROOT / "web" / "templates" / "_account.html").read_text(encoding="utf-8")
    assert '<span class="tag">' in account
    tag = rule(".tag")
    fg, bg = colour_of(declared(tag, "color")), colour_of(declared(tag, "background"))
    assert contrast(fg, bg) >= 4.5, (fg, bg)
    assert contrast(fg, bg) > 14  # ink on the panel colour: #1b1f24 on #f4f6f8


def test_the_focus_outline_stands_out_on_the_page_and_on_the_header() -> None:
    # K5: the outline (its outer edge meets the background) is >= 3:1 on white and on the
    # blue header; the inner ring differs from it by >= 3:1 too, so the two read as one mark.
    focus = rule("input:focus, select:focus, button:focus, a:focus")
    assert declared(focus, "outline") == "3px solid var(--focus)"
    assert declared(focus, "box-shadow") == "0 0 0 2px var(--focus-inner)"
    page_bg, header_bg = colour_of("var(--bg)"), colour_of(declared(rule(".top"), "background"))
    header = rule(".top, .skip")
    for scope, bg in ((ROOT_VARS, page_bg), (header, header_bg)):
        outer, inner = colour_of("var(--focus)", scope), colour_of("var(--focus-inner)", scope)
        assert contrast(outer, bg) >= 3, (outer, bg)
        assert contrast(outer, inner) >= 3, (outer, inner)
    assert colour_of("var(--focus)") == "#1b1f24" and colour_of("var(--focus)", header) == "#f0b400"


# -- the language switch (A3) -------------------------------------------------------------------
class _LangLinks(HTMLParser):
    """The links of ``nav.lang-switch``: attributes, text shown, and the whole text (the name)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, Any]] = []
        self.in_nav = False
        self.hidden_depth = 0
        self.current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and "lang-switch" in (a.get("class") or ""):
            self.in_nav = True
        elif self.in_nav and tag == "a":
            self.current = {"attrs": a, "shown": "", "name": ""}
        elif self.current is not None and tag == "span":
            if self.hidden_depth or "visually-hidden" in (a.get("class") or ""):
                self.hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.in_nav = False
        elif tag == "a" and self.current is not None:
            self.links.append(self.current)
            self.current = None
        elif tag == "span" and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current["name"] += data
            if not self.hidden_depth:
                self.current["shown"] += data


@pytest.mark.parametrize("lang", ["en", "eu"])
def test_the_language_links_are_named_by_the_code_they_show(client: Any, lang: str) -> None:
    parser = _LangLinks()
    parser.feed(client.get(f"/dashboard?lang={lang}").get_data(as_text=True))
    names = {"eu": "Euskara", "es": "Español", "fr": "Français", "en": "English"}
    assert [link["attrs"]["hreflang"] for link in parser.links] == list(names)
    for link in parser.links:
        code, attrs = link["attrs"]["hreflang"], link["attrs"]
        assert "aria-label" not in attrs, "the name comes from the text, shown and hidden"
        assert attrs["lang"] == code and attrs["title"] == names[code]
        shown, name = link["shown"].strip(), " ".join(link["name"].split())
        assert shown == code.upper()
        # WCAG 2.5.3: the accessible name starts with the visible label, then names the language
        assert name == f"{code.upper()} – {names[code]}"
    current = [link["attrs"]["hreflang"] for link in parser.links if "aria-current" in link["attrs"]]
    assert current == [lang]


# -- login errors (K8) ----------------------------------------------------------------------------
def _login_page(client: Any, **data: str) -> tuple[int, str]:
    page = client.get("/login?lang=en").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    resp = client.post("/login?lang=en", data={"csrf_token": token.group(1), **data})
    return resp.status_code, resp.get_data(as_text=True)


def _input(page: str, name: str) -> str:
    m = re.search(rf'<input [^>]*name="{name}"[^>]*>', page)
    assert m, name
    return m.group(0)


def test_a_wrong_password_is_tied_to_the_password_field(client: Any) -> None:
    status, page = _login_page(client, name="nobody-here", password="not-the-password")
    assert status == 401
    password, name = _input(page, "password"), _input(page, "name")
    assert 'aria-invalid="true"' in password and 'aria-describedby="login-password-error"' in password
    assert "autofocus" in password, "focus goes back to the field to type again"
    assert "aria-invalid" not in name and "aria-describedby" not in name and "autofocus" not in name
    error = re.search(r'<p class="form-error" id="login-password-error" role="alert">([^<]+)</p>', page)
    assert error and error.group(1) == "Unknown user name or wrong password."


def test_empty_login_fields_are_each_marked_and_described(client: Any) -> None:
    status, page = _login_page(client, name="", password="")
    assert status == 400
    for field in ("name", "password"):
        tag = _input(page, field)
        assert 'aria-invalid="true"' in tag and f'aria-describedby="login-{field}-error"' in tag
        assert re.search(
            rf'<p class="form-error" id="login-{field}-error" role="alert">This field is required\.</p>', page
        )
    assert "autofocus" in _input(page, "name") and "autofocus" not in _input(page, "password")


def test_a_fresh_login_form_marks_nothing_invalid(client: Any) -> None:
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "aria-invalid" not in page and "form-error" not in page
    assert "autofocus" in _input(page, "name")


# -- reflow at 320 px (K6) and the focus seen in the browser (K5) --------------------------------
@pytest.fixture()
def analysed_site(demo_graph: Graph, live_server: Any, page: Any) -> Any:
    """The demo graph with `lotura analyse` run, so the brokers page has its table."""
    from conftest import mark_dirty

    from graphsvc import analytics

    analytics.analyse(demo_graph)
    mark_dirty()  # the demo fixture holds no analysis: later tests reload it
    page.set_default_timeout(20000)
    page.lotura_url = live_server.url
    return page


@pytest.mark.browser
def test_pages_reflow_at_320_px_and_show_focus_on_white_and_blue(analysed_site: Any) -> None:
    pg = analysed_site
    pg.set_viewport_size({"width": 320, "height": 640})
    for path, table in (
        ("/dashboard", "table.loads"),
        ("/directory?q=energy", "table.directory"),
        ("/analytics/brokers", "table.brokers"),
    ):
        pg.goto(f"{pg.lotura_url}{path}{'&' if '?' in path else '?'}lang=en")
        assert pg.locator(f"{table} tbody tr").count() > 0, path
        # the table is wider than the screen: it scrolls in its own box, not the page
        assert pg.locator(table).evaluate("t => t.getBoundingClientRect().width") > 320, path
        assert pg.locator(table).evaluate("t => t.parentElement.classList.contains('scroll')"), path
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide at 320px"

    def outline_and_background(selector: str, background_of: str) -> tuple[str, str, str]:
        el = pg.locator(selector).first
        el.focus()
        style = el.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineColor] }")
        bg = pg.locator(background_of).first.evaluate("e => getComputedStyle(e).backgroundColor")
        return style[0], style[1], bg

    pg.goto(f"{pg.lotura_url}/dashboard?lang=en")
    for selector, background_of in (
        ("main a", "body"),
        (".main-nav a", "header.top"),
        (".lang-switch a", "header.top"),
    ):
        style, colour, bg = outline_and_background(selector, background_of)
        if bg == "rgba(0, 0, 0, 0)":
            bg = "rgb(255, 255, 255)"  # the page's canvas
        assert style == "solid" and contrast(colour, bg) >= 3, (selector, colour, bg)
