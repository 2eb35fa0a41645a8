"""Who may do what: sessions (Flask-Login), roles, API tokens, rate limits.

Roles, weakest first: anonymous reader < ``organiser`` < ``admin`` (an admin may do
everything an organiser may). Use in views::

    from web.auth import require_role

    @bp.post("/residency/plan")
    @require_role("organiser")
    def save_plan(): ...

``require_role`` accepts a logged-in session, and on ``/api/`` paths also a bearer
token. Anonymous visitors are sent to the login page (pages) or get 401 JSON (API); a
user whose role is too weak gets 403.

The JSON API is read-only. A bearer token (``Authorization: Bearer lot_...``) lets a
program read it as its user: on a private site (``LOTURA_PUBLIC=0``) that is the only
way in without a session, and on any site it shows what the user's role may see (the
user and token counts of ``/api/v1/stats`` for admins). A request to ``/api/`` that
presents a Bearer token that is not valid (malformed, unknown, revoked, or its user
removed) gets 401 JSON with ``WWW-Authenticate``, on a public site too: it is never
served as anonymous. Pages ignore the header (browsers never send it by themselves).

With ``LOTURA_PUBLIC=0`` every page except /login, /health and static files needs a
logged-in user (or, for the API, a bearer token). The rule runs before routing errors,
so an anonymous visitor gets the same answer for an unknown address as for a known one
(login redirect, or 401 on ``/api/``) and cannot probe which addresses exist; signed-in
users still get the real 404 or 405.

Configuration (:class:`graphsvc.settings.Settings`, copied into ``app.config`` by
:func:`web.create_app` under the variable's name; read by :func:`init_app`, and per
request by the session interface for ``LOTURA_SECURE_COOKIES``):

- ``LOTURA_SECURE_COOKIES``: ``1`` always mark the session cookie Secure, ``0`` never,
  unset (``auto``): Secure whenever the request came over HTTPS.
- ``LOTURA_PROXY_FIX``: ``1`` (or a number of proxies) to trust ``X-Forwarded-For``
  and ``X-Forwarded-Proto`` from the reverse proxy in front.
- ``LOTURA_RATELIMIT_LOGIN`` (default ``10 per minute;100 per day``, per address and per
  name), ``LOTURA_RATELIMIT_API`` (default ``600 per minute``, per address),
  ``LOTURA_RATELIMIT_STORAGE_URI`` (default ``memory://``; ``redis://...`` or
  ``memcached://...`` when several worker processes serve the app).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, current_app, g, jsonify, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user
from werkzeug.exceptions import Forbidden

from graphsvc import users
from graphsvc.errors import DatabaseUnavailable
from web.core import csrf, graph

__all__ = [
    "login_manager",
    "User",
    "current_principal",
    "require_role",
    "init_app",
    "safe_next",
]

F = TypeVar("F", bound=Callable[..., Any])

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = cast(str, _l("Please log in to see this page."))
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

# Endpoints anyone may reach when LOTURA_PUBLIC=0.
OPEN_ENDPOINTS = {"auth.login", "core.health", "core.favicon", "static"}


class User(UserMixin):
    """A logged-in user (session) or the owner of an API token."""

    def __init__(self, name: str, role: str, stamp: str = "") -> None:
        self.name = name
        self.role = role
        self.stamp = stamp

    def get_id(self) -> str:
        return f"{self.name}|{self.stamp}"

    def has_role(self, *roles: str) -> bool:
        return users.role_allows(self.role, *roles)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_organiser(self) -> bool:
        return self.has_role("organiser")

    def __repr__(self) -> str:
        return f"<User {self.name} {self.role}>"


class Anonymous(AnonymousUserMixin):
    name = ""
    role = None

    def has_role(self, *roles: str) -> bool:
        return False

    is_admin = False
    is_organiser = False


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    name, _, stamp = user_id.partition("|")
    try:
        rec = users.get_user(graph(), name)
    except DatabaseUnavailable:
        # Render the 503 page as anonymous; require_role turns this into a 503.
        g.auth_db_down = True
        return None
    if rec is None or rec.role not in users.ROLES or rec.stamp != stamp:
        return None
    return User(rec.name, rec.role, rec.stamp)


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (no scheme, host or ``//``), else None.

    >>> safe_next("/org/pic:1?x=1")
    '/org/pic:1?x=1'
    >>> safe_next("//evil.example/") is None, safe_next("https://evil.example/") is None
    (True, True)
    """
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    return None


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _unauthorised(message: Any) -> Any:
    if _is_api():
        resp = jsonify({"error": {"status": 401, "title": "Unauthorized", "message": str(message)}})
        resp.status_code = 401
        resp.headers["WWW-Authenticate"] = 'Bearer realm="lotura"'
        return resp
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _token_user() -> User | None:
    """The owner of the request's bearer token (cached for the request)."""
    if "auth_token_user" in g:
        return cast(User | None, g.auth_token_user)
    token = _bearer()
    user = None
    if token:
        rec = users.check_token(graph(), token)
        if rec is not None:
            user = User(rec.user, rec.role)
    g.auth_token_user = user
    return user


