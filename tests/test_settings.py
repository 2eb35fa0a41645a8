from pathlib import Path

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
