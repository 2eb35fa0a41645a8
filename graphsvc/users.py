"""Users and API tokens, kept in Neo4j as ``(:User)`` and ``(:ApiToken)``.

Passwords are stored as Argon2id hashes (argon2-cffi); API tokens are random 256-bit
secrets shown once and stored as their SHA-256 (a token is not a password a person
chose, so a slow hash buys nothing and would cost every API call). A token reads
``lot_<id>_<secret>``: the id finds the stored hash, the secret is compared in
constant time.

There is no default user and no default password: the first administrator is made
with ``lotura user add NAME --role admin``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from graphsvc.db import Graph
from graphsvc.errors import Conflict, InvalidInput, NotFound

__all__ = [
    "ROLES",
    "MIN_PASSWORD",
    "UserRecord",
    "TokenRecord",
    "role_allows",
    "check_name",
    "check_password",
    "hash_password",
    "verify_password",
    "add_user",
    "get_user",
    "list_users",
    "remove_user",
    "set_password",
    "set_role",
    "authenticate",
    "issue_token",
    "list_tokens",
    "revoke_token",
    "check_token",
    "password_stamp",
]

#: Roles, weakest first. Anonymous readers have no role; ``admin`` may do all an
#: ``organiser`` may.
ROLES: tuple[str, ...] = ("organiser", "admin")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_TOKEN = re.compile(r"^lot_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$")

_hasher = PasswordHasher()
# Verified against when the user does not exist, so that a login for an unknown name
# costs as much time as one for a known name.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class UserRecord:
    name: str
    role: str
    password_hash: str = ""
    created: Any = None

    @property
    def stamp(self) -> str:
        return password_stamp(self.password_hash)


@dataclass(frozen=True)
class TokenRecord:
    id: str
    user: str
    role: str
    name: str = ""


def role_allows(role: str | None, *wanted: str) -> bool:
    """True when a user with ``role`` may act as any of the ``wanted`` roles.

    >>> role_allows("admin", "organiser")
    True
    >>> role_allows("organiser", "admin")
    False
    >>> role_allows(None, "organiser")
    False
    """
    if role not in ROLES:
        return False
    if not wanted:
        return True
    rank = ROLES.index(role)
    return any(w in ROLES and rank >= ROLES.index(w) for w in wanted)


def check_name(name: str) -> str:
    """Validate a user name: 1–64 letters, digits and ``. _ @ -``.

    >>> check_name("ane.etxeberria")
    'ane.etxeberria'
    """
    name = (name or "").strip()
    if not _NAME.match(name):
        raise InvalidInput(
            "a user name has 1 to 64 characters: letters, digits, '.', '_', '@' or '-'",
            field="name",
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}: choose one of {', '.join(ROLES)}", field="role")
    return role


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"a password has at most {MAX_PASSWORD} characters", field="password")
    return password


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (salted, with its parameters)."""
    return _hasher.hash(check_password(password))


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; never raises on a bad hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_stamp(password_hash: str) -> str:
    """A short fingerprint of the hash, kept in the session: a password change or a
    removed user ends every session of that user.

    >>> len(password_stamp("x"))
    16
    """
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _user(row: dict[str, Any]) -> UserRecord:
    return UserRecord(row["name"], row["role"], row.get("password_hash") or "", row.get("created"))


def add_user(graph: Graph, name: str, role: str, password: str) -> UserRecord:
    """Create a user; :class:`Conflict` when the name is taken."""
    name, role = check_name(name), check_role(role)
    ph = hash_password(password)
    rows = graph.write("users/create", username=name, role=role, password_hash=ph)
    if not rows or not rows[0]["created"]:
        raise Conflict(f"a user named {name!r} already exists")
    return UserRecord(name, role, ph)


def get_user(graph: Graph, name: str) -> UserRecord | None:
    row = graph.read_one("users/get", username=name)
    return _user(row) if row else None


def list_users(graph: Graph) -> list[dict[str, Any]]:
    """Every user as ``{name, role, created, tokens}`` (no hashes)."""
    return graph.read("users/list")


def remove_user(graph: Graph, name: str) -> None:
    """Delete a user (their tokens are revoked); :class:`NotFound` when absent."""
    rows = graph.write("users/delete", username=name)
    if not rows or not rows[0]["deleted"]:
        raise NotFound(f"no user named {name!r}")


def set_password(graph: Graph, name: str, password: str) -> None:
    rows = graph.write("users/set_password", username=name, password_hash=hash_password(password))
    if not rows:
        raise NotFound(f"no user named {name!r}")


def set_role(graph: Graph, name: str, role: str) -> None:
    rows = graph.write("users/set_role", username=name, role=check_role(role))
    if not rows:
        raise NotFound(f"no user named {name!r}")


def count_admins(graph: Graph) -> int:
    row = graph.read_one("users/count_admins")
    return int(row["n"]) if row else 0


def authenticate(graph: Graph, name: str, password: str) -> UserRecord | None:
    """The user when ``name`` and ``password`` match, else None (same cost either way).

    A hash made with older Argon2 parameters is upgraded on the way.
    """
    if len(password or "") > MAX_PASSWORD or not _NAME.match((name or "").strip()):
        verify_password(_DUMMY_HASH, "x")
        return None
    user = get_user(graph, name.strip())
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        graph.write("users/set_password", username=user.name, password_hash=_hasher.hash(password))
        user = get_user(graph, user.name) or user
    return user


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(graph: Graph, user: str, label: str = "") -> tuple[str, str]:
    """Make a token for ``user``; return ``(id, token)``. The token is shown once."""
    tid = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    rows = graph.write("users/token_create", id=tid, hash=_token_hash(secret), label=label[:200], user=user)
    if not rows:
        raise NotFound(f"no user named {user!r}")
    return tid, f"lot_{tid}_{secret}"


def list_tokens(graph: Graph, user: str | None = None) -> list[dict[str, Any]]:
    return graph.read("users/token_list", user=user)


def revoke_token(graph: Graph, token_id: str) -> None:
    rows = graph.write("users/token_revoke", id=token_id)
    if not rows:
        raise NotFound(f"no API token with id {token_id!r}")


def check_token(graph: Graph, token: str) -> TokenRecord | None:
    """The token's owner and current role when ``token`` is valid and not revoked."""
    m = _TOKEN.match((token or "").strip())
    if not m:
        return None
    tid, secret = m.groups()
    row = graph.read_one("users/token_get", id=tid)
    if not row or row["revoked"] or not row["user_exists"] or row["role"] not in ROLES:
        return None
    if not hmac.compare_digest(row["hash"], _token_hash(secret)):
        return None
    if not row["used_recently"]:
        graph.write("users/token_touch", id=tid)
    return TokenRecord(tid, row["user"], row["role"], row.get("name") or "")
