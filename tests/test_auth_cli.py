"""``lotura user`` and ``lotura token`` against the real Neo4j."""

from __future__ import annotations

from click.testing import CliRunner

from graphsvc import users
from graphsvc.db import Graph
from graphsvc.settings import Settings


def _env(settings: Settings) -> dict[str, str]:
    env = {"NEO4J_URI": settings.uri}
    if settings.neo4j_user:
        env["NEO4J_USER"] = settings.neo4j_user
        env["NEO4J_PASSWORD"] = settings.neo4j_password or ""
    return env


def test_user_and_token_commands(graph: Graph, neo4j_settings: Settings) -> None:
    from lotura.cli import main

    run = CliRunner()
    env = _env(neo4j_settings)
    r = run.invoke(main, ["user", "list"], env=env)
    assert r.exit_code == 0 and "lotura user add NAME --role admin" in r.output, "a fresh install has no user"
    r = run.invoke(
        main, ["user", "add", "ane", "--role", "admin"], input="first-password\nfirst-password\n", env=env
    )
    assert r.exit_code == 0, r.output
    r = run.invoke(main, ["user", "add", "bob", "--role", "organiser"], input="one-password\nother-password\n"
                   "one-password\none-password\n", env=env)  # fmt: skip
    assert r.exit_code == 0 and "do not match" in r.output
    r = run.invoke(
        main, ["user", "add", "eve", "--role", "organiser", "--password-stdin"], input="short\n", env=env
    )
    assert r.exit_code == 1 and "at least 10 characters" in r.output and users.get_user(graph, "eve") is None
    r = run.invoke(main, ["user", "add", "ane", "--role", "organiser", "--password-stdin"],
                   input="whatever-password\n", env=env)  # fmt: skip
    assert r.exit_code == 1 and "already exists" in r.output
    r = run.invoke(main, ["user", "list"], env=env)
    assert "ane" in r.output and "bob" in r.output and "argon2" not in r.output
    assert users.authenticate(graph, "ane", "first-password") is not None

    r = run.invoke(main, ["user", "passwd", "bob", "--password-stdin"], input="second-password\n", env=env)
    assert r.exit_code == 0 and users.authenticate(graph, "bob", "second-password") is not None
    r = run.invoke(main, ["user", "role", "bob", "admin"], env=env)
    assert r.exit_code == 0 and users.get_user(graph, "bob").role == "admin"  # type: ignore[union-attr]

    r = run.invoke(main, ["token", "issue", "bob", "--label", "import"], env=env)
    assert r.exit_code == 0
    token = r.stdout.strip().splitlines()[-1]
    rec = users.check_token(graph, token)
    assert rec is not None and rec.user == "bob"
    r = run.invoke(main, ["token", "list"], env=env)
    assert rec.id in r.output and "active" in r.output and token not in r.output
    r = run.invoke(main, ["token", "revoke", rec.id], env=env)
    assert r.exit_code == 0 and users.check_token(graph, token) is None
    r = run.invoke(main, ["token", "revoke", "nope"], env=env)
    assert r.exit_code == 1 and "no API token" in r.output
    r = run.invoke(main, ["token", "issue", "nobody"], env=env)
    assert r.exit_code == 1 and "no user" in r.output

    r = run.invoke(main, ["user", "remove", "bob"], input="n\n", env=env)
    assert r.exit_code == 1 and users.get_user(graph, "bob") is not None
    r = run.invoke(main, ["user", "remove", "bob", "--yes"], env=env)
    assert r.exit_code == 0 and users.get_user(graph, "bob") is None
    r = run.invoke(main, ["user", "remove", "ane", "--yes"], env=env)
    assert r.exit_code == 0 and "last administrator" in r.output
    r = run.invoke(
        main, ["user", "passwd", "ghost", "--password-stdin"], input="whatever-password\n", env=env
    )
    assert r.exit_code == 1 and "no user named" in r.output and "Traceback" not in r.output
