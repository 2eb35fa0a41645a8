"""Words the data uses as codes (kinds, roles, scopes ...) in the reader's language, and
the template filters that format dates, numbers and money for the chosen locale (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_currency, format_decimal, format_percent
from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from graphsvc.regions import TERRITORIES, territory_name
from web.ui import plain

KIND_LABELS = {
    "university": _l("University"),
    "research": _l("Research centre"),
    "company": _l("Company"),
    "public": _l("Public body"),
    "vet": _l("VET centre"),
    "cluster": _l("Cluster or association"),
    "other": _l("Other"),
}

ROLE_LABELS = {
    "coordinator": _l("Coordinator"),
    "participant": _l("Participant"),
    "associatedPartner": _l("Associated partner"),
    "thirdParty": _l("Third party"),
}

CAPACITY_KIND_LABELS = {
    "training": _l("Training"),
    "research": _l("Research"),
    "transfer": _l("Transfer"),
}

SCOPE_LABELS = {
    "euroregion": _l("Another territory of the Euroregion"),
    "abroad": _l("Another country"),
    "any": _l("Anywhere"),
}

TERRITORY_FILTER_LABELS = {
    "euroregion": _l("The whole Euroregion"),
    "outside": _l("Outside the Euroregion"),
    "all": _l("Everywhere"),
}

SORT_LABELS = {
    "relevance": _l("Relevance"),
    "name": _l("Name"),
    "projects": _l("Number of projects"),
    "capacities": _l("Number of capacities"),
    "territory": _l("Territory"),
}


def label(table: dict[str, Any], code: str | None) -> str:
    if code is None or code == "":
        return ""
    found = table.get(code)
    return str(found) if found is not None else str(code)


def territory_filter_label(code: str, lang: str) -> str:
    if code in TERRITORIES:
        return territory_name(code, lang)
    return label(TERRITORY_FILTER_LABELS, code)


# -- fast, per-locale formatting ----------------------------------------------------------
# Pages show hundreds of numbers, dates and coded words; Flask-Babel's helpers look the
# locale and the translations up on every call. These memoise per language instead.
def _lang() -> str:
    """The request's language, looked up once per request."""
    lang = g.get("_lotura_lang")
    if lang is None:
        from web.core import current_lang

        lang = g._lotura_lang = current_lang()
    return lang


@lru_cache(maxsize=16)
def _group_symbol(lang: str) -> str:
    return str(Locale.parse(lang).number_symbols.get("latn", {}).get("group", ","))


def _number(value: Any) -> str:
    """Integers with the locale's grouping (1,234 / 1.234 / 1 234); other numbers via Babel.

    >>> from babel.numbers import format_decimal as fd
    >>> all(_group(n, _group_symbol(lang)) == fd(n, locale=lang) for n in (0, 7, 1234, -98765432)
    ...     for lang in ("en", "es", "fr", "eu"))
    True
    """
    if value is None or value == "":
        return ""
    lang = _lang()
    if isinstance(value, int) and not isinstance(value, bool):
        return _group(value, _group_symbol(lang))
    return format_decimal(value, locale=lang)


def _group(n: int, symbol: str) -> str:
    text = f"{n:,}"
    return text.replace(",", symbol) if symbol != "," else text


@lru_cache(maxsize=8192)
def _format_date(lang: str, value: date, fmt: str) -> str:
    if isinstance(value, datetime):
        return format_datetime(value, fmt, locale=lang)
    return format_date(value, fmt, locale=lang)


def _date(value: Any, fmt: str = "medium") -> str:
    """A date, or a date and time, in the reader's language: a Python ``date`` or
    ``datetime``, or a ``neo4j.time`` one as the driver returns it; anything else is
    shown as it is."""
    value = plain(value)
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return _format_date(_lang(), value, fmt)
    return str(value)


_LABEL_MEMO: dict[tuple[str, int, str], str] = {}


def _memo_label(table: dict[str, Any], code: str | None) -> str:
    """:func:`label` memoised per language (the tables are fixed at import)."""
    if code is None or code == "":
        return ""
    key = (_lang(), id(table), code)
    found = _LABEL_MEMO.get(key)
    if found is None:
        found = _LABEL_MEMO[key] = label(table, code)
    return found


def _money(value: Any) -> str:
    if value is None:
        return ""
    return format_compact_currency(float(value), "EUR", locale=_lang(), fraction_digits=1)


def _percent(value: Any) -> str:
    if value is None:
        return ""
    return format_percent(float(value), locale=_lang())


def decimal_text(value: Any, digits: int = 2, fixed: bool = False) -> str:
    """``value`` rounded to ``digits`` decimals in the reader's locale; ``fixed`` always
    writes them all (``1.000``, never ``1``, beside ``1.167``)."""
    if value is None or value == "":
        return ""
    if fixed:
        return format_decimal(float(value), format="#,##0." + "0" * digits, locale=_lang())
    return format_decimal(round(float(value), digits), locale=_lang())


def _territory(code: str | None) -> str:
    return territory_name(code, _lang())


def org_url(org_id: str) -> str:
    """``url_for('organisation.show', org_id=...)`` without the routing machinery (pages
    link hundreds of organisations)."""
    return request.script_root + "/org/" + quote(org_id, safe=_PATH_SAFE)


_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def link_org(o: Any) -> Markup:
    """``<a class="org" href="/org/ID">NAME</a>``, escaped (a Python helper: pages show
    hundreds, and Jinja macros are slow)."""
    return Markup('<a class="org" href="{}">{}</a>').format(org_url(o["id"]), o.get("name") or o["id"])


def link_project(p: Any) -> Markup:
    return Markup('<a href="{}">{}</a>').format(
        request.script_root + "/project/" + quote(p["id"], safe=_PATH_SAFE), p.get("acronym") or p["id"])


def link_topic(t: Any) -> Markup:
    return Markup('<a class="tag topic" href="{}">{}</a>').format(
        request.script_root + "/topic/" + quote(t["id"], safe=_PATH_SAFE), t.get("name") or t["id"])


def tag_territory(code: str | None, country: str | None = None) -> Markup:
    """A territory's tag in the reader's language, or the country code outside the Euroregion."""
    if code:
        return Markup('<span class="tag t-{}" title="{}">{}</span>').format(code, code, _territory(code))
    if country:
        return Markup('<span class="tag t-other" title="{}">{}</span>').format(_outside(), country)
    return Markup("")


def _outside() -> str:
    return _memo_label(TERRITORY_FILTER_LABELS, "outside")


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        kind_label=lambda c: _memo_label(KIND_LABELS, c),
        role_label=lambda c: _memo_label(ROLE_LABELS, c),
        capacity_kind_label=lambda c: _memo_label(CAPACITY_KIND_LABELS, c),
        scope_label=lambda c: _memo_label(SCOPE_LABELS, c),
        date=_date,
        money=_money,
        percent=_percent,
        decimal=decimal_text,
        number=_number,
        territory=_territory,
    )
    app.jinja_env.globals.update(org_url=org_url, link_org=link_org, tag_territory=tag_territory,
                                 link_project=link_project, link_topic=link_topic)
