"""Settings from the environment, read once by whoever builds the driver or the app.

Nothing reads the environment at import time; call :func:`Settings.from_env`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BOLT_PORT = 7687
LANGUAGES = ("en", "eu", "es", "fr")


def _default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "lotura"


def _default_cache() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "lotura"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Settings:
    """Where Neo4j is and how Lotura runs.

    ``neo4j_uri`` set means an external server: Lotura then never starts its own.
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

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        s = cls()
        home = env.get("LOTURA_HOME")
        cache = env.get("LOTURA_CACHE")
        port = env.get("LOTURA_BOLT_PORT")
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
            bolt_port=int(port) if port else s.bolt_port,
            heap=env.get("LOTURA_NEO4J_HEAP", s.heap),
            pagecache_mb=int(env.get("LOTURA_NEO4J_PAGECACHE_MB", s.pagecache_mb)),
            start_timeout=float(env.get("LOTURA_NEO4J_START_TIMEOUT", s.start_timeout)),
            public=_flag(env.get("LOTURA_PUBLIC"), True),
            default_language=lang,
            secret_key=env.get("LOTURA_SECRET_KEY") or None,
            rate_limit_storage=env.get("LOTURA_RATELIMIT_STORAGE_URI", s.rate_limit_storage),
            public_url=(env.get("LOTURA_PUBLIC_URL") or "").rstrip("/") or None,
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
