"""Text folding shared by look-ups: compare names without case or accents.

Users type "Universite de Bordeaux", "université de bordeaux" or "UNIVERSITÉ DE
BORDEAUX"; sources write it any of those ways. Every look-up by name compares
:func:`fold` of both sides.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["strip_accents", "fold", "norm", "words", "name_key", "LEGAL_FORMS"]


def strip_accents(text: str) -> str:
    """``text`` without combining marks (accents, cedillas, tildes), case kept.

    >>> strip_accents("Université, Nafarroa, Iruñea")
    'Universite, Nafarroa, Irunea'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case (Unicode case folding) without accents; punctuation and spaces kept.

    >>> fold("País Vasco / UNIVERSITÉ")
    'pais vasco / universite'
    >>> fold("Straße") == fold("STRASSE")
    True
    """
    return strip_accents(text).casefold()


def norm(text: str) -> str:
    """:func:`fold` with runs of spaces made one and the ends trimmed: a label or name as
    typed, ready to compare.

    >>> norm("  Producción   AUDIOVISUAL ")
    'produccion audiovisual'
    >>> norm("Éco-conception") == norm("eco-conception")
    True
    """
    return " ".join(fold(text).split())


# The organisations' matching key (entity resolution stores it as name_key; the residency
# planner looks names up by it): one definition for the loaders and the services.
LEGAL_FORMS = frozenset(
    """
    sa sl slu sau sll scoop coop s coop sociedad cooperativa ltda ltd limited gmbh ag bv nv
    sas sarl sasu sca eurl asbl vzw srl spa spa oy ab as aps plc llc inc co kg ohg ev
    """.split()
)
_NON_WORD = re.compile(r"[^0-9a-z]+")


def words(text: str) -> str:
    """Lower case, accents removed, punctuation turned into single spaces.

    >>> words("  Université de Pau et des Pays de l'Adour ")
    'universite de pau et des pays de l adour'
    """
    return _NON_WORD.sub(" ", strip_accents(text).lower()).strip()


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
    parts = words(name.replace(".", "")).replace("s coop", "scoop").split()
    while parts and parts[-1] in LEGAL_FORMS:
        parts.pop()
    return " ".join(parts)
