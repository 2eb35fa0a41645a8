"""The residency planner's data: hosts, applicants, options, plans.

Everything here is plain, immutable data; the solvers in :mod:`graphsvc.residency.solve`
are pure functions of it. Topics compare by :func:`norm`; languages are ISO 639 codes
(:func:`parse_language` turns names in Lotura's four languages into codes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from graphsvc.regions import TERRITORIES, TERRITORY_NAMES, territory_of
from graphsvc.text import norm

__all__ = [
    "Applicant",
    "Assignment",
    "Host",
    "Options",
    "Pair",
    "Plan",
    "Reason",
    "Unmatched",
    "Weights",
    "norm",
    "parse_language",
    "parse_territory",
]

Mode = Literal["optimal", "stable"]
Proximity = Callable[[str, str], float] | Mapping[tuple[str, str], float]
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


# Codes whose names the planner recognises in en, eu, es and fr (CLDR names via Babel)
# besides any two- or three-letter code; the residencies of the Euroregion mostly
# work in these.
KNOWN_LANGUAGES = ("eu", "es", "fr", "en", "oc", "ca", "gl", "pt", "it", "de", "ar", "nl", "pl", "ro")
_ENDONYMS = {"euskera": "eu", "euskara": "eu", "basque": "eu", "castellano": "es", "espanol": "es",
             "francais": "fr", "english": "en", "occitan": "oc", "gascon": "oc"}


@cache
def _language_aliases() -> dict[str, str]:
    from babel import Locale

    aliases: dict[str, str] = dict(_ENDONYMS)
    for loc in ("en", "eu", "es", "fr"):
        names = Locale.parse(loc).languages
        for code in KNOWN_LANGUAGES:
            if code in names:
                aliases.setdefault(norm(names[code]), code)
    for code in KNOWN_LANGUAGES:
        aliases[code] = code
    return aliases


def parse_language(value: str) -> str | None:
    """The ISO 639 code of a language given by code or by name, or None.

    >>> parse_language("EU"), parse_language("Euskara"), parse_language("francés")
    ('eu', 'eu', 'fr')
    >>> parse_language("gaztelania"), parse_language("xx"), parse_language("Klingon")
    ('es', 'xx', None)
    """
    key = norm(value)
    known = _language_aliases().get(key)
    if known:
        return known
    if re.fullmatch(r"[a-z]{2,3}", key):
        return key
    return None


@cache
def _territory_aliases() -> dict[str, str]:
    aliases = {norm(code): code for code in TERRITORIES}
    for code in TERRITORIES:
        for name in TERRITORY_NAMES[code].values():
            aliases[norm(name)] = code
    aliases.update({norm("Euskadi"): "ES21", norm("Comunidad Foral de Navarra"): "ES22",
                    norm("Basque Country"): "ES21", norm("Aquitaine"): "FRI"})
    return aliases


def parse_territory(value: str) -> str | None:
    """A territory code from a code, a NUTS code or a usual name; None if unknown.

    Codes outside the Euroregion (a NUTS code or an ISO country code) are kept as
    they are, upper-cased: an applicant from Madrid is ``ES30``.

    >>> parse_territory("Nafarroa"), parse_territory("es213"), parse_territory("Pays basque")
    ('ES22', 'ES21', 'ES21')
    >>> parse_territory("ES30"), parse_territory("DE"), parse_territory("Atlantis"), parse_territory("Mars")
    ('ES30', 'DE', None, None)
    """
    key = norm(value)
    if key in _territory_aliases():
        return _territory_aliases()[key]
    code = value.strip().upper()
    if len(code) == 2 and code in _countries():
        return code
    if re.fullmatch(r"[A-Z]{2}[A-Z0-9]{1,3}", code) and code[:2] in NUTS_COUNTRIES:
        return territory_of(code) or code
    return None


# Country codes as NUTS writes them (EU, EFTA, candidates; Greece is EL).
NUTS_COUNTRIES = frozenset(
    "AT BE BG CH CY CZ DE DK EE EL ES FI FR HR HU IE IS IT LI LT LU LV ME MK MT NL NO PL PT RO RS SE SI SK TR UK AL".split()
)


@cache
def _countries() -> frozenset[str]:
    from babel import Locale

    return frozenset(k for k in Locale.parse("en").territories if len(k) == 2) | NUTS_COUNTRIES


@dataclass(frozen=True)
class Host:
    """An organisation offering residency places.

    ``places`` are per period: a host offering periods 1 and 2 with 2 places takes up
    to 2 residents in each. ``ranking`` lists applicant ids, best first (stable mode).
    """

    id: str
    name: str
    territory: str
    places: int
    periods: tuple[str, ...]
    languages: tuple[str, ...]
    topics: tuple[str, ...] = ()
    organisation: str | None = None
    ranking: tuple[str, ...] = ()


@dataclass(frozen=True)
class Applicant:
    """A person asking for a residency. ``preferences`` lists host ids, best first."""

    id: str
    name: str
    territory: str
    languages: tuple[str, ...]
    periods: tuple[str, ...]
    topics: tuple[str, ...] = ()
    organisation: str | None = None
    preferences: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pair:
    """A pair an organiser locked or forbade; ``period`` None means any period."""

    applicant: str
    host: str
    period: str | None = None

    def __str__(self) -> str:
        return f"{self.applicant}:{self.host}" + (f":{self.period}" if self.period else "")

    @classmethod
    def parse(cls, text: str) -> Pair:
        """``A:H`` or ``A:H:PERIOD``.

        >>> Pair.parse("a7:bdx:2")
        Pair(applicant='a7', host='bdx', period='2')
        """
        parts = [p.strip() for p in text.split(":")]
        if len(parts) not in (2, 3) or not all(parts):
            raise ValueError(f"expected APPLICANT:HOST or APPLICANT:HOST:PERIOD, got {text!r}")
        return cls(parts[0], parts[1], parts[2] if len(parts) == 3 else None)


@dataclass(frozen=True)
class Weights:
    """How much each part of the fit counts (each part lies in [0, 1])."""

    topics: float = 1.0
    proximity: float = 0.5
    preference: float = 0.5


@dataclass(frozen=True)
class Options:
    """How to plan.

    ``cross_border``: the host must be in another territory than the applicant.
    ``require_topic``: an applicant who lists topics goes only to hosts sharing one.
    ``proximity``: graph proximity in [0, 1] between two organisation ids (a callable
    or a dict keyed by ``(applicant organisation, host organisation)``).
    """

    mode: Mode = "optimal"
    cross_border: bool = True
    require_topic: bool = True
    locks: tuple[Pair, ...] = ()
    forbids: tuple[Pair, ...] = ()
    weights: Weights = field(default_factory=Weights)
    proximity: Proximity | None = None


@dataclass(frozen=True)
class Reason:
    """One structured reason: a ``code`` and its parameters (rendered by
    :func:`graphsvc.residency.explain.render_reason` in the user's language)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Assignment:
    """Applicant ``applicant`` goes to host ``host`` in ``period``; ``score`` is the fit."""

    applicant: str
    host: str
    period: str
    score: float
    locked: bool = False
    why: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Unmatched:
    applicant: str
    reason: Reason


@dataclass(frozen=True)
class Plan:
    """The result of planning: assignments, unmatched applicants and the total fit."""

    mode: Mode
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    total: float
    cross_border: bool = True

    def by_applicant(self) -> dict[str, Assignment]:
        return {a.applicant: a for a in self.assignments}
