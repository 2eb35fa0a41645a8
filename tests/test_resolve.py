"""Abbreviation-aware entity resolution without a database: the comparison of names
(``name_tokens``, ``same_abbreviated``) and the merge decisions of
``resolve_organisations`` over the records of one load."""

from __future__ import annotations

from typing import Any

import pytest

from loaders.normalise import name_key, name_tokens
from loaders.resolve import abbreviation_merges, resolve_organisations, same_abbreviated


def _row(oid: str, name: str, city: str | None, country: str, *, pic: str | None = None) -> dict[str, Any]:
    return {"id": oid, "set": {"pic": pic} if pic else {}, "fill": {"name": name},
            "match": {"name_key": name_key(name), "city": city, "country": country}}


@pytest.mark.parametrize(("a", "b"), [
    ("MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP", "MONDRAGON GOI ESKOLA POLITEKNIKOA J.M.A. S.COOP."),
    ("C. ESTUD. DE PELU. Y EST. BETA", "CENTRO ESTUDIOS DE PELUQUERIA Y ESTETICA BETA"),
    ("Forschungsinstitut fur Pathologie Ges. mbH", "FORSCHUNGSINSTITUT FUR PATHOLOGIE GESELLSCHAFT MBH"),
    ("ODIN SOLUTIONS S.L.", "ODIN SOLUTIONS SOCIEDAD LIMITADA"),  # legal forms, spelled out or not
    ("CHR. HANSEN A/S", "CHR. HANSEN AS"),
    ("GORENJE GOSPODINJSKI APARATI D.D.", "GORENJE GOSPODINJSKI APARATI"),
])
def test_abbreviated_spellings_of_one_name_match(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)  # the exact rule misses them
    assert same_abbreviated(name_tokens(a), name_tokens(b))
    assert same_abbreviated(name_tokens(b), name_tokens(a))


@pytest.mark.parametrize(("a", "b"), [
    ("ESK POLITEKNIKOA ARRASATE", "ESKOLA POLITEKNIKOA ARRASATE"),  # no dot: a word of its own
    ("UNIV. NAVARRA", "UNIVERSIDAD DE NAVARRA"),  # a word more
    ("EL.EN. S.p.A.", "ELECTRIC ENERGY S.p.A."),  # no whole word in common
    ("Univ.", "University"),  # one word: too little to tell
    ("MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP",
     "MONDRAGON GOI ESKOLA POLITEKNIKOA JOSE MARIA ARIZMENDIARRIETA S COOP"),  # initials are not expanded
    ("ESC. SUPERIOR DE MUSICA", "CONSERVATORIO SUPERIOR DE MUSICA"),  # not the word it begins
])
def test_different_names_do_not_match(a: str, b: str) -> None:
    assert not same_abbreviated(name_tokens(a), name_tokens(b))


def test_name_tokens_marks_abbreviations_joins_initials_and_drops_legal_forms() -> None:
    assert name_tokens("TXORIERRI S. COOP. LTDA.") == ("txorierri",)
    assert name_tokens("NTRA. SRA. DE LA ANTIGUA") == ("ntra.", "sra.", "de", "la", "antigua")
    assert name_tokens("J.M. BARANDIARAN LIZEOA") == ("jm", "barandiaran", "lizeoa")
    assert name_tokens("Lyon 1.") == ("lyon", "1")
    assert name_tokens("") == ()


def test_name_key_is_unchanged() -> None:
    # other code stores and compares name_key: the abbreviation work must not move it
    assert name_key("MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP") == "mondragon goi eskpolitek jma"
    assert name_key("CHR. HANSEN A/S") == "chr hansen a"


def test_one_load_merges_an_abbreviated_record_into_the_pic_record_it_names() -> None:
    rows = [
        _row("pic:999855146", "MONDRAGON GOI ESKOLA POLITEKNIKOA J.M.A. S.COOP.", "Arrasate", "ES", pic="999855146"),
        _row("eus:12456", "MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP", "ARRASATE", "ES"),
        _row("eus:99", "MONDRAGON GOI ESK.POLITEK.,J.M.A.,S.COOP", "BILBAO", "ES"),  # another town
    ]
    assert resolve_organisations(None, rows) == 1
    assert (rows[1]["id"], rows[1]["alias"]) == ("pic:999855146", "eus:12456")
    assert rows[2]["id"] == "eus:99" and "alias" not in rows[2]


def test_an_ambiguous_abbreviation_does_not_merge() -> None:
    rows = [
        _row("pic:1", "ESCUELA SUPERIOR DE MUSICA", None, "ES", pic="1"),
        _row("pic:2", "ESCOLANIA SUPERIOR DE MUSICA", None, "ES", pic="2"),
        _row("ksi:esc", "ESC. SUPERIOR DE MUSICA", "Bilbao", "ES"),
    ]
    assert resolve_organisations(None, rows) == 0
    assert rows[2]["id"] == "ksi:esc"


def test_records_of_one_source_are_never_merged_together() -> None:
    one = [_row("eus:1", "ESK. POLITEKNIKOA ARRASATE", "Arrasate", "ES"),
           _row("eus:2", "ESKOLA POLITEKNIKOA ARRASATE", "Arrasate", "ES")]
    assert resolve_organisations(None, one) == 0
    assert [r["id"] for r in one] == ["eus:1", "eus:2"]
    # two records of one load that both abbreviate one organisation: neither joins it
    node = {"id": "h2020:a", "name": "ESKOLA POLITEKNIKOA ARRASATE", "city": None, "country": "ES", "aliases": []}
    rows = [{"id": "eus:1", "name": "ESK. POLITEKNIKOA ARRASATE", "city": "Arrasate", "country": "ES"},
            {"id": "eus:2", "name": "ESKOLA POLITEK. ARRASATE", "city": "Arrasate", "country": "ES"}]
    assert abbreviation_merges(rows, [node]) == {}
    assert abbreviation_merges(rows[:1], [node]) == {"eus:1": "h2020:a"}
    # an organisation that holds a record of the same source already
    assert abbreviation_merges(rows[:1], [node | {"aliases": ["eus:7"]}]) == {}
    assert abbreviation_merges(rows[:1], [node | {"id": "eus:7"}]) == {}
    # an organisation another record of this load joined by its exact name
    assert abbreviation_merges(rows[:1], [node], taken={"h2020:a"}) == {}


def test_the_exact_rule_comes_first_and_stays_as_it_was() -> None:
    rows = [
        _row("pic:1", "ESKOLA POLITEKNIKOA ARRASATE", None, "ES", pic="1"),
        _row("pic:2", "ESKOLA POLITEKNIKOA ARRASATE S.L.", None, "ES", pic="2"),
        _row("ksi:x", "Eskola Politeknikoa Arrasate", "Arrasate", "ES"),
    ]
    # same name_key as two organisations: the exact rule takes the first, as it always did
    assert resolve_organisations(None, rows) == 1
    assert rows[2]["id"] == "pic:1"
