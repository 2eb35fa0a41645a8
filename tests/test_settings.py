from dataclasses import replace
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from flask import Flask

from graphsvc.db import Graph
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.settings import Settings


def test_defaults_use_the_local_server() -> None:
    s = Settings.from_env({})
    assert not s.external
    assert s.uri == "bolt://127.0.0.1:7687"
    assert s.auth is None
    assert s.default_language == "en"


def test_neo4j_uri_wins_over_the_local_port() -> None:
    s = Settings.from_env({"NEO4J_URI": "neo4j+s://x.databases.neo4j.io", "LOTURA_BOLT_PORT": "9999",
                           "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": "pw", "NEO4J_DATABASE": "lotura"})
    assert s.external
    assert s.uri == "neo4j+s://x.databases.neo4j.io"
    assert s.auth == ("neo4j", "pw")
    assert s.neo4j_database == "lotura"
    assert "pw" not in repr(s)


def test_lotura_home_and_port_from_the_environment(tmp_path: Path) -> None:
    s = Settings.from_env({"LOTURA_HOME": str(tmp_path), "LOTURA_BOLT_PORT": "7777",
                           "LOTURA_DEFAULT_LANGUAGE": "eu", "LOTURA_PUBLIC": "0"})
    assert s.home == tmp_path
    assert s.uri == "bolt://127.0.0.1:7777"
    assert s.default_language == "eu"
    assert s.public is False


def test_unknown_default_language_falls_back_to_english() -> None:
    assert Settings.from_env({"LOTURA_DEFAULT_LANGUAGE": "de"}).default_language == "en"


def test_public_url_for_the_event_qr_codes_is_trimmed() -> None:
    assert Settings.from_env({"LOTURA_PUBLIC_URL": "http://192.168.1.20:5000/"}).public_url == "http://192.168.1.20:5000"
    assert Settings.from_env({}).public_url is None


# -- settings that used to be read where they were used ------------------------------

NEW_DEFAULTS = [
    ("secure_cookies", None),
    ("proxy_fix", 0),
    ("rate_limit_login", "10 per minute;100 per day"),
    ("rate_limit_api", "600 per minute"),
    ("web_retry_seconds", 1.0),
    ("page_cache", True),
    ("version_ttl", 1.0),
    ("cache_size", 1024),
    ("upload_max_mb", 20.0),
    ("upload_max_rows", 200_000),
    ("load_lock_stale_minutes", 15),
    ("cypher_dir", None),
    ("debug", False),
]


@pytest.mark.parametrize(("name", "default"), NEW_DEFAULTS)
def test_default_when_the_variable_is_unset_or_empty(name: str, default: object) -> None:
    assert getattr(Settings.from_env({}), name) == default
    var = next(v for v, _, f, _ in OVERRIDES if f == name)
    assert getattr(Settings.from_env({var: ""}), name) == default


OVERRIDES = [
    ("LOTURA_SECURE_COOKIES", "1", "secure_cookies", True),
    ("LOTURA_SECURE_COOKIES", "0", "secure_cookies", False),
    ("LOTURA_SECURE_COOKIES", "auto", "secure_cookies", None),
    ("LOTURA_PROXY_FIX", "1", "proxy_fix", 1),
    ("LOTURA_PROXY_FIX", "2", "proxy_fix", 2),
    ("LOTURA_PROXY_FIX", "off", "proxy_fix", 0),
    ("LOTURA_RATELIMIT_LOGIN", "3 per minute", "rate_limit_login", "3 per minute"),
    ("LOTURA_RATELIMIT_API", "1000 per hour;50 per second", "rate_limit_api", "1000 per hour;50 per second"),
    ("LOTURA_WEB_RETRY_SECONDS", "0.2", "web_retry_seconds", 0.2),
    ("LOTURA_PAGE_CACHE", "0", "page_cache", False),
    ("LOTURA_VERSION_TTL", "0", "version_ttl", 0.0),
    ("LOTURA_CACHE_SIZE", "64", "cache_size", 64),
    ("LOTURA_UPLOAD_MAX_MB", "0.5", "upload_max_mb", 0.5),
    ("LOTURA_UPLOAD_MAX_ROWS", "3", "upload_max_rows", 3),
    ("LOTURA_LOAD_LOCK_STALE_MINUTES", "60", "load_lock_stale_minutes", 60),
    ("LOTURA_CYPHER_DIR", "/srv/cypher", "cypher_dir", Path("/srv/cypher")),
    ("LOTURA_DEBUG", "1", "debug", True),
    ("LOTURA_DEBUG", "0", "debug", False),
]


@pytest.mark.parametrize(("var", "value", "name", "expected"), OVERRIDES)
def test_the_variable_overrides_the_default(var: str, value: str, name: str, expected: object) -> None:
    assert getattr(Settings.from_env({var: value}), name) == expected


MALFORMED = [
    ("LOTURA_SECURE_COOKIES", "sometimes", "1, 0 or auto"),
    ("LOTURA_PROXY_FIX", "two", "number of proxies"),
    ("LOTURA_RATELIMIT_LOGIN", "ten a minute", "rate limits"),
    ("LOTURA_RATELIMIT_API", "lots", "rate limits"),
    ("LOTURA_WEB_RETRY_SECONDS", "soon", "a number greater than 0"),
    ("LOTURA_WEB_RETRY_SECONDS", "0", "a number greater than 0"),
    ("LOTURA_VERSION_TTL", "-1", "a number of at least 0"),
    ("LOTURA_VERSION_TTL", "nan", "a number of at least 0"),
    ("LOTURA_CACHE_SIZE", "1.5", "a whole number of at least 1"),
    ("LOTURA_UPLOAD_MAX_MB", "20MB", "a number greater than 0"),
    ("LOTURA_UPLOAD_MAX_ROWS", "0", "a whole number of at least 1"),
    ("LOTURA_LOAD_LOCK_STALE_MINUTES", "a while", "a whole number of at least 1"),
    ("LOTURA_BOLT_PORT", "abc", "a whole number of at least 1"),
    ("LOTURA_NEO4J_PAGECACHE_MB", "128M", "a whole number of at least 1"),
    ("LOTURA_NEO4J_START_TIMEOUT", "2 min", "a number greater than 0"),
]


