"""The last residency problems that were English only: CSV syntax errors (a code, a short
reason and Python's detail, shown in the page's language) and mistyped ``--lock``
values of ``lotura residency plan`` (one clear English error, before any file is read)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import test_residency_web
from click.testing import CliRunner
from test_residency import _catalogue
from test_residency_web import APPLICANTS, HOSTS, login, revision_of, token_of, upload
from webdata import ensure_compiled
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from graphsvc.db import Graph
from graphsvc.errors import InvalidInput
from graphsvc.residency import read_inputs
from graphsvc.residency.csvio import parse_pair_option
from graphsvc.residency.graphio import get_draft
from graphsvc.residency.model import Pair
from graphsvc.residency.problems import CODES, csv_syntax, problem, render_problem, translated

GOOD_HOSTS = "id,name,territory,places,periods,languages\nbdx,Bordeaux,FRI,1,1,fr\n"
APPS = "id,name,territory,languages,periods\na1,Ane,ES21,fr,1\n"
CELL_TOO_LONG = {
    "en": "unreadable CSV: a cell is longer than {} characters (is a quotation mark left open?)",
    "es": "CSV ilegible: una celda tiene más de {} caracteres (¿ha quedado abierta una comilla?)",
    "fr": "CSV illisible : une cellule dépasse {} caractères (un guillemet est-il resté ouvert ?)",
    "eu": "CSV irakurezina: gelaxka batek {} karaktere baino gehiago ditu (komatxo bat itxi gabe al dago?)",
}


def limit() -> int:
    """The csv module's cell limit now (global to the process), read when a test runs."""
    return csv.field_size_limit()


def too_long(lang: str) -> str:
    return CELL_TOO_LONG[lang].format(limit())