def current_principal() -> User | None:
    """The acting user: the bearer token's owner on /api/ paths, else the session's."""
    if _is_api() and _bearer() is not None:
        return _token_user()
    if current_user.is_authenticated:
        return cast(User, current_user._get_current_object())  # type: ignore[attr-defined]
    if g.get("auth_db_down"):
        raise DatabaseUnavailable("Neo4j is not reachable: cannot check who you are")
    return None


def _check(roles: tuple[str, ...]) -> Any:
    """None when allowed, else the response to return."""
    principal = current_principal()
    if principal is None:
        return _unauthorised(_l("Please log in."))
    if not principal.has_role(*roles):
        raise Forbidden(str(_l("Your role does not allow this.")))
    g.principal = principal
    return None


def require_role(*roles: str) -> Callable[[F], F]:
    """Allow the view to users holding one of ``roles`` (or a stronger one)."""
    for r in roles:
        users.check_role(r)

    def deco(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            denied = _check(roles)
            if denied is not None:
                return denied
            return view(*args, **kwargs)

        wrapped.lotura_roles = roles  # type: ignore[attr-defined]
        return cast(F, wrapped)

    return deco


# -- app wiring ------------------------------------------------------------------


class _SessionInterface(SecureCookieSessionInterface):
    """Secure cookies per LOTURA_SECURE_COOKIES: on, off, or auto (on over HTTPS)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        mode = app.config.get("LOTURA_SECURE_COOKIES", "auto")
        if mode == "auto":
            return bool(request and request.is_secure)
        return bool(mode)


def _csrf_check() -> None:
    """Flask-WTF's global check, minus API requests that carry a bearer token."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if _is_api() and _bearer() is not None:
        return
    csrf.protect(apply_exemptions=True)


def _bad_token_rule() -> Any:
    """401 for an API request whose bearer token is not valid, public site or not.

    Serving it as anonymous would hide the mistake (a revoked or mistyped token) from
    the program that sent it, and answer differently once the site goes private.
    """
    if not _is_api() or _bearer() is None:
        return None
    if _token_user() is None:
        return _unauthorised(_l("The API token is not valid or has been revoked."))
    return None


def _public_rule() -> Any:
    denied = _bad_token_rule()
    if denied is not None:
        return denied
    if current_app.config.get("LOTURA_PUBLIC", True):
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if current_user.is_authenticated:
        return None
    if _is_api() and _bearer() is not None:
        return None  # a valid token: _bad_token_rule let it through
    if g.get("auth_db_down"):
        raise DatabaseUnavailable("Neo4j is not reachable: cannot check who you are")
    return _unauthorised(_l("Please log in."))


def _hsts(resp: Any) -> Any:
    if request.is_secure:
        resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint in {"auth.login", "auth.logout"} or request.path.startswith("/admin"):
        resp.headers.setdefault("Cache-Control", "no-store")
    return resp


def _login_name_key() -> str:
    return "login-name:" + (request.form.get("name") or "").strip().lower()[:64]


def init_app(app: Flask) -> None:
    """Wire login, CSRF, cookies and rate limits into ``app``; call it after the
    blueprints are registered (it rate-limits the login view and the API blueprint)."""
    n = int(app.config.get("LOTURA_PROXY_FIX") or 0)
    if n > 0 and not app.config.get("LOTURA_PROXY_FIXED"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
        app.config["LOTURA_PROXY_FIXED"] = True
    app.session_interface = _SessionInterface()
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["LOTURA_SECURE_COOKIES"] is True
    app.config["SESSION_COOKIE_SECURE"] = app.config["LOTURA_SECURE_COOKIES"] is True

    login_manager.init_app(app)

    # CSRF: our own check replaces Flask-WTF's default one (same rules, plus the
    # bearer-token exemption for the API).
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(_csrf_check)
    # First of all: before web.core's routing check (404/405) and the CSRF check, so that
    # an anonymous request on a private site cannot tell known addresses from unknown.
    app.before_request_funcs.setdefault(None, []).insert(0, _public_rule)
    app.after_request(_hsts)

    lim = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config.get("RATELIMIT_STORAGE_URI", "memory://"),
        headers_enabled=True,
        default_limits=[],
        key_prefix="lotura",
    )
    app.extensions["lotura_limiter"] = lim
    login_view = app.view_functions.get("auth.login")
    if login_view is not None:
        limited = lim.limit(app.config["LOTURA_RATELIMIT_LOGIN"], methods=["POST"])(login_view)
        limited = lim.limit(
            app.config["LOTURA_RATELIMIT_LOGIN"],
            methods=["POST"],
            key_func=_login_name_key,
            scope="login-name",
        )(limited)
        app.view_functions["auth.login"] = limited
    api_bp = app.blueprints.get("api")
    if api_bp is not None:
        lim.limit(app.config["LOTURA_RATELIMIT_API"])(api_bp)

    @app.context_processor
    def _auth_globals() -> dict[str, Any]:
        return {"has_admin_pages": "admin.index" in current_app.view_functions}