@pytest.mark.parametrize(("var", "value", "wanted"), MALFORMED)
def test_a_malformed_value_is_an_error_naming_the_variable(var: str, value: str, wanted: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        Settings.from_env({var: value})
    assert exc.value.field == var
    assert str(exc.value).startswith(f"{var}={value!r}: expected ")
    assert wanted in str(exc.value)


def test_the_cli_reports_a_malformed_variable_without_a_traceback() -> None:
    from lotura.cli import main

    res = CliRunner().invoke(main, ["version"], env={"LOTURA_UPLOAD_MAX_MB": "lots"})
    assert res.exit_code == 1
    assert "Error: LOTURA_UPLOAD_MAX_MB='lots': expected a number greater than 0" in res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize(("debug", "traceback"), [("1", True), ("0", False), ("", False)])
def test_lotura_debug_decides_whether_the_cli_shows_the_traceback(debug: str, traceback: bool) -> None:
    from lotura.cli import main

    @click.command("boom-test")
    def boom() -> None:
        raise RuntimeError("kaput")

    main.add_command(boom)
    try:
        res = CliRunner().invoke(main, ["boom-test"], env={"LOTURA_DEBUG": debug})
    finally:
        main.commands.pop("boom-test")
    assert res.exit_code == 1
    if traceback:
        assert isinstance(res.exception, RuntimeError)
    else:
        assert "Error: unexpected RuntimeError: kaput (set LOTURA_DEBUG=1 for the traceback)" in res.output


def test_the_query_folder_and_the_lock_timeout_come_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphsvc.queries import cypher_dir
    from loaders.run import stale_minutes

    monkeypatch.delenv("LOTURA_CYPHER_DIR", raising=False)
    monkeypatch.delenv("LOTURA_LOAD_LOCK_STALE_MINUTES", raising=False)
    assert (cypher_dir() / "schema").is_dir()  # the bundled queries
    assert stale_minutes() == 15
    s = Settings.from_env({"LOTURA_CYPHER_DIR": str(tmp_path), "LOTURA_LOAD_LOCK_STALE_MINUTES": "90"})
    assert cypher_dir(s) == tmp_path
    assert stale_minutes(s) == 90
    # A Graph carries its settings: its queries come from their folder, whatever the
    # environment says (the driver connects lazily: nothing listens on port 1).
    with Graph.from_settings(replace(s, neo4j_uri="bolt://127.0.0.1:1")) as g:
        assert g.settings.load_lock_stale_minutes == 90
        assert g.cypher_root == tmp_path
        with pytest.raises(NotFound, match=str(tmp_path)):
            g.query("org/get")
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "get.cypher").write_text("RETURN $id AS id\n", encoding="utf-8")
    with Graph.from_settings(replace(s, neo4j_uri="bolt://127.0.0.1:1")) as g:
        assert g.query("org/get") == "RETURN $id AS id\n"
    # Without a Settings object (a caller holding neither) the environment decides.
    monkeypatch.setenv("LOTURA_CYPHER_DIR", str(tmp_path))
    monkeypatch.setenv("LOTURA_LOAD_LOCK_STALE_MINUTES", "45")
    assert cypher_dir() == tmp_path
    assert stale_minutes() == 45


def _app(settings: Settings, **config: object) -> Flask:
    from web import create_app

    # Nothing listens on port 1: these tests never reach Neo4j (the driver connects lazily).
    return create_app(
        {"TESTING": True, "SECRET_KEY": "t", **config}, settings=replace(settings, neo4j_uri="bolt://127.0.0.1:1")
    )


def test_the_web_app_takes_its_settings_from_settings_not_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from web.ui import cache, page_cache_enabled
    from web.views.admin import upload_limits

    for var in ("LOTURA_UPLOAD_MAX_MB", "LOTURA_UPLOAD_MAX_ROWS", "LOTURA_PAGE_CACHE", "LOTURA_CACHE_SIZE"):
        monkeypatch.setenv(var, "7")  # ignored: the app was given its settings
    s = Settings.from_env({"LOTURA_UPLOAD_MAX_MB": "2", "LOTURA_UPLOAD_MAX_ROWS": "10",
                           "LOTURA_PAGE_CACHE": "0", "LOTURA_CACHE_SIZE": "16"})
    app = _app(s)
    with app.app_context():
        assert upload_limits() == (2 * 1024 * 1024, 10)
        assert page_cache_enabled() is False
        assert cache().maxsize == 16
    # The app config still overrides a setting (tests do this).
    with _app(s, LOTURA_UPLOAD_MAX_ROWS=3).app_context():
        assert upload_limits() == (2 * 1024 * 1024, 3)
    with _app(Settings.from_env({})).app_context():
        assert upload_limits() == (20 * 1024 * 1024, 200_000)
        assert page_cache_enabled() is True


@pytest.mark.parametrize(("proxies", "hsts"), [("1", True), ("", False)])
def test_proxy_fix_trusts_the_forwarded_scheme_only_when_set(proxies: str, hsts: bool) -> None:
    app = _app(Settings.from_env({"LOTURA_PROXY_FIX": proxies}))
    resp = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert ("Strict-Transport-Security" in resp.headers) is hsts
