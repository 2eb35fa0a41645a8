"""Settings from the environment, read once by whoever builds the driver or the app.

Nothing reads the environment at import time; call :func:`Settings.from_env`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from graphsvc.errors import InvalidInput

DEFAULT_BOLT_PORT = 7687
LANGUAGES = ("en", "eu", "es", "fr")
_OFF = {"0", "false", "no", "off"}
_ON = {"1", "true", "yes", "on"}

T = TypeVar("T", int, float)


def _default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "lotura"


def _default_cache() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "lotura"


def flag(value: str | None, default: bool) -> bool:
    """An on/off setting given as text: empty means ``default``; ``0``, ``false``, ``no``
    and ``off`` (any case) mean off; anything else means on.

    >>> flag("Off", True), flag("", False), flag("yes", False)
    (False, False, True)
    """
    if value is None or value == "":
        return default
    return value.strip().lower() not in _OFF


def _invalid(name: str, value: str, wanted: str) -> InvalidInput:
    return InvalidInput(f"{name}={value!r}: expected {wanted}", field=name)


def _number(env: Mapping[str, str], name: str, kind: Callable[[str], T], default: T,
            minimum: T | None = None, *, strict: bool = False) -> T:
    """``env[name]`` as an int or float, ``default`` when unset or empty.

    ``minimum`` is the smallest value allowed (exclusive when ``strict``).
    """
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    what = "a whole number" if kind is int else "a number"
    if minimum is not None:
        what += f" {'greater than' if strict else 'of at least'} {minimum:g}"
    try:
        value = kind(raw)
    except ValueError:
        raise _invalid(name, raw, what) from None
    if value != value or value in (float("inf"), float("-inf")):  # NaN, inf
        raise _invalid(name, raw, what)
    if minimum is not None and (value <= minimum if strict else value < minimum):
        raise _invalid(name, raw, what)
    return value


def _secure_cookies(env: Mapping[str, str]) -> bool | None:
    """``LOTURA_SECURE_COOKIES``: True, False or None (auto: Secure over HTTPS)."""
    raw = (env.get("LOTURA_SECURE_COOKIES") or "").strip().lower()
    if raw in {"", "auto"}:
        return None
    if raw in _OFF:
        return False
    if raw in _ON:
        return True
    raise _invalid("LOTURA_SECURE_COOKIES", raw, "1, 0 or auto")


def _proxy_fix(env: Mapping[str, str]) -> int:
    """``LOTURA_PROXY_FIX``: how many reverse proxies to trust (0: none)."""
    raw = (env.get("LOTURA_PROXY_FIX") or "").strip().lower()
    if raw == "" or raw in _OFF:
        return 0
    if raw in _ON:
        return 1
    if raw.isdigit():
        return int(raw)
    raise _invalid("LOTURA_PROXY_FIX", raw, "0, 1 or a number of proxies")


def cypher_dir_from_env(env: Mapping[str, str] | None = None) -> Path | None:
    """``LOTURA_CYPHER_DIR``, the folder of named queries, or None for the bundled one.

    :attr:`Settings.cypher_dir` holds it, and a :class:`graphsvc.db.Graph` takes it from
    its settings; :func:`graphsvc.queries.cypher_dir` calls this directly only for a
    caller holding neither.
    """
    raw = ((os.environ if env is None else env).get("LOTURA_CYPHER_DIR") or "").strip()
    return Path(raw).expanduser() if raw else None


def _rate_limit(env: Mapping[str, str], name: str, default: str) -> str:
    """A Flask-Limiter limit such as ``10 per minute;100 per day``."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    from limits import parse_many  # Flask-Limiter's own parser: the same grammar it will use

    try:
        parse_many(raw)
    except ValueError:
        raise _invalid(name, raw, "rate limits such as '10 per minute;100 per day'") from None
    return raw


