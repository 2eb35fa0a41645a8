"""Build the bundled, trimmed extract in ``data/`` from the shared open data.

Run ``python -m loaders.extract --shared ../shared/data --out data`` (``make data``).
The output is deterministic: the same input gives byte-identical files, so a rebuild
shows up in git only when the data changed.

What is kept (see ``data/SOURCES.md``):

* CORDIS Horizon Europe: every project with a participant in ES21, ES22 or FRI, with all
  its participants, euroSciVoc and policy-priority rows, in the official CORDIS CSV
  format (``;``, every field quoted), objective trimmed, gzip-compressed.
* CORDIS H2020 early snapshot: the projects of organisations of those regions (joined by
  PIC), with all their participants, in the snapshot's own TSV format.
* NUTS 2021: level 0 of every country, levels 1-3 of ES and FR, simplified geometry for
  levels 2-3 of the three territories; Interreg 2014-2020 totals of their 16 NUTS-3.
* Basque VET centres and higher arts schools; Nouvelle-Aquitaine higher education and
  public research units; ESCO digital, green and transversal skill collections.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from graphsvc.regions import EUROREGION, TERRITORIES, TERRITORY_NAMES

#: Objective texts are cut to this many characters (at a word boundary).
OBJECTIVE_CHARS = 300
#: Coordinates of the simplified geometry are rounded to this many decimals (~100 m).
GEOMETRY_DECIMALS = 3
#: Basque centre types kept as vocational training centres.
VET_TYPES = ("CIFP", "IMFPB", "CPES", "CPFPB")
#: Basque centre types kept as higher arts schools (design, music).
HIGHER_ARTS_TYPES = ("EASD", "CASM")
#: Nouvelle-Aquitaine départements (postcode prefix) and their NUTS-3 region.
FR_DEPARTEMENT_NUTS3 = {
    "24": "FRI11", "33": "FRI12", "40": "FRI13", "47": "FRI14", "64": "FRI15",
    "19": "FRI21", "23": "FRI22", "87": "FRI23",
    "16": "FRI31", "17": "FRI32", "79": "FRI33", "86": "FRI34",
}
ESCO_COLLECTIONS = {
    "digital": "digitalSkillsCollection_en.csv",
    "green": "greenSkillsCollection_en.csv",
    "transversal": "transversalSkillsCollection_en.csv",
}


def in_territory(nuts: str) -> bool:
    """True when a NUTS code lies in ES21, ES22 or FRI.

    >>> in_territory("ES213"), in_territory("FRI15"), in_territory("ES300")
    (True, True, False)
    """
    return nuts.strip().upper().startswith(TERRITORIES)


def trim_text(text: str, limit: int = OBJECTIVE_CHARS) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, adding an ellipsis.

    >>> trim_text("one two three four", 9)
    'one two…'
    >>> trim_text("short", 9)
    'short'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


# -- small IO helpers ------------------------------------------------------------------
def _read(path: Path, delimiter: str) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=delimiter)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _csv_text(header: Sequence[str], rows: Iterable[dict[str, Any]], delimiter: str, quote_all: bool) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
                   lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if r.get(c) is None else r.get(c) for c in header])
    return buf.getvalue()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if path.suffix == ".gz":
        # mtime=0 and no file name: the same rows give the same bytes.
        with path.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(data)
    else:
        path.write_bytes(data)


# -- CORDIS Horizon Europe ---------------------------------------------------------------
def extract_cordis(src: Path, out: Path) -> dict[str, int]:
    """Projects with a participant in our territories, all their participants."""
    org_header, orgs = _read(src / "organization.csv", ";")
    keep = {r["projectID"] for r in orgs if in_territory(r["nutsCode"])}
    proj_header, projects = _read(src / "project.csv", ";")
    kept_projects = []
    for r in projects:
        if r["id"] in keep:
            r = dict(r)
            r["objective"] = trim_text(r.get("objective", ""))
            kept_projects.append(r)
    kept_projects.sort(key=lambda r: int(r["id"]))
    kept_orgs = sorted((r for r in orgs if r["projectID"] in keep),
                       key=lambda r: (int(r["projectID"]), int(r["order"] or 0), r["organisationID"]))
    _write(out / "project.csv.gz", _csv_text(proj_header, kept_projects, ";", True))
    _write(out / "organization.csv.gz", _csv_text(org_header, kept_orgs, ";", True))
    counts = {"projects": len(kept_projects), "participations": len(kept_orgs)}
    for name in ("euroSciVoc.csv", "policyPriorities.csv"):
        header, rows = _read(src / name, ";")
        kept = [r for r in rows if r["projectID"] in keep]
        _write(out / f"{name}.gz", _csv_text(header, kept, ";", True))
        counts[name] = len(kept)
    return counts


def territory_pics(cordis_src: Path) -> set[str]:
    """PICs that CORDIS Horizon Europe places in ES21, ES22 or FRI."""
    _, orgs = _read(cordis_src / "organization.csv", ";")
    return {r["organisationID"] for r in orgs if in_territory(r["nutsCode"]) and r["organisationID"]}


# -- H2020 early snapshot ------------------------------------------------------------------
def extract_h2020(src: Path, out: Path, pics: set[str]) -> dict[str, int]:
    """Projects of the snapshot where one of ``pics`` takes part, all their participants."""
    e_header, edges = _read(src / "edges.tsv", "\t")
    rcns = {e["projectRcn"] for e in edges if e["new_org_id"] in pics}
    kept_edges = sorted((e for e in edges if e["projectRcn"] in rcns),
                        key=lambda e: (int(e["projectRcn"]), e["new_org_id"]))
    org_ids = {e["new_org_id"] for e in kept_edges}
    p_header, projects = _read(src / "projects.tsv", "\t")
    kept_projects = sorted((p for p in projects if p["rcn"] in rcns), key=lambda p: int(p["rcn"]))
    o_header, orgs = _read(src / "unique_org.tsv", "\t")
    kept_orgs = sorted((o for o in orgs if o["new_org_id"] in org_ids), key=lambda o: o["new_org_id"])
    _write(out / "projects.tsv.gz", _csv_text(p_header, kept_projects, "\t", False))
    _write(out / "edges.tsv.gz", _csv_text(e_header, kept_edges, "\t", False))
    _write(out / "unique_org.tsv.gz", _csv_text(o_header, kept_orgs, "\t", False))
    return {"projects": len(kept_projects), "edges": len(kept_edges), "organisations": len(kept_orgs)}


# -- NUTS regions ---------------------------------------------------------------------------
def _round_coords(coords: Any, decimals: int) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], decimals), round(coords[1], decimals)]
    return [_round_coords(c, decimals) for c in coords]


def _dedupe_ring(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for pt in ring:
        if not out or pt != out[-1]:
            out.append(pt)
    if len(out) >= 2 and out[0] != out[-1]:
        out.append(out[0])
    return out


def simplify_geometry(geometry: dict[str, Any], decimals: int = GEOMETRY_DECIMALS) -> dict[str, Any]:
    """Round coordinates and drop repeated points (rings of fewer than 4 points go).

    >>> simplify_geometry({"type": "Polygon", "coordinates": [[[0.00001, 0], [1, 0], [1.00001, 0],
    ...     [1, 1], [0, 0]]]})
    {'type': 'Polygon', 'coordinates': [[[0.0, 0], [1, 0], [1, 1], [0, 0]]]}
    """
    rounded = _round_coords(geometry["coordinates"], decimals)
    if geometry["type"] == "Polygon":
        rings = [r for r in (_dedupe_ring(r) for r in rounded) if len(r) >= 4]
        return {"type": "Polygon", "coordinates": rings}
    if geometry["type"] == "MultiPolygon":
        polys = []
        for poly in rounded:
            rings = [r for r in (_dedupe_ring(r) for r in poly) if len(r) >= 4]
            if rings:
                polys.append(rings)
        return {"type": "MultiPolygon", "coordinates": polys}
    return {"type": geometry["type"], "coordinates": rounded}


REGION_HEADER = ["code", "level", "country", "parent", "name", "name_native",
                 "name_en", "name_es", "name_fr", "name_eu", "geometry"]

# NUTS writes Greece and the United Kingdom as EL and UK; CLDR (babel) as GR and GB.
_CLDR_CODE = {"EL": "GR", "UK": "GB"}


def _country_names(code: str) -> dict[str, str]:
    from babel import Locale

    cldr = _CLDR_CODE.get(code, code)
    out = {}
    for lang in ("en", "es", "fr", "eu"):
        name = Locale.parse(lang).territories.get(cldr)
        if name:
            out[f"name_{lang}"] = name
    return out


def _countries_outside_nuts(cordis_orgs: Iterable[dict[str, str]], nuts0: set[str]) -> set[str]:
    return {r["country"] for r in cordis_orgs if r["country"] and r["country"] not in nuts0}


def extract_regions(src: Path, interreg_src: Path, cordis_src: Path, out: Path) -> dict[str, int]:
    """NUTS level 0 (every country), 1-3 for ES and FR, the Euroregion, Interreg totals."""
    rows: list[dict[str, Any]] = []
    nuts0: set[str] = set()
    for level in range(4):
        doc = json.loads((src / f"NUTS_RG_20M_2021_4326_LEVL_{level}.geojson").read_text(encoding="utf-8"))
        for feat in doc["features"]:
            p = feat["properties"]
            code, country = p["NUTS_ID"], p["CNTR_CODE"]
            if level > 0 and country not in ("ES", "FR"):
                continue
            row: dict[str, Any] = {
                "code": code, "level": level, "country": country,
                "parent": code[:-1] if level > 0 else "",
                "name": p["NAME_LATN"], "name_native": p["NUTS_NAME"],
            }
            if level == 0:
                nuts0.add(code)
                row.update(_country_names(code))
            if code in TERRITORY_NAMES:
                row.update({f"name_{k}": v for k, v in TERRITORY_NAMES[code].items()})
            if level >= 2 and in_territory(code):
                row["geometry"] = json.dumps(simplify_geometry(feat["geometry"]), separators=(",", ":"))
            rows.append(row)
    # Partners from countries outside NUTS (US, CN, ...) get a level-0 region of their own,
    # named from CLDR, so that every organisation is located somewhere.
    _, orgs = _read(cordis_src / "organization.csv", ";")
    for code in sorted(_countries_outside_nuts(orgs, nuts0)):
        names = _country_names(code)
        rows.append({"code": code, "level": 0, "country": code, "parent": "",
                     "name": names.get("name_en", code), "name_native": "", **names})
    rows.append({"code": EUROREGION, "level": -1, "country": "", "parent": "",
                 "name": TERRITORY_NAMES[EUROREGION]["en"],
                 **{f"name_{k}": v for k, v in TERRITORY_NAMES[EUROREGION].items()}})
    rows.sort(key=lambda r: (int(r["level"]), r["code"]))
    _write(out / "nuts_2021.csv", _csv_text(REGION_HEADER, rows, ",", False))

    header, interreg = _read(interreg_src / "interreg_2014_2020_by_nuts3.csv", ",")
    kept = sorted((r for r in interreg if in_territory(r["NUTS_ID"])), key=lambda r: r["NUTS_ID"])
    _write(out / "interreg_2014_2020_by_nuts3.csv", _csv_text(header, kept, ",", False))
    return {"regions": len(rows), "interreg": len(kept)}


# -- education and research ------------------------------------------------------------------
EUS_COLUMNS = ["CCEN", "NOM", "DGENRC", "DGENRE", "DMUNIC", "DTERRC", "DTITUC", "DOMI", "CPOS",
               "PAGINA", "lat", "lon"]
FR_HE_COLUMNS = ["etablissement_id_paysage", "uo_lib", "nom_court", "sigle", "type_d_etablissement",
                 "secteur_d_etablissement", "url", "coordonnees", "uai", "siren", "identifiant_ror",
                 "identifiant_pic", "identifiant_wikidata", "com_nom", "code_postal_uai", "dep_id",
                 "dep_nom", "reg_nom"]
FR_RNSR_COLUMNS = ["numero_national_de_structure", "libelle", "sigle", "annee_de_creation",
                   "type_de_structure", "site_web", "adresse", "code_postal", "commune",
                   "sigles_des_tutelles", "domaine_scientifique", "panel_erc"]


def extract_education(eus_src: Path, fr_src: Path, out: Path) -> dict[str, int]:
    """Basque VET centres and higher arts schools; Nouvelle-Aquitaine HE and research units."""
    _, centres = _read(eus_src / "centros_educativos_euskadi.csv", ",")
    kept = sorted((r for r in centres if r["DGENRC"].strip() in VET_TYPES + HIGHER_ARTS_TYPES),
                  key=lambda r: int(r["CCEN"]))
    _write(out / "euskadi_vet_centres.csv", _csv_text(EUS_COLUMNS, kept, ",", False))
    _, he = _read(fr_src / "fr-esr-principaux-etablissements-enseignement-superieur.csv", ";")
    he_kept = sorted((r for r in he if r["reg_nom"] == "Nouvelle-Aquitaine"), key=lambda r: r["uo_lib"])
    _write(out / "fr_higher_education_nouvelle_aquitaine.csv", _csv_text(FR_HE_COLUMNS, he_kept, ";", False))
    _, units = _read(fr_src / "fr-esr-structures-recherche-publiques-actives.csv", ";")
    units_kept = sorted((r for r in units if r["code_postal"][:2] in FR_DEPARTEMENT_NUTS3),
                        key=lambda r: r["numero_national_de_structure"])
    _write(out / "fr_research_units_nouvelle_aquitaine.csv",
           _csv_text(FR_RNSR_COLUMNS, units_kept, ";", False))
    return {"vet_centres": len(kept), "fr_higher_education": len(he_kept), "fr_research_units": len(units_kept)}


ESCO_COLUMNS = ["conceptUri", "preferredLabel", "skillType", "reuseLevel"]


def extract_esco(src: Path, out: Path) -> dict[str, int]:
    """The digital, green and transversal collections: URI, label, type only."""
    counts = {}
    for tag, name in ESCO_COLLECTIONS.items():
        _, rows = _read(src / name, ",")
        rows.sort(key=lambda r: r["conceptUri"])
        _write(out / name, _csv_text(ESCO_COLUMNS, rows, ",", False))
        counts[tag] = len(rows)
    return counts


def extract_all(shared: Path, out: Path) -> dict[str, dict[str, int]]:
    """Build every part of the extract; return the counts of each."""
    cordis_src = shared / "cordis_horizon_europe"
    report = {
        "cordis_he": extract_cordis(cordis_src, out / "cordis_he"),
        "h2020": extract_h2020(shared / "cordis_h2020_early_snapshot_2016", out / "h2020", territory_pics(cordis_src)),
        "regions": extract_regions(shared / "nuts", shared / "interreg_keep_nuts3", cordis_src, out / "regions"),
        "education": extract_education(shared / "euskadi_education_centres",
                                       shared / "france_higher_education_research", out / "education"),
        "esco": extract_esco(shared / "esco", out / "esco"),
    }
    return report


def _sizes(out: Path) -> Iterator[tuple[str, int]]:
    for p in sorted(out.rglob("*")):
        if p.is_file():
            yield str(p.relative_to(out)), p.stat().st_size


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m loaders.extract --shared ../shared/data --out data``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"), help="the shared open data folder")
    ap.add_argument("--out", type=Path, default=Path("data"), help="where to write the extract")
    args = ap.parse_args(argv)
    if not (args.shared / "cordis_horizon_europe").is_dir():
        print(f"error: {args.shared} does not hold cordis_horizon_europe/", file=sys.stderr)
        return 1
    report = extract_all(args.shared, args.out)
    for part, counts in report.items():
        print(f"{part}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    total = sum(size for _, size in _sizes(args.out))
    print(f"data/ now holds {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
