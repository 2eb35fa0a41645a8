"""Normalised keys for matching: names, cities, keywords, slugs."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "name_key", "city_key", "keyword_key", "slugify"]

# Legal forms and filler words dropped from organisation names before matching.
LEGAL_FORMS = frozenset(
    """
    sa sl slu sau sll scoop coop s coop sociedad cooperativa ltda ltd limited gmbh ag bv nv
    sas sarl sasu sca eurl asbl vzw srl spa spa oy ab as aps plc llc inc co kg ohg ev
    """.split()
)
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation turned into single spaces.

    >>> fold("  Université de Pau et des Pays de l'Adour ")
    'universite de pau et des pays de l adour'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_WORD.sub(" ", plain).strip()


def name_key(name: str) -> str:
    """The key two spellings of one organisation's name share.

    >>> name_key("MONDRAGON GOI ESKOLA POLITEKNIKOA J.M.A. S.COOP.")
    'mondragon goi eskola politeknikoa jma'
    >>> name_key("École supérieure des technologies industrielles avancées")
    'ecole superieure des technologies industrielles avancees'
    >>> name_key("ECOLE SUPERIEURE DES TECHNOLOGIES INDUSTRIELLES AVANCEES")
    'ecole superieure des technologies industrielles avancees'
    """
    # Dots join abbreviations (S.A., J.M.A.) before punctuation becomes spaces.
    words = fold(name.replace(".", "")).replace("s coop", "scoop").split()
    while words and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def city_key(city: str | None) -> str:
    """The key of a city: folded, without postal suffixes (CEDEX) and digits.

    >>> city_key("PAU CEDEX"), city_key("Donostia / San Sebastián")
    ('pau', 'donostia san sebastian')
    """
    if not city:
        return ""
    words = [w for w in fold(city).split() if w != "cedex" and not w.isdigit()]
    return " ".join(words)


def keyword_key(keyword: str) -> str:
    """The id part of a keyword topic (``kw:<key>``).

    >>> keyword_key(" Negative Emission Technologies (NET) ")
    'negative-emission-technologies-net'
    """
    return "-".join(fold(keyword).split())


def slugify(text: str, limit: int = 60) -> str:
    """A short ASCII slug.

    >>> slugify("Audiovisual production & post-production")
    'audiovisual-production-post-production'
    """
    return "-".join(fold(text).split())[:limit].strip("-")
