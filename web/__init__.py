"""Lotura's web app: ``create_app`` builds it; nothing happens at import time.

One driver per process, created here and reached as ``current_app.extensions["lotura"]``
(see :func:`web.core.graph`), closed at exit.
"""

from __future__ import annotations

import atexit
import importlib
import secrets
from typing import Any

from flask import Flask

from graphsvc.db import Graph, connect
from graphsvc.settings import Settings

# Blueprints, (module, attribute). Each part of the app lives in its own module.
BLUEPRINTS: list[tuple[str, str]] = [
    ("web.views.core", "bp"),
    ("web.views.auth", "bp"),
    ("web.views.dashboard", "bp"),
    ("web.views.directory", "bp"),
    ("web.views.organisation", "bp"),
    ("web.views.finder", "bp"),
    ("web.views.analytics", "bp"),
    ("web.views.queries", "bp"),
    ("web.views.maps", "bp"),
    ("web.views.residency", "bp"),
    ("web.views.admin", "bp"),
    ("web.api", "bp"),
]


def web_driver(settings: Settings) -> Any:
    """The web app's Neo4j driver: :func:`graphsvc.db.connect`, except that a
    request stops retrying after ``settings.web_retry_seconds`` (``LOTURA_WEB_RETRY_SECONDS``,
    default 1) instead of 10 s. While Neo4j is down a page then answers 503 within about a
    second instead of holding a worker thread for the driver's full retry time; when Neo4j
    is back the next request reconnects."""
    return connect(
        settings,
        retry_seconds=settings.web_retry_seconds,
        connection_timeout=3.0,
        acquisition_timeout=10.0,
    )


def create_app(config: dict[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """Build the Flask app. ``config`` overrides Flask settings (tests); ``settings``
    overrides the environment (default: :meth:`Settings.from_env`).

    The settings the web app uses are copied into ``app.config`` under their variable's
    name (``LOTURA_PAGE_CACHE``, ...), so a test may override one through ``config``;
    the views read them from there, never from the environment."""
    from graphsvc.server import with_running_port

    settings = with_running_port(settings or Settings.from_env())  # a local server's recorded port
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        LOTURA_SETTINGS=settings,
        LOTURA_PUBLIC=settings.public,
        LOTURA_PUBLIC_URL=settings.public_url,
        BABEL_DEFAULT_LOCALE=settings.default_language,
        BABEL_TRANSLATION_DIRECTORIES="translations",
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_STORAGE_URI=settings.rate_limit_storage,
        # "auto": Secure when the request came over HTTPS (see web.auth).
        LOTURA_SECURE_COOKIES="auto" if settings.secure_cookies is None else settings.secure_cookies,
        LOTURA_PROXY_FIX=settings.proxy_fix,
        LOTURA_RATELIMIT_LOGIN=settings.rate_limit_login,
        LOTURA_RATELIMIT_API=settings.rate_limit_api,
        LOTURA_PAGE_CACHE=settings.page_cache,
        LOTURA_VERSION_TTL=settings.version_ttl,
        LOTURA_CACHE_SIZE=settings.cache_size,
        LOTURA_UPLOAD_MAX_MB=settings.upload_max_mb,
        LOTURA_UPLOAD_MAX_ROWS=settings.upload_max_rows,
        RATELIMIT_HEADERS_ENABLED=True,
        JSON_SORT_KEYS=False,
    )
    if config:
        app.config.update(config)

    graph = app.config.get("LOTURA_GRAPH") or Graph(web_driver(settings), settings.neo4j_database, settings)
    app.extensions["lotura"] = graph
    if not app.config.get("LOTURA_GRAPH"):
        atexit.register(graph.close)

    from web import core

    core.init_app(app)
    for module, attr in BLUEPRINTS:
        app.register_blueprint(getattr(importlib.import_module(module), attr))

    from web import auth

    auth.init_app(app)  # after the blueprints: it rate-limits the login view and the API
    return app
