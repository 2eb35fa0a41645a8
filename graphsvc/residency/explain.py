"""Reasons in words: the structured :class:`~graphsvc.residency.model.Reason` s of a plan
rendered in the user's language.

The render functions are pure. They take ``gettext`` and ``ngettext`` callables with
Flask-Babel's calling convention (``gettext(msgid, **variables)``,
``ngettext(singular, plural, num, **variables)``, both applying ``%`` with the variables)
and call them with literal message ids, so that ``pybabel extract`` finds the messages
in this file. :func:`plain_gettext` and :func:`plain_ngettext` are the English
stand-ins for the command line and for tests; :func:`translations` turns a Babel
catalogue into the pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from babel import Locale
from babel.lists import format_list

from graphsvc.regions import territory_name
from graphsvc.residency.model import Assignment, Reason

__all__ = [
    "plain_gettext",
    "plain_ngettext",
    "render_reason",
    "render_why",
    "language_names",
    "translations",
]

Gettext = Callable[..., str]
Ngettext = Callable[..., str]


def plain_gettext(msgid: str, **variables: Any) -> str:
    """``gettext`` without a catalogue (English), with Flask-Babel's ``%`` convention.

    >>> plain_gettext("in %(period)s", period="2")
    'in 2'
    """
    return msgid % variables if variables else msgid


def plain_ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """``ngettext`` without a catalogue (English rules: 1 is singular).

    >>> plain_ngettext("%(num)d host", "%(num)d hosts", 3)
    '3 hosts'
    """
    variables.setdefault("num", num)
    return (singular if num == 1 else plural) % variables


def translations(directory: str | Path, locale: str) -> tuple[Gettext, Ngettext]:
    """``(gettext, ngettext)`` over the compiled catalogue of ``locale`` in ``directory``
    (Babel's ``<dir>/<locale>/LC_MESSAGES/messages.mo``); English if there is none."""
    from babel.support import NullTranslations, Translations

    t = Translations.load(str(directory), [locale])

    def gettext(msgid: str, **variables: Any) -> str:
        s = t.gettext(msgid)
        return s % variables if variables else s

    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return t.ngettext(singular, plural, num) % variables

    if type(t) is NullTranslations:
        return plain_gettext, plain_ngettext
    return gettext, ngettext


def _locale(code: str) -> Locale:
    try:
        return Locale.parse(code)
    except (ValueError, TypeError):
        return Locale.parse("en")


def language_names(codes: Iterable[str], locale: str = "en") -> list[str]:
    """Language names in ``locale`` (the code when CLDR has no name).

    >>> language_names(["eu", "es", "zz"], "fr")
    ['basque', 'espagnol', 'zz']
    """
    names = _locale(locale).languages
    return [names.get(c, c) for c in codes]


def _or(items: Sequence[str], locale: str) -> str:
    return format_list(list(items), style="or", locale=_locale(locale)) if items else ""


def _and(items: Sequence[str], locale: str) -> str:
    return format_list(list(items), locale=_locale(locale)) if items else ""


def render_reason(reason: Reason, gettext: Gettext = plain_gettext, ngettext: Ngettext = plain_ngettext,
                  locale: str = "en") -> str:
    """One reason as a sentence in ``locale``.

    Examples
    --------
    >>> r = Reason("no_period", {"languages": ["eu", "es"], "periods": ["2"]})
    >>> render_reason(r)
    'no place with Basque or Spanish in period 2'
    >>> render_reason(Reason("full", {"periods": ["2", "3"], "hosts": 4, "cross_border": True}))
    'all 4 hosts in other territories that fit are full in periods 2 or 3'
    >>> render_reason(Reason("cross_border", {"home": "ES21", "host": "FRI"}))
    'crosses the border: Basque Country → Nouvelle-Aquitaine'
    """
    p = reason.params
    code = reason.code
    if code == "locked":
        return gettext("locked by an organiser")
    if code == "preference":
        return gettext("choice %(rank)s of %(count)s in the applicant's preferences", rank=p["rank"], count=p["count"])
    if code == "topics":
        return ngettext("shares the topic %(topics)s", "shares %(num)d topics: %(topics)s", len(p["topics"]),
                        topics=_and(p["topics"], locale))
    if code == "languages":
        return gettext("works in %(languages)s", languages=_and(language_names(p["languages"], locale), locale))
    if code == "period":
        return gettext("available in period %(period)s", period=p["period"])
    if code == "cross_border":
        return gettext("crosses the border: %(home)s → %(host)s",
                       home=territory_name(p["home"], locale), host=territory_name(p["host"], locale))
    if code == "proximity":
        return gettext("already close in the graph (proximity %(value)s)", value=f"{p['value']:.2f}")
    if code == "stable":
        return gettext("stable: no host this applicant prefers would take them instead")
    if code == "no_hosts":
        return gettext("there are no hosts")
    if code == "no_topic":
        return ngettext("no host covers the topic %(topics)s", "no host covers any of the topics %(topics)s",
                        len(p["topics"]), topics=_or(p["topics"], locale))
    if code == "same_territory":
        return gettext("every host that covers these topics is in %(territory)s, and residencies cross the border",
                       territory=territory_name(p["territory"], locale))
    if code == "no_language":
        langs = _or(language_names(p["languages"], locale), locale)
        if p.get("cross_border", True):
            return gettext("no host in another territory works in %(languages)s", languages=langs)
        return gettext("no host works in %(languages)s", languages=langs)
    if code == "no_period":
        return ngettext("no place with %(languages)s in period %(periods)s",
                        "no place with %(languages)s in periods %(periods)s", len(p["periods"]),
                        languages=_or(language_names(p["languages"], locale), locale),
                        periods=_or(p["periods"], locale))
    if code == "forbidden":
        return gettext("an organiser forbade every host that fits")
    if code == "full":
        periods = _or(p["periods"], locale)
        if p.get("cross_border", True):
            if p["hosts"] == 1:
                return ngettext("the only host in another territory that fits is full in period %(periods)s",
                                "the only host in another territory that fits is full in periods %(periods)s",
                                len(p["periods"]), periods=periods)
            return ngettext("all %(hosts)s hosts in other territories that fit are full in period %(periods)s",
                            "all %(hosts)s hosts in other territories that fit are full in periods %(periods)s",
                            len(p["periods"]), hosts=p["hosts"], periods=periods)
        if p["hosts"] == 1:
            return ngettext("the only host that fits is full in period %(periods)s",
                            "the only host that fits is full in periods %(periods)s",
                            len(p["periods"]), periods=periods)
        return ngettext("all %(hosts)s hosts that fit are full in period %(periods)s",
                        "all %(hosts)s hosts that fit are full in periods %(periods)s",
                        len(p["periods"]), hosts=p["hosts"], periods=periods)
    return code


def render_why(assignment: Assignment, gettext: Gettext = plain_gettext, ngettext: Ngettext = plain_ngettext,
               locale: str = "en") -> list[str]:
    """Every reason of an assignment, rendered.

    >>> a = Assignment("a1", "bdx", "1", 1.0, why=(Reason("topics", {"topics": ["audiovisual", "green"]}),
    ...                                             Reason("languages", {"languages": ["en"]})))
    >>> render_why(a, locale="es")
    ['shares 2 topics: audiovisual y green', 'works in inglés']
    """
    return [render_reason(r, gettext, ngettext, locale) for r in assignment.why]
