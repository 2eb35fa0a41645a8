"""``lotura user`` and ``lotura token``: accounts and API tokens.

A fresh install has no account at all; make the first administrator with
``lotura user add NAME --role admin`` (the password is asked twice).
"""

from __future__ import annotations

import json
import sys

import click

from graphsvc import users
from graphsvc.errors import Conflict, InvalidInput, NotFound
from lotura.cli.context import app_context, say


def _password(from_stdin: bool, prompt: str = "Password") -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise InvalidInput("no password on standard input", field="password")
    else:
        password = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return users.check_password(password)


@click.group()
def user() -> None:
    """Manage the accounts of organisers and administrators.

    Anyone may explore without an account (unless LOTURA_PUBLIC=0); organisers plan
    residencies; administrators also load data through the web and manage users.
    """


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(users.ROLES), required=True, help="What the user may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def user_add(name: str, role: str, password_stdin: bool) -> None:
    """Create the account NAME (the password is asked twice)."""
    g = app_context().graph
    name = users.check_name(name)
    if users.get_user(g, name) is not None:
        raise Conflict(
            f"a user named {name!r} already exists (lotura user passwd {name} changes the password)"
        )
    users.add_user(g, name, role, _password(password_stdin))
    click.echo(f"user {name} added ({role})")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def user_list(as_json: bool) -> None:
    """List the accounts (never their passwords)."""
    rows = users.list_users(app_context().graph)
    if as_json:
        click.echo(json.dumps([{**r, "created": str(r["created"])} for r in rows]))
        return
    if not rows:
        say("No users yet: create the first administrator with `lotura user add NAME --role admin`.")
        return
    click.echo(f"{'name':<24} {'role':<10} {'tokens':>6}  created")
    for r in rows:
        created = str(r["created"])[:19] if r["created"] else ""
        click.echo(f"{r['name']:<24} {r['role']:<10} {r['tokens']:>6}  {created}")


@user.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def user_remove(name: str, yes: bool) -> None:
    """Delete the account NAME and revoke its API tokens."""
    g = app_context().graph
    rec = users.get_user(g, name)
    if rec is not None and rec.role == "admin" and users.count_admins(g) == 1:
        say(f"Warning: {name} is the last administrator.")
    if not yes and not click.confirm(f"Remove user {name}?", default=False):
        raise Conflict("cancelled; nothing was removed")
    users.remove_user(g, name)
    click.echo(f"user {name} removed")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def user_passwd(name: str, password_stdin: bool) -> None:
    """Set a new password for NAME (ends the user's open sessions)."""
    g = app_context().graph
    if users.get_user(g, name) is None:
        raise NotFound(f"no user named {name!r}")
    users.set_password(g, name, _password(password_stdin, "New password"))
    click.echo(f"password of {name} changed")


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(users.ROLES))
def user_role(name: str, role: str) -> None:
    """Change the role of NAME."""
    users.set_role(app_context().graph, name, role)
    click.echo(f"{name} is now {role}")


@click.group()
def token() -> None:
    """Issue and revoke bearer tokens for programs that read the JSON API.

    The API is read-only. A program sends `Authorization: Bearer TOKEN` to read it as
    the token's user, with that user's current role: on a private site
    (LOTURA_PUBLIC=0) that is the only way in without logging in, and an admin's
    token also sees the user and token counts of /api/v1/stats. A wrong or revoked
    token gets 401. Removing the user or revoking the token stops it at once. Only a
    hash of each token is stored.
    """


@token.command("issue")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown in `lotura token list`).")
def token_issue(name: str, label: str) -> None:
    """Issue a token for user NAME and print it once."""
    tid, secret = users.issue_token(app_context().graph, name, label)
    say(f"token {tid} issued for {name}; it is shown only now, keep it secret:")
    click.echo(secret)


@token.command("list")
@click.option("--user", "who", default=None, help="Only this user's tokens.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def token_list(who: str | None, as_json: bool) -> None:
    """List tokens (id, user, label, state; never the secret)."""
    rows = users.list_tokens(app_context().graph, who)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        k: (str(v) if v is not None and k in {"created", "revoked_at", "last_used"} else v)
                        for k, v in r.items()
                    }
                    for r in rows
                ]
            )
        )
        return
    if not rows:
        say("No API tokens.")
        return
    click.echo(f"{'id':<14} {'user':<20} {'state':<8} {'created':<20} label")
    for r in rows:
        state = "revoked" if r["revoked"] else "active"
        click.echo(f"{r['id']:<14} {r['user']:<20} {state:<8} {str(r['created'])[:19]:<20} {r['name'] or ''}")


@token.command("revoke")
@click.argument("token_id", metavar="ID")
def token_revoke(token_id: str) -> None:
    """Revoke the token ID (it stops working at once)."""
    users.revoke_token(app_context().graph, token_id)
    click.echo(f"token {token_id} revoked")
