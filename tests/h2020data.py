"""A tiny early-H2020 snapshot folder (the three tab-separated files the loader reads),
written for the loader tests: one project whose participants are the organisations given."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def write_h2020(folder: Path, orgs: Sequence[tuple[str, str, str]], *, acronym: str, coordinator: str) -> Path:
    """``folder`` with ``projects.tsv``, ``unique_org.tsv`` and ``edges.tsv``; ``orgs`` are
    (new_org_id, name, country), every one a participant of project 650001."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "projects.tsv").write_text(
        "rcn\treference\tacronym\tstatus\tprogramme\ttopics\tstartDate\tendDate\ttotalCost\tecMaxContribution\t"
        "call\tfundingScheme\tcoordinator\tcoordinatorCountry\tnumOrg\ttotalContrib\n"
        f"700\t650001\t{acronym}\tSIGNED\tH2020-EU.3.6.\tCULT\t2015-01-01\t2017-12-31\t1000,00\t1000,00\t"
        f"H2020-CULT\tRIA\t{coordinator}\tES\t {len(orgs)}\t1000,00\n", encoding="utf-8")
    (folder / "unique_org.tsv").write_text(
        "new_org_id\tname\tshortName\tname_normal\tcountry\tnumProj\tnproj_with_contrib\ttotContribution\n"
        + "".join(f"{oid}\t{name}\t\tx\t{country}\t 1\t 1\t1,00\n" for oid, name, country in orgs),
        encoding="utf-8")
    (folder / "edges.tsv").write_text(
        "projectRcn\tnew_org_id\n" + "".join(f"700\t{oid}\n" for oid, _, _ in orgs), encoding="utf-8")
    return folder
