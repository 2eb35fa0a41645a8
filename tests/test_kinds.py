"""Kinds guessed from organisation names: the rules on hand-made names (no database)."""

from __future__ import annotations

import doctest

import pytest

import loaders.kinds
import loaders.save_kinds
from graphsvc.projection import KINDS
from loaders.kinds import INFERRED_KINDS, RULES, infer_kind, match_rule, name_text


@pytest.mark.parametrize(("name", "country", "kind"), [
    # universities, in the languages of the Euroregion and beyond
    ("EUSKAL HERRIKO UNIBERTSITATEA", "ES", "university"),
    ("MONDRAGON UNIBERTSITATEA S.COOP.", "ES", "university"),
    ("Universidad de Deusto", "ES", "university"),
    ("UNIVERSITAT POLITECNICA DE CATALUNYA", "ES", "university"),
    ("Université de Pau et des Pays de l'Adour", "FR", "university"),
    ("UNIVERSITY OF CAMBRIDGE", "UK", "university"),
    ("Technische Universität München", "DE", "university"),
    ("UNIVERSITAET STUTTGART", "DE", "university"),
    ("ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA", "IT", "university"),
    ("UNIWERSYTET WARSZAWSKI", "PL", "university"),
    ("AALTO-KORKEAKOULUSÄÄTIÖ SR", "FI", None),  # a foundation: no guess
    ("HOCHSCHULE FUR TECHNIK UND WIRTSCHAFT BERLIN", "DE", "university"),
    ("POLITECNICO DI MILANO", "IT", "university"),
    ("ECOLE NATIONALE SUPERIEURE D'ARTS ET METIERS", "FR", "university"),
    ("CHALMERS TEKNISKA HÖGSKOLA AB", "SE", "university"),  # the school wins over its legal form
    # companies: legal forms, dotted or not
    ("LOMARTOV SL", "ES", "company"),
    ("IDOM CONSULTING, ENGINEERING, ARCHITECTURE S.A.U.", "ES", "company"),
    ("Applied Materials France S.A.R.L.", "FR", "company"),
    ("THALES SAS", "FR", "company"),
    ("SIEMENS AKTIENGESELLSCHAFT", "DE", None),  # the long form is not a rule
    ("ROBERT BOSCH GMBH", "DE", "company"),
    ("LEONARDO - SOCIETA PER AZIONI S.p.A.", "IT", "company"),
    ("PHILIPS ELECTRONICS NEDERLAND B.V.", "NL", "company"),
    ("ARUP LTD", "UK", "company"),
    ("NOKIA OYJ", "FI", "company"),
    ("VESTAS WIND SYSTEMS A/S", "DK", "company"),
    ("ASSECO POLAND SP. Z O.O.", "PL", "company"),
    ("HOSTING D.O.O.", "SI", "company"),
    # public bodies
    ("AYUNTAMIENTO DE DONOSTIA-SAN SEBASTIAN", "ES", "public"),
    ("BILBOKO UDALA", "ES", "public"),
    ("GIPUZKOAKO FORU ALDUNDIA", "ES", "public"),
    ("DIPUTACION FORAL DE BIZKAIA", "ES", "public"),
    ("Gobierno de Navarra", "ES", "public"),
    ("Mairie de Bayonne", "FR", "public"),
    ("REGION NOUVELLE-AQUITAINE", "FR", "public"),
    ("COMMUNAUTE D'AGGLOMERATION PAYS BASQUE", "FR", "public"),
    ("COMUNE DI MILANO", "IT", "public"),
    ("MINISTERIO DE CIENCIA E INNOVACION", "ES", "public"),
    ("BUNDESMINISTERIUM FUER BILDUNG UND FORSCHUNG", "DE", "public"),
    # research: only the big national bodies
    ("FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG E.V.", "DE", "research"),
    ("CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE CNRS", "FR", "research"),
    ("AGENCIA ESTATAL CONSEJO SUPERIOR DE INVESTIGACIONES CIENTIFICAS", "ES", "research"),
    # no guess: ambiguous or silent names
    ("MUSIKENE", "ES", None),
    ("TKNIKA", "ES", None),
    ("HOSPITAL UNIVERSITARIO DONOSTIA", "ES", None),  # hospital: public, research or university
    ("CENTRE HOSPITALIER UNIVERSITAIRE DE BORDEAUX", "FR", None),
    ("FUNDACION TECNALIA RESEARCH & INNOVATION", "ES", None),  # foundation
    ("IKERLAN S. COOP", "ES", None),  # a cooperative legal form is not a rule
    ("SINTEF AS", "NO", "company"),  # measured: most AS are companies, SINTEF is the price
    ("NORCE NORWEGIAN RESEARCH CENTRE AS", "NO", None),  # research words stop the legal form
    ("ASOCIACION CLUSTER DE INDUSTRIAS DE MEDIO AMBIENTE DE EUSKADI ACLIMA", "ES", None),
    ("CLUSTER AUDIOVISUAL DE NAVARRA", "ES", None),
    ("ECOLOGIC INSTITUT GEMEINNUTZIGE GMBH", "DE", None),  # not-for-profit
    ("THE SOIL ASSOCIATION LIMITED", "UK", None),
    ("", "ES", None),
])
def test_infer_kind(name: str, country: str, kind: str | None) -> None:
    assert infer_kind(name, country) == kind


def test_no_name_gives_no_kind() -> None:
    assert infer_kind(None) is None
    assert infer_kind("   ") is None


def test_legal_forms_are_whole_words() -> None:
    # "sa", "ag", "as" inside words are not legal forms
    assert infer_kind("SAGASTA ASTILLEROS", "ES") is None
    assert infer_kind("MASAGRO", "MX") is None
    assert infer_kind("ACME S.A.", "ES") == "company"
    assert infer_kind("ACME S. A.", "ES") is None  # spaced letters are not read as one form


def test_region_only_at_the_start() -> None:
    assert infer_kind("REGIONE LOMBARDIA", "IT") == "public"
    assert infer_kind("Región de Murcia", "ES") == "public"
    assert infer_kind("AGENCIA DE DESARROLLO DE LA REGION DE MURCIA", "ES") is None


def test_italian_aps_is_an_association_but_danish_aps_a_company() -> None:
    assert infer_kind("FEDERCONSUMATORI MILANO APS", "IT") is None
    assert infer_kind("NORDIC GREEN APS", "DK") == "company"
    assert infer_kind("NORDIC GREEN APS") == "company"  # a country-bound rule needs the country


def test_name_text_folds_letters_decomposition_keeps() -> None:
    assert name_text("Københavns Universitet") == "kobenhavns universitet"
    assert name_text("Politechnika Łódzka") == "politechnika lodzka"
    assert name_text("S.L.U.") == "slu"


def test_match_rule_names_the_deciding_rule() -> None:
    rule = match_rule("HOSPITAL UNIVERSITARIO CRUCES")
    assert rule is not None and rule.kind is None and rule.name == "hospital or health body"
    assert match_rule("ZZZ") is None


def test_inferred_kinds_are_kinds_of_the_model() -> None:
    assert set(INFERRED_KINDS) <= set(KINDS)
    assert set(INFERRED_KINDS) == {"research", "university", "public", "company"}
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("module", [loaders.kinds, loaders.save_kinds])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
