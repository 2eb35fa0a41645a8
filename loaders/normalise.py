"""Normalised keys for matching: names, cities, keywords, slugs."""

from __future__ import annotations

import re

from graphsvc.text import name_key, strip_accents, words

__all__ = ["name_key", "name_tokens", "city_key", "keyword_key", "slugify"]

# Legal forms dropped from the end of a name by :func:`name_tokens`, as token sequences
# (initials already joined: ``S.L.`` is ``sl``, ``Sp. z o.o.`` is ``sp z oo``). A superset of
# graphsvc.text.LEGAL_FORMS with the spelled-out and multi-word forms that name_key keeps.
TOKEN_LEGAL_FORMS = frozenset(
    tuple(form.split())
    for form in """
    sa|sl|slu|sau|sll|sal|scoop|coop|sociedad cooperativa|sociedad limitada|sociedad anonima|ltda|ltd|limited|
    gmbh|mbh|ag|aktiengesellschaft|bv|nv|sas|sarl|sasu|sca|eurl|asbl|vzw|srl|spa|oy|ab|as|a s|aps|plc|llc|inc|
    co|kg|kgaa|ohg|ev|e v|sp z oo|spzoo|kft|doo|dd|scrl|scarl|sprl|aie
    """.split("|")
    if form.strip()
)
_LONGEST_LEGAL_FORM = max(len(form) for form in TOKEN_LEGAL_FORMS)
_DOTTED_WORD = re.compile(r"[0-9a-z]+\.?")
_S_COOP = re.compile(r"\bs\s*\.?\s*coop\b")


def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name for abbreviation-aware matching (``loaders/resolve.py``).

    Lower case without accents; a word written with a final dot keeps it (``esk.``: an
    abbreviation); initials are joined (``J.M.A.`` is ``jma``, ``S.L`` is ``sl``); legal
    forms at the end are dropped (more of them than :func:`name_key` drops: ``A/S``,
    ``e.V.``, ``Sp. z o.o.``, ``Sociedad Limitada`` ...).

    >>> name_tokens("MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP")
    ('mondragon', 'goi', 'esk.', 'politek.', 'jma')
    >>> name_tokens("Univ. de Pau et des Pays de l'Adour")
    ('univ.', 'de', 'pau', 'et', 'des', 'pays', 'de', 'l', 'adour')
    >>> name_tokens("CHR. HANSEN A/S"), name_tokens("Biologicke centrum AV CR, v. v. i.")
    (('chr.', 'hansen'), ('biologicke', 'centrum', 'av', 'cr', 'vvi'))
    >>> name_tokens("GORNOSLASKA AGENCJA SP. Z O.O."), name_tokens("S.L.")
    (('gornoslaska', 'agencja'), ('sl',))
    """
    plain = _S_COOP.sub("scoop", strip_accents(name).lower())
    found = [(m.group().rstrip("."), m.group().endswith(".")) for m in _DOTTED_WORD.finditer(plain)]
    out: list[str] = []
    i = 0
    while i < len(found):
        # A run of single letters, each but the last followed by a dot, is a set of initials.
        j = i
        while j < len(found) and len(found[j][0]) == 1 and found[j][0].isalpha() and (j == i or found[j - 1][1]):
            j += 1
        if j - i >= 2 and found[i][1]:
            out.append("".join(w for w, _ in found[i:j]))
            i = j
            continue
        word, dotted = found[i]
        out.append(word + "." if dotted and word.isalpha() else word)
        i += 1
    bare = [w.rstrip(".") for w in out]
    stripped = True
    while stripped:
        stripped = False
        for n in range(min(_LONGEST_LEGAL_FORM, len(bare) - 1), 0, -1):
            if tuple(bare[-n:]) in TOKEN_LEGAL_FORMS:
                del out[-n:], bare[-n:]
                stripped = True
                break
    return tuple(out)


def city_key(city: str | None) -> str:
    """The key of a city: folded, without postal suffixes (CEDEX) and digits.

    >>> city_key("PAU CEDEX"), city_key("Donostia / San Sebastián")
    ('pau', 'donostia san sebastian')
    """
    if not city:
        return ""
    return " ".join(w for w in words(city).split() if w != "cedex" and not w.isdigit())


def keyword_key(keyword: str) -> str:
    """The id part of a keyword topic (``kw:<key>``).

    >>> keyword_key(" Negative Emission Technologies (NET) ")
    'negative-emission-technologies-net'
    """
    return "-".join(words(keyword).split())


def slugify(text: str, limit: int = 60) -> str:
    """A short ASCII slug.

    >>> slugify("Audiovisual production & post-production")
    'audiovisual-production-post-production'
    """
    return "-".join(words(text).split())[:limit].strip("-")
