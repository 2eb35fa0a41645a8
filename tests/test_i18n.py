"""Four languages: complete catalogues, no untranslated template text, every page in each
language, the order in which the language is chosen, real plural forms."""

from __future__ import annotations

import re
from typing import Any

import pytest
from webdata import ensure_compiled

from web.i18n_check import LANGS, check_catalogues, check_templates, template_text

TECNALIA = "pic:999604110"
PAGES = [
    "/dashboard", "/directory?q=tecnalia", f"/org/{TECNALIA}", "/topic/ccs:green-filming", "/finder",
    f"/finder?org={TECNALIA}&limit=3", "/finder?mode=need&topics=Green+filming", "/analytics/communities",
    "/analytics/brokers", "/analytics/gaps", "/queries", "/queries/top_cross_border_organisations?run=1",
]
HEADINGS = {  # the dashboard's heading in each language
    "en": "The Euroregional innovation ecosystem",
    "es": "El ecosistema de innovación eurorregional",
    "fr": "L'écosystème d'innovation eurorégional",
    "eu": "Euroeskualdeko berrikuntza-ekosistema",
}


@pytest.fixture(scope="module", autouse=True)
def _compiled() -> None:
    ensure_compiled()


def test_no_catalogue_has_an_untranslated_or_fuzzy_entry() -> None:
    problems = check_catalogues(do_extract=True)
    assert not problems, "\n".join(map(str, problems[:60])) + (
        f"\n... {len(problems)} in all: run `make i18n`, translate, and `python -m web.i18n_check`"
    )


def test_no_template_holds_text_outside_a_translation_call() -> None:
    problems = check_templates()
    assert not problems, "\n".join(map(str, problems))


def test_the_template_checker_finds_untranslated_text() -> None:
    assert template_text("<h1>Hello</h1>") == [(1, "Hello")]
    assert template_text('<input placeholder="Search">') == [(1, "Search")]
    assert template_text('<h1>{{ _("Hello") }}</h1><p>{{ o.name }} · CSV</p>') == []
    assert template_text("{% block body_class %}residency{% endblock %}") == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_renders_in_each_language(client: Any, lang: str) -> None:
    for url in PAGES:
        sep = "&" if "?" in url else "?"
        resp = client.get(f"{url}{sep}lang={lang}")
        assert resp.status_code == 200, url
        page = resp.get_data(as_text=True)
        assert f'<html lang="{lang}">' in page, url
    page = client.get(f"/dashboard?lang={lang}").get_data(as_text=True)
    assert HEADINGS[lang] in page.replace("&#39;", "'")


@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_of_the_app_renders_in_each_language(client: Any, lang: str) -> None:
    """All parameterless GET pages of every part (maps, residency ... included)."""
    app = client.application
    seen = 0
    for rule in app.url_map.iter_rules():
        if ("GET" not in rule.methods or rule.arguments or rule.rule.startswith(("/api/", "/static"))
                or rule.endpoint in ("core.health",) or "download" in rule.endpoint or rule.rule.endswith(
                    (".json", ".svg", ".csv", ".png"))):
            continue
        resp = client.get(rule.rule, query_string={"lang": lang})
        if resp.status_code in (301, 302, 303, 401, 403):  # protected: the login page instead
            continue
        assert resp.status_code == 200, rule.rule
        if resp.mimetype == "text/html":
            assert f'<html lang="{lang}">' in resp.get_data(as_text=True), rule.rule
            seen += 1
    assert seen >= 8


def test_error_pages_are_translated(client: Any) -> None:
    page = client.get("/no/such/page?lang=eu").get_data(as_text=True)
    assert '<html lang="eu">' in page and "Ez da aurkitu" in page
    # (a bad filter is shown in the directory's own form; a CSV asked in an unknown format gets the error page)
    page = client.get("/directory?format=xls&lang=es").get_data(as_text=True)
    assert "Solicitud incorrecta" in page and "Campo: format" in page
    page = client.get("/directory?page=0&lang=es").get_data(as_text=True)
    assert '<html lang="es">' in page and "Campo: page" in page


