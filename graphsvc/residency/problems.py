"""Problems of the residency files (and of locks and forbids) in the user's language.

Each problem found while reading ``HOSTS.csv``/``APPLICANTS.csv`` or checking the
organiser's locked and forbidden pairs is a :class:`~graphsvc.errors.Problem` with a
stable ``code`` and its ``params`` (plain data), as well as the English ``message`` that
the command line and the logs show. :func:`render_problem` renders it again with the
translation functions it is given (Flask-Babel's in the web app), following
:mod:`graphsvc.residency.explain`: literal message ids with ``%(name)s`` placeholders so
that ``pybabel extract`` finds them, and ``gettext(msgid, **variables)``. The English
message is made by the same function with :func:`~graphsvc.residency.explain.plain_gettext`,
so the two never drift apart.

Codes
-----
Files: ``not_utf8``, ``empty_file``, ``unreadable_csv`` (reason, detail; see
:func:`csv_syntax`), ``unknown_column``
(columns), ``duplicate_column``, ``missing_column``, ``too_many_rows`` (max),
``too_many_cells`` (cells, columns), ``required``, ``required_without_organisation``,
``bad_id`` (value), ``duplicate_id`` (value, line), ``unknown_language`` (value),
``no_language``, ``no_period``, ``bad_period`` (value), ``unknown_territory`` (value),
``territory_not_looked_up``, ``territory_not_in_graph``, ``territory_not_known``
(organisation), ``territory_required``, ``bad_places`` (value, max), ``unknown_host``
(value), ``unknown_applicant`` (value).

Locks and forbids (each with pair): ``pair_no_applicant`` (applicant), ``pair_no_host``
(host), ``pair_no_period`` (host, period), ``lock_twice`` (applicant, lock),
``lock_forbidden``, ``lock_same_territory`` (territory), ``lock_no_language``,
``lock_no_topic``, ``lock_no_places``, ``lock_full`` (host).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from graphsvc.errors import Problem
from graphsvc.residency.explain import Gettext, Ngettext, plain_gettext, plain_ngettext

__all__ = ["CODES", "csv_syntax", "problem", "render_field", "render_message", "render_problem", "translated"]

CODES = (
    "not_utf8", "empty_file", "unreadable_csv", "unknown_column", "duplicate_column", "missing_column",
    "too_many_rows", "too_many_cells", "required", "required_without_organisation", "bad_id", "duplicate_id",
    "unknown_language", "no_language", "no_period", "bad_period", "unknown_territory", "territory_not_looked_up",
    "territory_not_in_graph", "territory_not_known", "territory_required", "bad_places", "unknown_host",
    "unknown_applicant", "pair_no_applicant", "pair_no_host", "pair_no_period", "lock_twice", "lock_forbidden",
    "lock_same_territory", "lock_no_language", "lock_no_topic", "lock_no_places", "lock_full",
)


# Python's csv module describes its errors in English only; the ones our reader can meet
# get a short reason of their own so that the sentence can be translated whole.
_FIELD_LIMIT = re.compile(r"field larger than field limit \((\d+)\)")
_AFTER_QUOTE = re.compile(r"'.+' expected after '\"'")


def csv_syntax(error: str) -> dict[str, Any]:
    r"""The params of an ``unreadable_csv`` problem from the csv module's message.

    ``reason`` is ``cell_too_long`` (with ``limit``, in characters), ``unclosed_quote``,
    ``text_after_quote`` or ``other``; ``detail`` keeps Python's own (English) message,
    which only ``other`` shows. The files are read strictly (``strict=True``,
    ``newline=""``): a quotation mark left open fails at the end of the file, or as a
    cell too long when the rest of the file is longer than the limit (hence the hint in
    that message), and text after a closing quotation mark fails where it is.

    >>> csv_syntax("field larger than field limit (131072)")
    {'reason': 'cell_too_long', 'limit': 131072, 'detail': 'field larger than field limit (131072)'}
    >>> csv_syntax("unexpected end of data")["reason"], csv_syntax("';' expected after '\"'")["reason"]
    ('unclosed_quote', 'text_after_quote')
    >>> csv_syntax("line contains NUL")
    {'reason': 'other', 'detail': 'line contains NUL'}
    """
    m = _FIELD_LIMIT.search(error)
    if m:
        return {"reason": "cell_too_long", "limit": int(m.group(1)), "detail": error}
    if error == "unexpected end of data":
        return {"reason": "unclosed_quote", "detail": error}
    if _AFTER_QUOTE.fullmatch(error):
        return {"reason": "text_after_quote", "detail": error}
    return {"reason": "other", "detail": error}


def _q(value: Any) -> str:
    """A value of the file as the messages quote it (``'Atlantis'``)."""
    return repr(str(value))


def render_message(code: str, params: Mapping[str, Any], gettext: Gettext = plain_gettext,
                   ngettext: Ngettext = plain_ngettext) -> str | None:
    """The message of a problem code with its params; None for an unknown code.

    >>> render_message("duplicate_id", {"value": "h1", "line": 2})
    "'h1' is already used on line 2"
    >>> render_message("too_many_cells", {"cells": 9, "columns": 8})
    '9 cells but 8 columns'
    """
    p = params
    # files and rows
    if code == "not_utf8":
        return gettext("the file is not UTF-8 text: save it as CSV UTF-8")
    if code == "empty_file":
        return gettext("the file is empty; the first line must name the columns")
    if code == "unreadable_csv":
        if p.get("reason") == "cell_too_long":
            return gettext("unreadable CSV: a cell is longer than %(limit)s characters (is a quotation mark left "
                           "open?)", limit=p["limit"])
        if p.get("reason") == "unclosed_quote":
            return gettext("unreadable CSV: a quotation mark opened in this row is never closed")
        if p.get("reason") == "text_after_quote":
            return gettext("unreadable CSV: text after a closing quotation mark (in a quoted cell, write a "
                           "quotation mark as two)")
        return gettext("unreadable CSV: %(error)s", error=p["detail"])
    if code == "unknown_column":
        return gettext("unknown column (the columns are %(columns)s)", columns=", ".join(p["columns"]))
    if code == "duplicate_column":
        return gettext("the column appears twice")
    if code == "missing_column":
        return gettext("missing column")
    if code == "too_many_rows":
        return gettext("more than %(max)s rows", max=p["max"])
    if code == "too_many_cells":
        return ngettext("%(cells)s cells but %(num)d column", "%(cells)s cells but %(num)d columns",
                        int(p["columns"]), cells=p["cells"])
    # cells
    if code == "required":
        return gettext("required")
    if code == "required_without_organisation":
        return gettext("required when no organisation is given")
    if code == "bad_id":
        return gettext("%(value)s: use letters, digits, '.', '_' or '-' (at most 64)", value=_q(p["value"]))
    if code == "duplicate_id":
        return gettext("%(value)s is already used on line %(line)s", value=_q(p["value"]), line=p["line"])
    if code == "unknown_language":
        return gettext("unknown language %(value)s (use codes such as eu, es, fr, en)", value=_q(p["value"]))
    if code == "no_language":
        return gettext("at least one language is required")
    if code == "no_period":
        return gettext("at least one period is required")
    if code == "bad_period":
        return gettext("%(value)s: use letters, digits, '.', '_' or '-'", value=_q(p["value"]))
    if code == "unknown_territory":
        return gettext("unknown territory %(value)s (use ES21, ES22, FRI or a NUTS code)", value=_q(p["value"]))
    if code == "territory_not_looked_up":
        return gettext("required: organisation %(organisation)s could not be looked up (no graph): give the territory",
                       organisation=_q(p["organisation"]))
    if code == "territory_not_in_graph":
        return gettext("required: organisation %(organisation)s is not in the graph", organisation=_q(p["organisation"]))
    if code == "territory_not_known":
        return gettext("required: organisation %(organisation)s has no known territory in the graph",
                       organisation=_q(p["organisation"]))
    if code == "territory_required":
        return gettext("required when no organisation of the graph is given")
    if code == "bad_places":
        return gettext("%(value)s: a whole number from 0 to %(max)s", value=_q(p["value"]), max=p["max"])
    if code == "unknown_host":
        return gettext("no host with id %(value)s", value=_q(p["value"]))
    if code == "unknown_applicant":
        return gettext("no applicant with id %(value)s", value=_q(p["value"]))
    # locked and forbidden pairs
    if code == "pair_no_applicant":
        return gettext("%(pair)s: no applicant %(applicant)s", pair=p["pair"], applicant=_q(p["applicant"]))
    if code == "pair_no_host":
        return gettext("%(pair)s: no host %(host)s", pair=p["pair"], host=_q(p["host"]))
    if code == "pair_no_period":
        return gettext("%(pair)s: host %(host)s does not offer period %(period)s", pair=p["pair"], host=p["host"],
                       period=_q(p["period"]))
    if code == "lock_twice":
        return gettext("%(pair)s: applicant %(applicant)s is already locked (lock %(lock)s)", pair=p["pair"],
                       applicant=p["applicant"], lock=p["lock"])
    if code == "lock_forbidden":
        return gettext("%(pair)s: the pair is also forbidden", pair=p["pair"])
    if code == "lock_same_territory":
        return gettext("%(pair)s: both are in %(territory)s (the cross-border rule)", pair=p["pair"],
                       territory=p["territory"])
    if code == "lock_no_language":
        return gettext("%(pair)s: no shared language", pair=p["pair"])
    if code == "lock_no_topic":
        return gettext("%(pair)s: no shared topic", pair=p["pair"])
    if code == "lock_no_places":
        return gettext("%(pair)s: no shared period with places", pair=p["pair"])
    if code == "lock_full":
        return gettext("%(pair)s: host %(host)s has no place left in a shared period", pair=p["pair"], host=p["host"])
    return None


def problem(file: str, line: int, field: str, code: str, /, **params: Any) -> Problem:
    """A :class:`~graphsvc.errors.Problem` with its code, params and English message.

    >>> p = problem("HOSTS.csv", 2, "places", "bad_places", value="two", max=1000)
    >>> str(p), p.code, p.params
    ("HOSTS.csv:2: places: 'two': a whole number from 0 to 1000", 'bad_places', {'value': 'two', 'max': 1000})
    """
    message = render_message(code, params)
    if message is None:
        raise ValueError(f"unknown problem code {code!r}")
    return Problem(file, line, field, message, code=code, params=params)


def render_problem(item: Problem, gettext: Gettext = plain_gettext, ngettext: Ngettext = plain_ngettext) -> str:
    """The message of a problem in the language of ``gettext``/``ngettext``.

    A problem without a code (or with a code of another part of Lotura) keeps its message.

    >>> render_problem(problem("APPLICANTS.csv", 3, "periods", "no_period"))
    'at least one period is required'
    >>> render_problem(Problem("x.csv", 1, "id", "made elsewhere"))
    'made elsewhere'
    """
    if not item.code:
        return item.message
    message = render_message(item.code, item.params or {}, gettext, ngettext)
    return item.message if message is None else message


def render_field(name: str, gettext: Gettext = plain_gettext) -> str:
    """The name of a pseudo-field (not a column) in the user's language; columns are kept.

    Column names stay as they are: they are what the file's header must say.

    >>> render_field("encoding"), render_field("places")
    ('encoding', 'places')
    """
    # One literal call per name so that each is extracted for translation.
    if name == "encoding":
        return gettext("encoding")
    if name == "header":
        return gettext("header")
    if name == "row":
        return gettext("row")
    if name == "rows":
        return gettext("rows")
    if name == "lock":
        return gettext("lock")
    if name == "forbid":
        return gettext("forbid")
    return name


def translated(item: Problem, gettext: Gettext, ngettext: Ngettext) -> Problem:
    """A copy of the problem with its message and pseudo-field and -file names translated."""
    return dataclasses.replace(item, file=render_field(item.file, gettext), field=render_field(item.field, gettext),
                               message=render_problem(item, gettext, ngettext))