@dataclass(frozen=True)
class Settings:
    """Where Neo4j is and how Lotura runs.

    ``neo4j_uri`` set means an external server: Lotura then never starts its own.
    ``secure_cookies`` None means auto (Secure when the request came over HTTPS);
    ``proxy_fix`` is the number of reverse proxies whose ``X-Forwarded-*`` headers are
    trusted (0: none); ``cypher_dir`` None means the bundled ``cypher/`` folder. A
    malformed variable raises :class:`~graphsvc.errors.InvalidInput` naming it.
    """

    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None
    home: Path = field(default_factory=_default_home)
    cache: Path = field(default_factory=_default_cache)
    bolt_port: int = DEFAULT_BOLT_PORT
    heap: str = "1g"
    pagecache_mb: int = 128
    start_timeout: float = 120.0
    public: bool = True
    default_language: str = "en"
    secret_key: str | None = field(default=None, repr=False)
    rate_limit_storage: str = "memory://"
    public_url: str | None = None
    secure_cookies: bool | None = None
    proxy_fix: int = 0
    rate_limit_login: str = "10 per minute;100 per day"
    rate_limit_api: str = "600 per minute"
    web_retry_seconds: float = 1.0
    page_cache: bool = True
    version_ttl: float = 1.0
    cache_size: int = 1024
    upload_max_mb: float = 20.0
    upload_max_rows: int = 200_000
    load_lock_stale_minutes: int = 15
    cypher_dir: Path | None = None
    debug: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        s = cls()
        home = env.get("LOTURA_HOME")
        cache = env.get("LOTURA_CACHE")
        lang = env.get("LOTURA_DEFAULT_LANGUAGE", "en").strip().lower() or "en"
        if lang not in LANGUAGES:
            lang = "en"
        return replace(
            s,
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USER") or None,
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE") or None,
            home=Path(home).expanduser() if home else s.home,
            cache=Path(cache).expanduser() if cache else s.cache,
            bolt_port=_number(env, "LOTURA_BOLT_PORT", int, s.bolt_port, 1),
            heap=env.get("LOTURA_NEO4J_HEAP", s.heap),
            pagecache_mb=_number(env, "LOTURA_NEO4J_PAGECACHE_MB", int, s.pagecache_mb, 1),
            start_timeout=_number(env, "LOTURA_NEO4J_START_TIMEOUT", float, s.start_timeout, 0.0, strict=True),
            public=flag(env.get("LOTURA_PUBLIC"), True),
            default_language=lang,
            secret_key=env.get("LOTURA_SECRET_KEY") or None,
            rate_limit_storage=env.get("LOTURA_RATELIMIT_STORAGE_URI", s.rate_limit_storage),
            public_url=(env.get("LOTURA_PUBLIC_URL") or "").rstrip("/") or None,
            secure_cookies=_secure_cookies(env),
            proxy_fix=_proxy_fix(env),
            rate_limit_login=_rate_limit(env, "LOTURA_RATELIMIT_LOGIN", s.rate_limit_login),
            rate_limit_api=_rate_limit(env, "LOTURA_RATELIMIT_API", s.rate_limit_api),
            web_retry_seconds=_number(env, "LOTURA_WEB_RETRY_SECONDS", float, s.web_retry_seconds, 0.0, strict=True),
            page_cache=flag(env.get("LOTURA_PAGE_CACHE"), s.page_cache),
            version_ttl=_number(env, "LOTURA_VERSION_TTL", float, s.version_ttl, 0.0),
            cache_size=_number(env, "LOTURA_CACHE_SIZE", int, s.cache_size, 1),
            upload_max_mb=_number(env, "LOTURA_UPLOAD_MAX_MB", float, s.upload_max_mb, 0.0, strict=True),
            upload_max_rows=_number(env, "LOTURA_UPLOAD_MAX_ROWS", int, s.upload_max_rows, 1),
            load_lock_stale_minutes=_number(
                env, "LOTURA_LOAD_LOCK_STALE_MINUTES", int, s.load_lock_stale_minutes, 1
            ),
            cypher_dir=cypher_dir_from_env(env),
            debug=flag(env.get("LOTURA_DEBUG"), s.debug),
        )

    @property
    def external(self) -> bool:
        """True when ``NEO4J_URI`` points Lotura at a server it does not manage."""
        return self.neo4j_uri is not None

    @property
    def uri(self) -> str:
        """The Bolt URI to connect to: the external one, or the local server's."""
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def auth(self) -> tuple[str, str] | None:
        if self.neo4j_user:
            return (self.neo4j_user, self.neo4j_password or "")
        return None
