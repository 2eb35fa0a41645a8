"""Text folding shared by look-ups: compare names without case or accents.

Users type "Universite de Bordeaux", "université de bordeaux" or "UNIVERSITÉ DE
BORDEAUX"; sources write it any of those ways. Every look-up by name compares
:func:`fold` of both sides.
"""

from __future__ import annotations

import unicodedata

__all__ = ["strip_accents", "fold"]


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
