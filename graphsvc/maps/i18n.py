"""Translation for the maps without a web framework.

``graphsvc`` does not know Flask-Babel: every function that shows words takes a
:class:`Translator` (anything with ``gettext`` and ``ngettext``, such as
:class:`gettext.NullTranslations`, :class:`babel.support.Translations` or
``flask_babel.get_translations()``). Strings are marked where they are written with
``_``/``ngettext`` aliases of that translator, so ``pybabel extract`` finds them, and
table entries with :func:`N_`.
"""

from __future__ import annotations

import gettext as _gettext
from pathlib import Path
from typing import Protocol

__all__ = ["Translator", "N_", "NULL", "load_translations"]


class Translator(Protocol):
    """The two calls the maps use; formatting is done by the caller with ``%``."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now.

    >>> N_("Territory")
    'Territory'
    """
    return message


NULL: Translator = _gettext.NullTranslations()


def load_translations(folder: Path | None, lang: str) -> Translator:
    """The compiled ``messages`` catalogue of ``lang`` under ``folder``, else English.

    >>> load_translations(None, "eu").gettext("Legend")
    'Legend'
    """
    if folder is None or lang == "en":
        return NULL
    try:
        from babel.support import Translations

        tr = Translations.load(str(folder), [lang], domain="messages")
    except (OSError, ValueError):
        return NULL
    return tr
