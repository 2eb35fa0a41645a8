"""Helpers the pages and the JSON API share: strict parameters, the read cache, CSV.

* Parameters: every ``arg_*`` reads one query-string field and raises
  :class:`graphsvc.errors.InvalidInput` naming the field when the value is bad, so a bad
  parameter always gives a 400 that says which field (a page or JSON, see ``web.core``).
* Cache: the graph changes only when a load or an analysis runs, and both bump the
  ``(:Meta {id: 'graph'})`` version. Read results are cached per process under a key that
  includes that version (looked up at most once per ``LOTURA_VERSION_TTL`` seconds), so a
  load is visible within that delay and nothing stale survives it.
* CSV: cells that a spreadsheet would run as a formula (``= + - @``, tab, CR) are
  neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date, datetime
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, g, make_response, request, session
from flask_babel import gettext as _
from neo4j.time import Date as Neo4jDate
from neo4j.time import DateTime as Neo4jDateTime

from graphsvc.csvsafe import safe_cell
from graphsvc.db import Graph
from graphsvc.errors import InvalidInput
from graphsvc.regions import TERRITORIES
from graphsvc.settings import flag

T = TypeVar("T")

KINDS = ("university", "research", "company", "public", "vet", "cluster", "other")
SCOPES = ("euroregion", "abroad", "any")
# Directory territory filter: one of the three, the Euroregion as a whole, the rest of
# the world, or everything.
TERRITORY_FILTERS = ("euroregion", *TERRITORIES, "outside", "all")
MAX_TEXT = 200
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


# -- parameters -----------------------------------------------------------------------
# Pages are lenient where forms need it (an empty field means "not given"; yes/no/on/off
# for checkboxes); the JSON API is strict (``strict_params()``): a value is either valid
# for its documented schema or a 400 naming the field.
_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def strict_params() -> bool:
    return bool(g.get("strict_params", False))


def _bad(message: str, name: str) -> InvalidInput:
    return InvalidInput(message, field=name)


def _raw(name: str, args: Any = None) -> str | None:
    """The one value given for ``name``; None when absent (or empty, on pages)."""
    args = request.args if args is None else args
    values = args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise _bad(_("%(field)s is given more than once.", field=name), name)
    value = values[0]
    if not strict_params() and value.strip() == "":
        return None
    return value


def arg_str(
    name: str, default: str | None = None, *, max_len: int = MAX_TEXT, min_len: int = 0, args: Any = None
) -> str | None:
    """A free-text field (returned stripped); absent or blank means ``default``."""
    value = _raw(name, args)
    if value is None:
        return default
    if len(value) > max_len:
        raise _bad(_("%(field)s is too long (at most %(max)d characters).", field=name, max=max_len), name)
    if len(value) < min_len:
        raise _bad(_("%(field)s must not be empty.", field=name), name)
    return value.strip() or default


def arg_int(name: str, default: int, *, lo: int, hi: int, args: Any = None) -> int:
    value = _raw(name, args)
    if value is None:
        return default
    v = value if strict_params() else value.strip()
    if not _INT.fullmatch(v):
        raise _bad(_("%(field)s must be a whole number.", field=name), name)
    n = int(v)
    if not lo <= n <= hi:
        raise _bad(_("%(field)s must be between %(lo)d and %(hi)d.", field=name, lo=lo, hi=hi), name)
    return n


def arg_float(name: str, default: float, *, lo: float, hi: float, args: Any = None) -> float:
    value = _raw(name, args)
    if value is None:
        return default
    v = value if strict_params() else value.strip()
    if not _FLOAT.fullmatch(v):
        raise _bad(_("%(field)s must be a number.", field=name), name)
    x = float(v)
    if not (math.isfinite(x) and lo <= x <= hi):
        raise _bad(_("%(field)s must be between %(lo)s and %(hi)s.", field=name, lo=lo, hi=hi), name)
    return x


def arg_bool(name: str, default: bool = False, *, args: Any = None) -> bool:
    value = _raw(name, args)
    if value is None:
        return default
    v = value if strict_params() else value.strip().lower()
    if v == "true" or (not strict_params() and v in TRUE_WORDS):
        return True
    if v == "false" or (not strict_params() and v in FALSE_WORDS):
        return False
    raise _bad(_("%(field)s must be true or false.", field=name), name)


def arg_choice(name: str, choices: Sequence[str], default: str | None = None, *, args: Any = None) -> str | None:
    value = _raw(name, args)
    if value is None:
        return default
    v = value if strict_params() else value.strip()
    return check_choice(name, v, choices)


def check_choice(name: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise _bad(_("%(field)s must be one of: %(choices)s.", field=name, choices=", ".join(choices)), name)
    return value


# -- values from Neo4j ------------------------------------------------------------------
def plain(value: Any) -> Any:
    """Neo4j temporal values as Python ones, recursively (for templates and JSON)."""
    if isinstance(value, Neo4jDateTime | Neo4jDate):
        return value.to_native()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def jsonable(value: Any) -> Any:
    """``plain`` plus dates as ISO strings and non-finite floats as null."""
    value = plain(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


# -- the read cache ---------------------------------------------------------------------
class ReadCache:
    """A small LRU of read results keyed by the graph's version."""

    def __init__(self, graph: Graph, ttl: float = 1.0, maxsize: int = 1024) -> None:
        self.graph = graph
        self.ttl = ttl
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._flights: dict[Hashable, threading.Lock] = {}
        self._state: tuple[Any, ...] | None = None
        self._state_at = 0.0

    def state(self) -> tuple[Any, ...]:
        """The graph's (version, changed_at, analysed_at), refreshed every ``ttl`` s."""
        now = time.monotonic()
        if self._state is not None and now - self._state_at < self.ttl:
            return self._state
        row = self.graph.read_one("web/version") or {}
        state = (row.get("version"), str(row.get("changed_at")), str(row.get("analysed_at")))
        with self._lock:
            if state != self._state:
                self._items.clear()
            self._state, self._state_at = state, now
        return state

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value, or ``compute()`` run once however many threads ask at once."""
        full = (self.state(), key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]
            flight = self._flights.setdefault(full, threading.Lock())
        with flight:
            with self._lock:
                if full in self._items:
                    return self._items[full]
            try:
                value = compute()
                with self._lock:
                    self._items[full] = value
                    while len(self._items) > self.maxsize:
                        self._items.popitem(last=False)
            finally:
                with self._lock:
                    self._flights.pop(full, None)
        return value

    def peek(self, key: Hashable) -> Any:
        """The value cached under ``key`` for the current graph state, or None."""
        full = (self.state(), key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        full = (self.state(), key)
        with self._lock:
            self._items[full] = value
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._state = None


def cache() -> ReadCache:
    ext = current_app.extensions
    if "lotura_web_cache" not in ext:
        ext["lotura_web_cache"] = ReadCache(
            ext["lotura"],
            ttl=float(current_app.config["LOTURA_VERSION_TTL"]),
            maxsize=int(current_app.config["LOTURA_CACHE_SIZE"]),
        )
    return ext["lotura_web_cache"]


def page_cache_enabled() -> bool:
    """``LOTURA_PAGE_CACHE`` of the app's config (set from the Settings by ``create_app``)."""
    value = current_app.config["LOTURA_PAGE_CACHE"]
    if isinstance(value, str):  # a config given as text reads as the variable would
        return flag(value, True)
    return bool(value)


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    return cache().get(key, compute)


