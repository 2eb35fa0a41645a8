"""Education and research organisations from open directories.

* Basque education centres (Open Data Euskadi directory, columns ``CCEN, NOM, DGENRC,
  DMUNIC, DTERRC, ...``): the VET centres (CIFP, IMFPB, CPES, CPFPB) as kind ``vet`` and
  the higher arts schools (EASD design, CASM music) as kind ``university``.
* French higher education establishments (MESR, ``;``): joined to CORDIS by PIC.
* French public research units (RNSR, ``;``): kind ``research``.

Records without a PIC go through entity resolution (name and city) when saved.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graphsvc.regions import territory_of
from graphsvc.text import words
from loaders.csvio import Check, Parsed, Table
from loaders.normalise import name_key

__all__ = ["parse_vet_centres", "parse_fr_higher_education", "parse_fr_research_units",
           "BASQUE_TERRITORY_NUTS3", "FR_DEPARTEMENT_NUTS3", "CENTRE_KINDS"]

#: Basque historical territories (folded name) and their NUTS-3 region.
BASQUE_TERRITORY_NUTS3 = {"araba alava": "ES211", "alava": "ES211", "araba": "ES211",
                          "gipuzkoa": "ES212", "guipuzcoa": "ES212", "bizkaia": "ES213", "vizcaya": "ES213"}
FR_DEPARTEMENT_NUTS3 = {
    "24": "FRI11", "33": "FRI12", "40": "FRI13", "47": "FRI14", "64": "FRI15",
    "19": "FRI21", "23": "FRI22", "87": "FRI23",
    "16": "FRI31", "17": "FRI32", "79": "FRI33", "86": "FRI34",
}
#: Basque centre types kept, and the kind each becomes.
CENTRE_KINDS = {"CIFP": "vet", "IMFPB": "vet", "CPES": "vet", "CPFPB": "vet",
                "EASD": "university", "CASM": "university"}
_PIC = re.compile(r"^\d{9}$")


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != ""}


def _org_row(oid: str, line: int, *, set_: dict[str, Any], fill: dict[str, Any],
             region: str | None) -> dict[str, Any]:
    fill = _clean(fill)
    return {"id": oid, "source_row": line, "set": _clean(set_), "fill": fill, "region": region,
            "match": {"name_key": fill.get("name_key"), "city": fill.get("city"), "country": fill.get("country")}}


def parse_vet_centres(path: Path) -> Parsed:
    """Basque VET centres and higher arts schools."""
    parsed = Parsed(source="euskadi-centres")
    table = Table(path, delimiter=",", required=["CCEN", "NOM", "DGENRC", "DMUNIC", "DTERRC", "lat", "lon"])
    seen: dict[str, int] = {}
    rows = []
    for rec in table:
        c = Check(table, rec)
        ccen = c.integer("CCEN", required=True)
        if ccen is not None and str(ccen) in seen:
            c.add("CCEN", f"duplicate id {ccen} (first on line {seen[str(ccen)]})")
        name = c.text("NOM", required=True)
        kind = c.choice("DGENRC", CENTRE_KINDS, what="kind (centre type)", required=True)
        territory = c.text("DTERRC", required=True)
        nuts3 = BASQUE_TERRITORY_NUTS3.get(words(territory or ""))
        if territory and nuts3 is None:
            c.add("DTERRC", f"unknown territory {territory!r} (Araba/Álava, Bizkaia or Gipuzkoa)")
        lat = c.number("lat")
        lon = c.number("lon")
        if not c.ok or ccen is None or name is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        seen[str(ccen)] = rec.line
        postcode = rec.get("CPOS")
        if postcode.isdigit():
            postcode = postcode.zfill(5)
        rows.append(_org_row(
            f"eus:{ccen}", rec.line,
            set_={"kind": kind, "eus_ccen": str(ccen), "centre_type": rec.get("DGENRC")},
            fill={"name": name, "name_key": name_key(name), "city": rec.get("DMUNIC"), "postcode": postcode,
                  "country": "ES", "nuts3": nuts3, "territory": territory_of(nuts3), "lat": lat, "lon": lon,
                  "url": rec.get("PAGINA")},
            region=nuts3))
    parsed.add_table(table)
    parsed.origin["organisations"] = table.name
    parsed.tables["organisations"] = rows
    return parsed


def parse_fr_higher_education(path: Path) -> Parsed:
    """French higher education establishments (MESR list), PIC when given."""
    parsed = Parsed(source="fr-esr")
    table = Table(path, delimiter=";", required=["uo_lib", "uai", "identifiant_pic", "com_nom", "dep_id",
                                                 "coordonnees"])
    seen: dict[str, int] = {}
    rows = []
    for rec in table:
        c = Check(table, rec)
        name = c.text("uo_lib", required=True)
        uai = c.text("uai", required=True)
        pic = c.text("identifiant_pic")
        if pic and not _PIC.match(pic):
            c.add("identifiant_pic", f"bad PIC {pic!r} (nine digits)")
        lat, lon = c.latlon("coordonnees")
        oid = f"pic:{pic}" if pic else f"fr-uai:{uai}"
        if oid in seen:
            c.add("identifiant_pic" if pic else "uai", f"duplicate id {oid!r} (first on line {seen[oid]})")
        if not c.ok or name is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        seen[oid] = rec.line
        dep = rec.get("dep_id").lstrip("D").lstrip("0").zfill(2)
        nuts3 = FR_DEPARTEMENT_NUTS3.get(dep)
        rows.append(_org_row(
            oid, rec.line,
            set_={"pic": pic, "uai": uai, "ror": rec.get("identifiant_ror"),
                  "wikidata": rec.get("identifiant_wikidata"), "siren": rec.get("siren")},
            fill={"name": name, "short_name": rec.get("sigle") or rec.get("nom_court"), "name_key": name_key(name),
                  "kind": "university", "city": rec.get("com_nom"), "postcode": rec.get("code_postal_uai"),
                  "country": "FR", "nuts3": nuts3, "territory": territory_of(nuts3), "lat": lat, "lon": lon,
                  "url": rec.get("url")},
            region=nuts3 or "FR"))
    parsed.add_table(table)
    parsed.origin["organisations"] = table.name
    parsed.tables["organisations"] = rows
    return parsed


def parse_fr_research_units(path: Path) -> Parsed:
    """French public research units (RNSR)."""
    parsed = Parsed(source="rnsr")
    table = Table(path, delimiter=";", required=["numero_national_de_structure", "libelle", "code_postal",
                                                 "commune"])
    seen: dict[str, int] = {}
    rows = []
    for rec in table:
        c = Check(table, rec)
        rid = c.text("numero_national_de_structure", required=True)
        name = c.text("libelle", required=True)
        postcode = c.text("code_postal")
        if postcode and not (postcode.isdigit() and len(postcode) == 5):
            c.add("code_postal", f"bad postcode {postcode!r}")
        if rid in seen:
            c.add("numero_national_de_structure", f"duplicate id {rid!r} (first on line {seen[rid]})")
        if not c.ok or rid is None or name is None:
            parsed.reject_record(table, rec, c.problems)
            continue
        seen[rid] = rec.line
        nuts3 = FR_DEPARTEMENT_NUTS3.get((postcode or "")[:2])
        rows.append(_org_row(
            f"rnsr:{rid}", rec.line,
            set_={"rnsr_type": rec.get("type_de_structure"), "domain": rec.get("domaine_scientifique")},
            fill={"name": name.strip(), "short_name": rec.get("sigle"), "name_key": name_key(name),
                  "kind": "research", "city": rec.get("commune"), "postcode": postcode, "country": "FR",
                  "nuts3": nuts3, "territory": territory_of(nuts3), "url": rec.get("site_web")},
            region=nuts3 or "FR"))
    parsed.add_table(table)
    parsed.origin["organisations"] = table.name
    parsed.tables["organisations"] = rows
    return parsed