def test_language_order_query_then_cookie_then_accept_language(client: Any) -> None:
    def lang_of(resp: Any) -> str:
        m = re.search(r'<html lang="(\w+)">', resp.get_data(as_text=True))
        assert m
        return m.group(1)

    # Accept-Language alone.
    client.delete_cookie("lotura_lang")
    assert lang_of(client.get("/dashboard", headers={"Accept-Language": "fr-FR,fr;q=0.9"})) == "fr"
    # ?lang= wins and is remembered in a cookie ...
    resp = client.get("/dashboard?lang=eu", headers={"Accept-Language": "fr"})
    assert lang_of(resp) == "eu"
    assert "lotura_lang=eu" in resp.headers.get("Set-Cookie", "")
    # ... which then wins over Accept-Language.
    assert lang_of(client.get("/dashboard", headers={"Accept-Language": "fr"})) == "eu"
    # A new ?lang= wins over the cookie.
    assert lang_of(client.get("/dashboard?lang=es", headers={"Accept-Language": "fr"})) == "es"
    assert lang_of(client.get("/directory")) == "es"


def test_default_language_when_nothing_asks(demo_graph: Any, neo4j_settings: Any) -> None:
    from dataclasses import replace

    from web import create_app

    app = create_app({"TESTING": True, "LOTURA_GRAPH": demo_graph, "SECRET_KEY": "t"},
                     settings=replace(neo4j_settings, default_language="eu"))
    page = app.test_client().get("/dashboard").get_data(as_text=True)
    assert '<html lang="eu">' in page


def test_the_switcher_is_on_every_page_and_keeps_the_query(client: Any) -> None:
    page = client.get("/directory?q=tecnalia&lang=en").get_data(as_text=True)
    for code, name in (("eu", "Euskara"), ("es", "Español"), ("fr", "Français"), ("en", "English")):
        assert f'hreflang="{code}"' in page and name in page
    assert 'href="/directory?q=tecnalia&amp;lang=eu"' in page


PLURALS = {
    "en": ("1 project", "5 projects", "0 projects"),
    "es": ("1 proyecto", "5 proyectos", "0 proyectos"),
    "fr": ("1 projet", "5 projets", "0 projet"),  # French: 0 and 1 are singular
    "eu": ("proiektu 1", "5 proiektu", "0 proiektu"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_for_1_and_5(app: Any, lang: str) -> None:
    from flask_babel import ngettext

    with app.test_request_context(f"/?lang={lang}"):
        got = tuple(ngettext("%(num)s project", "%(num)s projects", n) for n in (1, 5, 0))
    assert got == PLURALS[lang]


@pytest.mark.parametrize("lang, one, five", [
    ("en", "shares 1 partner with you", "shares 5 partners with you"),
    ("es", "comparte un socio con usted", "comparte 5 socios con usted"),
    ("fr", "partage 1 partenaire avec vous", "partage 5 partenaires avec vous"),
    ("eu", "bazkide bat partekatzen du zurekin", "5 bazkide partekatzen ditu zurekin"),
])
def test_suggestion_reasons_use_plural_forms(app: Any, lang: str, one: str, five: str) -> None:
    from web.suggestions import render_reasons

    with app.test_request_context(f"/?lang={lang}"):
        assert render_reasons([{"code": "shared_partners", "count": 1}]) == [one]
        assert render_reasons([{"code": "shared_partners", "count": 5}]) == [five]


def test_numbers_and_dates_follow_the_locale(app: Any) -> None:
    from datetime import date

    with app.test_request_context("/?lang=fr"):
        env = app.jinja_env
        assert env.filters["number"](12345) == "12\u202f345"
        assert env.filters["date"](date(2024, 3, 5)) == "5 mars 2024"
    with app.test_request_context("/?lang=es"):
        assert app.jinja_env.filters["number"](12345) == "12.345"
        assert app.jinja_env.filters["territory"]("ES22") == "Navarra"
    with app.test_request_context("/?lang=eu"):
        assert app.jinja_env.filters["territory"]("FRI") == "Akitania Berria"
