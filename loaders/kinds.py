"""Organisation kinds guessed from names, for the organisations no source gives a kind.

The early H2020 snapshot has no activity type, so the organisations known only from it
have no ``kind``. Many names say what the organisation is: a legal form (``S.L.``,
``GmbH``, ``S.p.A.``) makes a company, a word for university (``Universidad``,
``Unibertsitatea``, ``Université``, ``Universität`` ...) a university, a town council
or a government (``Ayuntamiento``, ``Udala``, ``Mairie``, ``Comune di``, ``Ministerio``,
``Foru Aldundia``) a public body.

:func:`infer_kind` tries :data:`RULES` in order and returns the kind of the first rule
whose pattern occurs in the name, or None. Rules of kind None come before the rules they
would mislead: a university hospital, a university foundation, a research institute that
is a GmbH or an association gets no guess rather than a wrong one.

The rules were written and narrowed on one half of the organisations whose kind CORDIS
Horizon Europe gives, and are measured on the other half by ``python -m bench.kinds``
(figures in ``docs/loading.md``). Only ``university``, ``research``, ``company`` and
``public`` are guessed: associations and federations, which CORDIS files as ``other`` or
as research, reached a precision of 0.83 only, and no source gives enough ``vet`` or
``cluster`` organisations to measure a rule.

Patterns are matched on :func:`name_text`: the name folded to lower-case ASCII words
(accents removed, dots dropped so ``S.L.`` is ``sl``), one space between words.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from graphsvc.text import words

__all__ = ["Rule", "RULES", "INFERRED_KINDS", "name_text", "match_rule", "infer_kind"]

# Letters that Unicode decomposition does not turn into ASCII.
_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                          "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d"})


class Rule(NamedTuple):
    """One name pattern and the kind it gives (None: no guess for such names), for the
    organisations of ``countries`` only when that is set."""

    kind: str | None
    name: str
    pattern: re.Pattern[str]
    countries: frozenset[str] | None = None


def _rule(kind: str | None, name: str, *alternatives: str, countries: str | None = None) -> Rule:
    # Alternatives are regular expressions over folded words; each must match whole words.
    return Rule(kind, name, re.compile(r"(?:^| )(?:" + "|".join(alternatives) + r")(?= |$)"),
                frozenset(countries.split()) if countries else None)


def _start(kind: str | None, name: str, *alternatives: str) -> Rule:
    # Only at the start of the name: "Región de Murcia" is the region, "... de la Región de Murcia" is not.
    return Rule(kind, name, re.compile(r"^(?:" + "|".join(alternatives) + r")(?= |$)"))


#: The rules, in the order they are tried: the first that matches decides. A rule of kind
#: None stops the search: the name is ambiguous (a university hospital, a foundation of a
#: university, a not-for-profit company), so no kind is guessed.
RULES: tuple[Rule, ...] = (
    _rule(None, "hospital or health body",
          "hospital", "hospitals", "hopital", "hopitaux", "ospedale", "ospedaliera", "klinikum", "klinik",
          "kliniken", "clinic", "clinica", "clinique", "ziekenhuis", "sykehus", "sjukhus", "nhs"),
    _rule(None, "foundation",
          "foundation", "fundacion", "fundacio", "fundacao", "fondazione", "fondation", "stiftung", "stichting",
          "fundatia", "fundazioa", "idryma", "saatio", "fonden", "trust"),
    _rule(None, "not-for-profit company",
          "limited by guarantee", "lbg", "clg", "cic", "ggmbh", "gemeinnutzige", "gemmeinnutzige",
          "gemeinnuetzige", "non profit", "nonprofit", "not for profit", "npc", "onlus"),
    # In Italy APS, ETS and ODV are not-for-profit associations; elsewhere ApS is a Danish company.
    _rule(None, "Italian third-sector body", "aps", "ets", "odv", countries="IT"),
    _rule("research", "national research body",
          "fraunhofer", "helmholtz", "max planck", "centre national de la recherche scientifique",
          "consejo superior de investigaciones cientificas", "consiglio nazionale delle ricerche",
          "commissariat a l energie atomique", "institut national de recherche"),
    _rule("university", "university (word)",
          "university", "universidad", "universidade", "universitat", "universitaet", "universite", "universita",
          "universiteit", "universitet", "universiteti", "universitetas", "universitate", "universitatea",
          "universitesi", "universitas", "unibertsitatea", "uniwersytet", "univerzita", "univerzitet",
          "univerza", "univerzitetet", "yliopisto", "egyetem", "panepistimio", "sveuciliste"),
    _rule("university", "higher school",
          "hochschule", "fachhochschule", "hogeschool", "hogskola", "hogskolan", "hoegskola", "hoegskolan",
          "hogskole", "hogskolen", "ammattikorkeakoulu", "korkeakoulu",
          "politecnico", "politecnica", "ecole polytechnique", "ecole normale superieure",
          "ecole centrale", "ecole nationale superieure", "institut national des sciences appliquees",
          "instituto politecnico", "instituto superior tecnico"),
    _rule("public", "town council",
          "ayuntamiento", "ajuntament", "udala", "concello", "mairie", "ville de", "commune de", "comune di",
          "gemeente", "gemeinde", "stadt", "kommune", "municipality", "municipio", "dimos", "city council",
          "city of", "county council", "landkreis", "gmina", "obcina", "opstina", "concelho", "camara municipal",
          "mancomunidad", "communaute d agglomeration", "communaute de communes", "communaute urbaine"),
    _rule("public", "government",
          "ministerio", "ministere", "ministry", "ministero", "ministerie", "ministerium", "bundesministerium",
          "ministerstvo", "gobierno", "gouvernement", "government", "eusko jaurlaritza", "generalitat",
          "diputacion", "diputacio", "foru aldundia", "conseil regional", "conseil departemental",
          "xunta de", "junta de", "prefecture"),
    _start("public", "region (first word)",
           "region", "regione", "regiao", "provincia", "departement", "comunidad autonoma"),
    _rule(None, "research words",
          "research", r"\w*forschung\w*", r"\w*forskning\w*", r"tutkimus\w*", "institut", "institute", "instituto",
          "istituto", "instituut", "institutt", "institutet", "zentrum", "centre", "center", "centro", "centrum",
          r"laborator\w*", "investigacion", "investigacao", "recherche", "recherches", "ricerca", "ricerche",
          "onderzoek"),
    _rule(None, "association",
          "association", "asociacion", "associacio", "associazione", "associacao", "asociatia", "vereniging",
          "verein", "ev", "asbl", "vzw", "aisbl", "ivzw", "federation", "federacion", "kerdoskopiki", "ry",
          "cluster", "elkartea"),
    _rule("company", "legal form",
          "sl", "slu", "sll", "sa", "sau", "sas", "sasu", "sarl", "eurl", "gmbh", "ag", "kg", "ohg",
          "gbr", "ug", "se", "bv", "nv", "bvba", "sprl", "srl", "srls", "spa", "ltd", "limited", "plc", "llc",
          "corp", "lda", "ltda", "limitada", "unipessoal", "oy", "oyj", "ab", "as", "asa",
          "aps", "a s", "ehf", "kft", "zrt", "sro", "doo", "dd", "sp z oo", "spolka", "ae", "ike",
          "monoprosopi", "ou", "uab", "sia", "ad", "ood", "eood", "pty", "sociedad limitada",
          "sociedad anonima", "anonim sirketi", "sirketi"),
)

#: The kinds :func:`infer_kind` may return.
INFERRED_KINDS: tuple[str, ...] = tuple(dict.fromkeys(r.kind for r in RULES if r.kind))


def name_text(name: str) -> str:
    """The folded words of a name that :data:`RULES` are matched on.

    >>> name_text("Fachhochschule Oberösterreich Forschungs- & Entwicklungs GmbH")
    'fachhochschule oberosterreich forschungs entwicklungs gmbh'
    >>> name_text("S.A.S. Großmann & Søn A/S")
    'sas grossmann son a s'
    """
    return words(name.translate(_LETTERS).replace(".", ""))


def match_rule(name: str, country: str | None = None) -> Rule | None:
    """The first rule that matches ``name``, or None."""
    text = name_text(name)
    for rule in RULES:
        if rule.countries is not None and (country or "").upper() not in rule.countries:
            continue
        if rule.pattern.search(text):
            return rule
    return None


def infer_kind(name: str | None, country: str | None = None) -> str | None:
    """The kind an organisation's name gives, or None when it gives none.

    Parameters
    ----------
    name : str or None
        The organisation's name, in any of the languages the rules know.
    country : str, optional
        ISO code of its country (as NUTS writes it).

    Returns
    -------
    str or None
        One of :data:`INFERRED_KINDS`, or None.

    Examples
    --------
    >>> infer_kind("EUSKAL HERRIKO UNIBERTSITATEA / UNIVERSIDAD DEL PAIS VASCO")
    'university'
    >>> infer_kind("AYUNTAMIENTO DE DONOSTIA-SAN SEBASTIAN", "ES")
    'public'
    >>> infer_kind("LOMARTOV S.L.", "ES")
    'company'
    >>> infer_kind("MUSIKENE") is None
    True
    """
    if not name:
        return None
    rule = match_rule(name, country)
    return rule.kind if rule else None
