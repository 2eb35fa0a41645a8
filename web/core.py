"""What every page shares: the graph, languages, security headers, errors."""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import Babel, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from graphsvc.db import Graph
from graphsvc.errors import InvalidInput, LoturaError
from graphsvc.regions import territory_name
from graphsvc.settings import LANGUAGES

log = logging.getLogger("lotura.web")
LANG_COOKIE = "lotura_lang"
LANGUAGE_NAMES = {"eu": "Euskara", "es": "Español", "fr": "Français", "en": "English"}

babel = Babel()
csrf = CSRFProtect()

# (endpoint, label) of the main navigation; entries whose endpoint is not registered
# are left out, so the menu shows only what this build serves.
NAV = [
    ("dashboard.index", _l("Dashboard")),
    ("directory.index", _l("Directory")),
    ("finder.index", _l("Partner finder")),
    ("analytics.communities", _l("Communities")),
    ("analytics.gaps", _l("Skills gaps")),
    ("maps.index", _l("Maps")),
    ("residency.index", _l("Residencies")),
    ("queries.index", _l("Saved queries")),
]


def graph() -> Graph:
    """The process's Graph, made by :func:`web.create_app`."""
    return current_app.extensions["lotura"]


def select_locale() -> str:
    """``?lang=`` first, then the cookie, then Accept-Language, then the default."""
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    cookie = (request.cookies.get(LANG_COOKIE) or "").strip().lower()
    if cookie in LANGUAGES:
        return cookie
    best = request.accept_languages.best_match(LANGUAGES)
    if best:
        return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_lang() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def wants_json() -> bool:
    return request.path.startswith("/api/")


def lang_url(code: str) -> str:
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _security_headers(resp: Response) -> Response:
    nonce = g.get("csp_nonce")
    script_src = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    resp.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src {script_src}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
    )
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    resp.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    resp.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in LANGUAGES and request.cookies.get(LANG_COOKIE) != asked:
        resp.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    if not wants_json():
        resp.headers.setdefault("Content-Language", current_lang())
    return resp


def error_response(status: int, title: str, message: str, field: str | None = None, *,
                   as_json: bool | None = None) -> Any:
    """The error page, or the JSON API's ``{"error": {...}}`` (``as_json``; by default
    for the API's addresses)."""
    if wants_json() if as_json is None else as_json:
        body: dict[str, Any] = {"error": {"status": status, "title": title, "message": message}}
        if field:
            body["error"]["field"] = field
        return jsonify(body), status
    return render_template("errors/error.html", status=status, title=title, message=message, field=field), status


def _titles() -> dict[int, Any]:
    return {
        400: _l("Bad request"),
        401: _l("Please log in"),
        403: _l("Not allowed"),
        404: _l("Not found"),
        405: _l("Method not allowed"),
        409: _l("Conflict"),
        413: _l("File too large"),
        429: _l("Too many requests"),
        500: _l("Something went wrong"),
        503: _l("The database is unavailable"),
    }


def lotura_error(exc: LoturaError, *, as_json: bool | None = None) -> Any:
    """How a Lotura error is answered: its status, a translated title, its message (a
    generic one for 5xx, which are logged), the field of a bad parameter."""
    status = exc.http_status
    title = str(_titles().get(status, _titles()[500]))
    message = str(exc)
    if status == 503:
        message = str(_l("Lotura cannot reach its Neo4j database right now. The page will work again as soon as the database is back."))
    elif status >= 500:
        log.exception("internal error")
        message = str(_l("An unexpected error occurred. It has been logged."))
    field = exc.field if isinstance(exc, InvalidInput) else None
    return error_response(status, title, message, field, as_json=as_json)


def _handle_http(exc: HTTPException) -> Any:
    status = exc.code or 500
    title = str(_titles().get(status, exc.name))
    if status == 404:
        message = str(_l("There is nothing at this address."))
    elif status == 405:
        message = str(_l("This address does not accept this method."))
    elif status == 429:
        message = str(_l("Too many requests: please wait a moment and try again."))
    elif status == 413:
        message = str(_l("The upload is larger than allowed."))
    else:
        message = exc.description or title
    body, code = error_response(status, title, message)
    resp = current_app.make_response((body, code))
    # Keep the exception's own headers: Allow on 405 (RFC 9110), Retry-After on 429.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            resp.headers[name] = value
    return resp


def _routing_first() -> None:
    """An unknown address or method is answered (404/405 with Allow) before any other
    check, such as CSRF on a POST to a GET-only API route."""
    exc = request.routing_exception
    if isinstance(exc, MethodNotAllowed | NotFound):
        raise exc


def _handle_csrf(exc: CSRFError) -> Any:
    return error_response(400, str(_titles()[400]), str(_l("The form expired or was not sent from Lotura (missing CSRF token). Reload the page and try again.")))


def _handle_any(exc: Exception) -> Any:
    log.exception("unhandled error")
    return error_response(500, str(_titles()[500]), str(_l("An unexpected error occurred. It has been logged.")))


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    app.before_request(_routing_first)
    app.after_request(_security_headers)
    app.register_error_handler(LoturaError, lotura_error)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_any)

    @app.context_processor
    def _globals() -> dict[str, Any]:
        nav = [(ep, label) for ep, label in NAV if ep in current_app.view_functions]
        return {
            "nav": nav,
            "languages": LANGUAGE_NAMES,
            "current_lang": current_lang(),
            "lang_url": lang_url,
            "csp_nonce": csp_nonce,
        }

    app.jinja_env.filters["territory"] = lambda code: territory_name(code, current_lang())
    app.jinja_env.filters["number"] = lambda v: format_decimal(v) if v is not None else ""

    from web import labels

    labels.init_app(app)
