"""The three territories of the Euroregion and their names in Lotura's four languages.

Names follow NUTS for the official form and common usage for the others.
"""

from __future__ import annotations

TERRITORIES = ("ES21", "ES22", "FRI")
EUROREGION = "NAEN"  # Euroregion Nouvelle-Aquitaine Euskadi Navarre (a grouping)

TERRITORY_NAMES: dict[str, dict[str, str]] = {
    "ES21": {"eu": "Euskadi", "es": "País Vasco", "fr": "Pays basque", "en": "Basque Country"},
    "ES22": {"eu": "Nafarroa", "es": "Navarra", "fr": "Navarre", "en": "Navarre"},
    "FRI": {"eu": "Akitania Berria", "es": "Nueva Aquitania", "fr": "Nouvelle-Aquitaine", "en": "Nouvelle-Aquitaine"},
    EUROREGION: {
        "eu": "Akitania Berria-Euskadi-Nafarroa Euroeskualdea",
        "es": "Eurorregión Nueva Aquitania-Euskadi-Navarra",
        "fr": "Eurorégion Nouvelle-Aquitaine Euskadi Navarre",
        "en": "Euroregion Nouvelle-Aquitaine Euskadi Navarre",
    },
}


def territory_of(nuts: str | None) -> str | None:
    """The Euroregion territory a NUTS code lies in, or None.

    >>> territory_of("ES213"), territory_of("FRI15"), territory_of("ES300")
    ('ES21', 'FRI', None)
    """
    if not nuts:
        return None
    code = nuts.strip().upper()
    for t in TERRITORIES:
        if code.startswith(t):
            return t
    return None


def territory_name(code: str | None, lang: str = "en") -> str:
    """The usual name of a territory in ``lang``; the code itself if unknown."""
    if not code:
        return ""
    names = TERRITORY_NAMES.get(code)
    if not names:
        return code
    return names.get(lang) or names["en"]