def page_cached(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a rendered page again to anonymous readers while the graph is unchanged.

    The key is the graph's version, the language and the full URL. Only pages that a
    visitor without a session gets with status 200 are kept, and only when rendering
    touched neither the session (CSRF tokens, flashes) nor a CSP nonce (inline scripts
    carry a fresh nonce each time). ``LOTURA_PAGE_CACHE=0`` (Settings or app config) turns it off.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from web.core import current_lang

        app = current_app
        if (not page_cache_enabled() or request.method != "GET"
                or app.config["SESSION_COOKIE_NAME"] in request.cookies):
            return view(*args, **kwargs)
        key = ("page", current_lang(), request.full_path)
        c = cache()
        hit = c.peek(key)
        if hit is not None:
            resp = Response(hit, mimetype="text/html")
        else:
            resp = make_response(view(*args, **kwargs))
            if (resp.status_code == 200 and resp.mimetype == "text/html" and not resp.direct_passthrough
                    and "csp_nonce" not in g and not session.modified):
                c.put(key, resp.get_data())
        resp.vary.add("Accept-Language")
        resp.vary.add("Cookie")
        return resp

    return wrapped


# -- CSV ----------------------------------------------------------------------------------
def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with every cell through :func:`graphsvc.csvsafe.safe_cell` (no formulas).

    >>> csv_text(["Name", "Projects"], [["=HYPERLINK(1)", 3], ["-x", None]]).splitlines()
    ['Name,Projects', "'=HYPERLINK(1),3", "'-x,"]
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe_cell(h) for h in headers])
    for row in rows:
        w.writerow([safe_cell(_cell(v)) for v in row])
    return buf.getvalue()


def _cell(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    # A byte-order mark so that spreadsheets open the UTF-8 (accents, Basque) correctly.
    body = "\ufeff" + csv_text(headers, rows)
    resp = Response(body, mimetype="text/csv")
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


# -- paging -------------------------------------------------------------------------------
def page_count(total: int, per_page: int) -> int:
    """
    >>> page_count(0, 20), page_count(20, 20), page_count(21, 20)
    (1, 1, 2)
    """
    return max(1, math.ceil(total / per_page))
