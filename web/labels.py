"""Words the data uses as codes (kinds, roles, scopes ...) in the reader's language, and
the template filters that format dates, numbers and money for the chosen locale (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.numbers import format_compact_currency, format_percent
from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l

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


def _date(value: Any, fmt: str = "medium") -> str:
    value = plain(value)
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, fmt)
    if isinstance(value, date):
        return format_date(value, fmt)
    return str(value)


def _money(value: Any) -> str:
    from web.core import current_lang

    if value is None:
        return ""
    return format_compact_currency(float(value), "EUR", locale=current_lang(), fraction_digits=1)


def _percent(value: Any) -> str:
    from web.core import current_lang

    if value is None:
        return ""
    return format_percent(float(value), locale=current_lang())


def _decimal(value: Any, digits: int = 2) -> str:
    if value is None:
        return ""
    return format_decimal(round(float(value), digits))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        kind_label=lambda c: label(KIND_LABELS, c),
        role_label=lambda c: label(ROLE_LABELS, c),
        capacity_kind_label=lambda c: label(CAPACITY_KIND_LABELS, c),
        scope_label=lambda c: label(SCOPE_LABELS, c),
        date=_date,
        money=_money,
        percent=_percent,
        decimal=_decimal,
    )