def open_quote(before: str, row: str) -> str:
    """``before``, then ``row`` with a quotation mark left open: its cell runs on over the
    following lines until it is longer than the csv module's limit."""
    return before + row + ("more text of the spreadsheet\n" * (limit() // 29 + 1))


ROW = {"es": "fila", "fr": "ligne", "eu": "errenkada"}
LOCK_HELP = ("APPLICANT:HOST or APPLICANT:HOST:PERIOD, with the ids of the files, for example a01:bordeaux or "
             "a01:bordeaux:2026-1)")


def _python_csv_error(text: str) -> str:
    """The message Python's csv module itself gives for ``text`` (read strictly)."""
    with pytest.raises(csv.Error) as err:
        list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return str(err.value)


# -- CSV syntax errors: code, reason, detail ----------------------------------------------------------------


def test_a_cell_longer_than_the_limit_has_a_code_a_reason_and_python_s_detail() -> None:
    with pytest.raises(InvalidInput) as err:
        read_inputs(open_quote(GOOD_HOSTS, 'pau,"Pau,FRI,1,1,fr\n'), APPS)
    (p,) = err.value.problems
    assert (p.file, p.line, p.field, p.code) == ("HOSTS.csv", 3, "row", "unreadable_csv")
    assert p.params["reason"] == "cell_too_long" and p.params["limit"] == limit()
    assert p.params["detail"].startswith("field larger than field limit"), "Python's own words are kept"
    assert str(p) == f"HOSTS.csv:3: row: {too_long('en')}"
    assert "unreadable_csv" in CODES and render_problem(p) == p.message


def test_a_too_long_header_is_reported_on_line_1() -> None:
    with pytest.raises(InvalidInput) as err:
        read_inputs(GOOD_HOSTS, '"' + "x" * (limit() + 10) + "\n")
    (p,) = err.value.problems
    assert str(p) == f"APPLICANTS.csv:1: header: {too_long('en')}"
    gettext, ngettext = _catalogue("fr")
    assert str(translated(p, gettext, ngettext)) == f"APPLICANTS.csv:1: en-tête: {too_long('fr')}"


@pytest.mark.parametrize("lang", ["es", "fr", "eu"])
def test_csv_syntax_errors_render_in_the_catalogue_language(lang: str) -> None:
    gettext, ngettext = _catalogue(lang)
    with pytest.raises(InvalidInput) as err:
        read_inputs(open_quote(GOOD_HOSTS, 'pau,"Pau,FRI,1,1,fr\n'), APPS)
    (p,) = err.value.problems
    assert str(translated(p, gettext, ngettext)) == f"HOSTS.csv:3: {ROW[lang]}: {too_long(lang)}"
    assert p.message == too_long("en"), "the English message stays for the CLI and the logs"


def test_an_unforeseen_csv_error_keeps_python_s_detail_in_a_translated_sentence() -> None:
    detail = "some error a later Python may raise"
    params = csv_syntax(detail)
    assert params == {"reason": "other", "detail": detail}
    p = problem("HOSTS.csv", 2, "row", "unreadable_csv", **params)
    assert p.message == f"unreadable CSV: {detail}"
    gettext, ngettext = _catalogue("es")
    assert render_problem(p, gettext, ngettext) == f"CSV ilegible: {detail}"
    assert csv_syntax("field larger than field limit (1048576)")["reason"] == "cell_too_long"
    # Python's own words for the two errors strict reading meets get their own reasons.
    assert csv_syntax(_python_csv_error('id,name\n"a"b,c\n'))["reason"] == "text_after_quote"
    assert csv_syntax(_python_csv_error('id,name\na,"b\n'))["reason"] == "unclosed_quote"


UNCLOSED = {
    "en": "unreadable CSV: a quotation mark opened in this row is never closed",
    "es": "CSV ilegible: una comilla abierta en esta fila no se cierra nunca",
}


def test_a_quote_left_open_in_a_short_file_is_reported_on_its_row() -> None:
    """Read leniently, the open cell would silently swallow the rows after it."""
    apps = "id,name,territory,languages,periods\na1,Ane,ES21,fr,1\na2,\"Jon,ES21,fr,1\na3,Mikel,ES21,fr,1\n"
    with pytest.raises(InvalidInput) as err:
        read_inputs(GOOD_HOSTS, apps)
    (p,) = err.value.problems
    assert (p.file, p.line, p.field, p.params["reason"]) == ("APPLICANTS.csv", 3, "row", "unclosed_quote")
    assert p.message == UNCLOSED["en"]
    gettext, ngettext = _catalogue("es")
    assert render_problem(p, gettext, ngettext) == UNCLOSED["es"]
    with pytest.raises(InvalidInput) as err:
        read_inputs(GOOD_HOSTS, 'id,name,territory,languages,periods\na1,"An"e,ES21,fr,1\n')
    (p,) = err.value.problems
    assert (p.line, p.params["reason"]) == (2, "text_after_quote")
    assert "write a quotation mark as two" in p.message


def test_a_hosts_file_that_cannot_be_read_is_not_reported_again_in_every_preference() -> None:
    apps = "id,name,territory,languages,periods,preferences\na1,Ane,ES21,fr,1,bdx\na2,Jon,ES21,fr,1,bdx|pau\n"
    for hosts, code in [("", "empty_file"), ('id,name,territory,places,periods,languages\nbdx,"Bordeaux\n', "unreadable_csv"),
                        ("name,places,periods,languages\nBordeaux,1,1,fr\n", "missing_column")]:
        with pytest.raises(InvalidInput) as err:
            read_inputs(hosts, apps)
        codes = [p.code for p in err.value.problems]
        assert code in codes and "unknown_host" not in codes, hosts
    # Hosts read fine: a preference for a host that is not there is still reported.
    with pytest.raises(InvalidInput) as err:
        read_inputs(GOOD_HOSTS, apps)
    assert [(p.line, p.code, p.params["value"]) for p in err.value.problems] == [(3, "unknown_host", "pau")]


def test_every_csv_reader_has_the_same_cell_limit() -> None:
    """The CLI and the web app import different readers first: a file reads the same."""
    import graphsvc.residency.csvio  # noqa: F401
    import loaders.csvio  # noqa: F401
    from graphsvc.csvsafe import FIELD_LIMIT

    assert limit() == FIELD_LIMIT


# -- mistyped --lock and --forbid values ------------------------------------------------------------------------------------


def test_parse_pair_option_names_the_option_every_bad_value_and_the_form() -> None:
    assert parse_pair_option(["a1:bdx", " a2 : pau : 2 "], "--lock") == [Pair("a1", "bdx"), Pair("a2", "pau", "2")]
    with pytest.raises(InvalidInput) as err:
        parse_pair_option(["a1:bdx", "a1", "x::y", "a:b:c:d"], "--lock")
    assert err.value.field == "lock" and err.value.problems == []
    assert str(err.value) == f"bad values for --lock: 'a1', 'x::y', 'a:b:c:d' (each must be {LOCK_HELP}"


def _cli(tmp_path: Path, hosts: str, apps: str, *args: str) -> Any:
    from lotura.cli import main

    h, a = tmp_path / "HOSTS.csv", tmp_path / "APPLICANTS.csv"
    h.write_text(hosts, encoding="utf-8")
    a.write_text(apps, encoding="utf-8")
    env = {"LOTURA_HOME": str(tmp_path / "home"), "NEO4J_URI": "bolt://127.0.0.1:9"}
    return CliRunner().invoke(main, ["residency", "plan", str(h), str(a), *args], env=env)


def test_cli_bad_lock_is_one_clear_error_before_the_files_are_read(tmp_path: Path) -> None:
    res = _cli(tmp_path, GOOD_HOSTS, APPS, "--offline", "--lock", "a1")
    assert res.exit_code == 1
    assert res.output == f"Error: bad value for --lock: 'a1' (it must be {LOCK_HELP}\n"
    # the files are not read first: their problems do not hide the lock's
    res = _cli(tmp_path, "id,places\nh1,two\n", APPS, "--offline", "--lock", "a1:bdx", "--lock", "bdx")
    assert res.exit_code == 1
    assert res.output == f"Error: bad value for --lock: 'bdx' (it must be {LOCK_HELP}\n"
    # without --offline nothing waits for Neo4j either (the address answers nothing)
    res = _cli(tmp_path, GOOD_HOSTS, APPS, "--lock", "a1:bdx:1:2")
    assert res.exit_code == 1 and res.output.startswith("Error: bad value for --lock: 'a1:bdx:1:2'")
    assert "Neo4j" not in res.output


def test_cli_other_bad_inputs_read_as_before(tmp_path: Path) -> None:
    # --forbid reads like --lock, and is checked before the files too
    res = _cli(tmp_path, "id,places\nh1,two\n", APPS, "--offline", "--forbid", "b1")
    assert res.exit_code == 1
    assert res.output == f"Error: bad value for --forbid: 'b1' (it must be {LOCK_HELP}\n"
    res = _cli(tmp_path, GOOD_HOSTS, APPS, "--offline", "--lock", "zz:bdx")
    assert res.exit_code == 1
    assert res.output == "Error: some locked or forbidden pairs cannot be used\n  lock:1: lock: zz:bdx: no applicant 'zz'\n"
    res = _cli(tmp_path, GOOD_HOSTS, APPS, "--offline", "--lock", "a1:bdx")
    assert res.exit_code == 0, res.output


def test_cli_prints_a_csv_syntax_error_in_english(tmp_path: Path) -> None:
    res = _cli(tmp_path, open_quote(GOOD_HOSTS, 'pau,"Pau,FRI,1,1,fr\n'), APPS, "--offline", "--lang", "fr")
    assert res.exit_code == 1
    assert res.output == f"Error: 1 problem in the residency files\n  {tmp_path / 'HOSTS.csv'}:3: row: {too_long('en')}\n"


# -- the web page ---------------------------------------------------------------------------------------------

# the web tests' fixtures: the web fixture graph with an organiser, and a client of an app with CSRF on
app, client, world = test_residency_web.app, test_residency_web.client, test_residency_web.world


@pytest.mark.parametrize("lang", ["fr", "eu"])
def test_upload_with_a_csv_syntax_error_shows_it_in_the_page_language(client: Any, world: Graph, lang: str) -> None:
    ensure_compiled()
    login(client)
    upload(client)
    before = get_draft(world).revision
    bad = open_quote(HOSTS, 'pau,,"Université de Pau,FRI,1,1,fr,audiovisual\n')
    page = client.get("/residency/").get_data(as_text=True)
    # the body is encoded here, in memory: the test client spools a body over 500 KB to a
    # temporary file that it never closes
    body, length, boundary = stream_encode_multipart({
        "csrf_token": token_of(page), "revision": revision_of(page),
        "hosts": FileStorage(io.BytesIO(bad.encode()), "HOSTS.csv", content_type="text/csv"),
        "applicants": FileStorage(io.BytesIO(APPLICANTS.encode()), "APPLICANTS.csv", content_type="text/csv"),
    }, use_tempfile=False)
    resp = client.post(f"/residency/upload?lang={lang}", input_stream=body, content_length=length,
                       content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    expected = too_long(lang).replace("'", "&#39;")
    assert f"<code>HOSTS.csv:4</code> <strong>{ROW[lang]}</strong>: {expected}</li>" in html
    assert "unreadable CSV" not in html and "field larger than" not in html
    assert get_draft(world).revision == before  # nothing changed
