"""Reading CSV files with exact line numbers and collecting every problem.

:class:`Table` reads one CSV file (``.csv`` or ``.csv.gz``, any delimiter) and yields
:class:`Record` objects that know the physical line where they start (a quoted field
spanning lines counts every line). Structural problems (missing column, broken
quoting, wrong number of fields, bytes that are not UTF-8) are collected, not raised.
:class:`Check` validates the fields of one record and collects the field problems.
:class:`Parsed` holds the rows a parser produced, the problems, and the rejected
records, and decides whether a load may go on.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from graphsvc.csvsafe import allow_long_cells
from graphsvc.errors import InvalidInput, Problem

__all__ = ["Record", "Table", "Check", "Parsed", "display_name", "ROW", "QUOTING", "ENCODING"]

#: Pseudo field names for problems that concern a whole row or file.
ROW = "(row)"
QUOTING = "(quoting)"
ENCODING = "(encoding)"
FILE = "(file)"

_REPO = Path(__file__).resolve().parent.parent
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][0-9:.]+Z?)?$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})

allow_long_cells()  # CORDIS objectives and RNSR lists are longer than the csv default


def display_name(path: Path) -> str:
    """How a file is named in messages and provenance: relative to the project when it
    lies inside it, else as given.

    >>> display_name(Path("/nowhere/x.csv"))
    '/nowhere/x.csv'
    """
    try:
        return str(path.resolve().relative_to(_REPO))
    except ValueError:
        return str(path)


@dataclass
class Record:
    """One record of a CSV file: where it starts and its fields by column name."""

    line: int
    values: dict[str, str]
    raw: list[str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


class Table:
    """One CSV file, read record by record, with its problems.

    Parameters
    ----------
    path : Path
        The file; ``.gz`` files are decompressed transparently.
    delimiter : str
        ``";"`` for CORDIS, ``","`` for the templates, ``"\\t"`` for TSV.
    required : sequence of str
        Columns that must be in the header; a missing one is a problem on line 1 and
        no record is read.
    """

    def __init__(self, path: Path, *, delimiter: str = ",", required: Sequence[str] = ()) -> None:
        self.path = path
        self.name = display_name(path)
        self.delimiter = delimiter
        self.required = list(required)
        self.header: list[str] = []
        self.problems: list[Problem] = []
        self.records_read = 0
        self.bad_records: list[tuple[int, list[str], str]] = []

    def problem(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, field, message))

    def _lines(self) -> Iterator[str]:
        opener: Callable[..., Any] = gzip.open if self.path.name.endswith(".gz") else open
        try:
            f = opener(self.path, "rb")
        except FileNotFoundError:
            self.problem(0, FILE, "no such file")
            return
        with f:
            n = 0
            try:
                for n, raw in enumerate(f, 1):
                    if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                        raw = raw[3:]
                    try:
                        yield raw.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        self.problem(n, ENCODING, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                                                  f"{exc.start + 1}); save the file as UTF-8")
                        yield raw.decode("utf-8", errors="replace")
            except (OSError, EOFError) as exc:  # a truncated or corrupt .gz
                self.problem(n + 1, FILE, f"cannot read the file: {exc}")

    def __iter__(self) -> Iterator[Record]:
        reader = csv.reader(self._lines(), delimiter=self.delimiter, strict=True)
        header_seen = False
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self.problem(start, QUOTING, f"broken quoting in the record starting here ({exc})")
                self.bad_records.append((start, [], "broken quoting"))
                continue
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if not header_seen:
                header_seen = True
                self.header = [h.strip() for h in fields]
                missing = [c for c in self.required if c not in self.header]
                for c in missing:
                    self.problem(start, c, f"missing column (the header has: {', '.join(self.header)})")
                if missing:
                    return
                continue
            self.records_read += 1
            if len(fields) != len(self.header):
                self.problem(start, ROW, f"expected {len(self.header)} fields, found {len(fields)} "
                                         "(a stray delimiter or broken quoting?)")
                self.bad_records.append((start, fields, "wrong number of fields"))
                continue
            yield Record(start, dict(zip(self.header, fields, strict=True)), fields)
        if not header_seen and not any(p.field == FILE for p in self.problems):
            self.problem(1, FILE, "the file is empty (no header)")


class Check:
    """Validates the fields of one record, collecting every problem.

    >>> t = Table(Path("x.csv"))
    >>> c = Check(t, Record(7, {"start": "2024-02-30", "n": "12,5"}, []))
    >>> c.date("start"), c.number("n")
    (None, 12.5)
    >>> [str(p) for p in c.problems]
    ["x.csv:7: start: bad date '2024-02-30' (expected YYYY-MM-DD)"]
    """

    def __init__(self, table: Table, record: Record) -> None:
        self.table = table
        self.record = record
        self.problems: list[Problem] = []

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.table.name, self.record.line, column, message))

    def text(self, column: str, *, required: bool = False, max_len: int | None = None) -> str | None:
        value = self.record.get(column)
        if not value:
            if required:
                self.add(column, "required, but empty")
            return None
        if max_len is not None and len(value) > max_len:
            self.add(column, f"too long ({len(value)} characters, at most {max_len})")
            return None
        return value

    def pattern(self, column: str, regex: re.Pattern[str], what: str, *, required: bool = False) -> str | None:
        value = self.text(column, required=required)
        if value is not None and not regex.match(value):
            self.add(column, f"bad {what} {value!r}")
            return None
        return value

    def date(self, column: str, *, required: bool = False) -> date | None:
        value = self.text(column, required=required)
        if value is None:
            return None
        m = _DATE.match(value)
        try:
            if not m:
                raise ValueError(value)
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            self.add(column, f"bad date {value!r} (expected YYYY-MM-DD)")
            return None

    def number(self, column: str, *, required: bool = False, minimum: float | None = None) -> float | None:
        value = self.text(column, required=required)
        if value is None:
            return None
        if not _NUMBER.match(value):
            self.add(column, f"bad number {value!r}")
            return None
        result = float(value.replace(",", "."))
        if minimum is not None and result < minimum:
            self.add(column, f"must be at least {minimum:g}, got {value}")
            return None
        return result

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = self.text(column, required=required)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            self.add(column, f"bad whole number {value!r}")
            return None

    def boolean(self, column: str, *, default: bool | None = None) -> bool | None:
        value = self.text(column)
        if value is None:
            return default
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        self.add(column, f"bad true/false value {value!r}")
        return default

    def choice(self, column: str, allowed: Mapping[str, Any] | Collection[str], *, what: str,
               required: bool = False) -> Any:
        """The value mapped through ``allowed`` (a mapping) or checked against it (a set)."""
        value = self.text(column, required=required)
        if value is None:
            return None
        if value not in allowed:
            shown = ", ".join(sorted(allowed))
            self.add(column, f"unknown {what} {value!r} (one of: {shown})")
            return None
        return allowed[value] if isinstance(allowed, Mapping) else value

    def latlon(self, column: str) -> tuple[float | None, float | None]:
        """A ``lat,lon`` pair (CORDIS geolocation, MESR coordonnees)."""
        value = self.text(column)
        if value is None:
            return None, None
        parts = value.split(",")
        try:
            if len(parts) != 2:
                raise ValueError(value)
            lat, lon = float(parts[0]), float(parts[1])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(value)
        except ValueError:
            self.add(column, f"bad coordinates {value!r} (expected 'lat,lon')")
            return None, None
        return lat, lon


@dataclass
class Parsed:
    """What a parser produced: rows per table, every problem, rejected records."""

    source: str
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rejects: dict[Path, tuple[list[str], list[tuple[list[str], str]]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: The file each table came from (for provenance), when rows do not say.
    origin: dict[str, str] = field(default_factory=dict)

    @property
    def rows_rejected(self) -> int:
        return sum(len(rows) for _, rows in self.rejects.values())

    def add_table(self, table: Table) -> None:
        """Count a file that was read, keep its problems and its unreadable records."""
        self.files.append(table.name)
        self.rows_read += table.records_read
        self.problems.extend(table.problems)
        for _, raw, why in table.bad_records:
            self.reject(table, raw, why)

    def reject(self, table: Table, raw: list[str], reason: str) -> None:
        header, rows = self.rejects.setdefault(table.path, (table.header, []))
        rows.append((raw, reason))

    def reject_record(self, table: Table, record: Record, problems: Sequence[Problem]) -> None:
        self.problems.extend(problems)
        self.reject(table, record.raw, "; ".join(f"{p.field}: {p.message}" for p in problems))

    def extend(self, other: Parsed) -> None:
        for k, rows in other.tables.items():
            self.tables.setdefault(k, []).extend(rows)
        self.problems.extend(other.problems)
        self.files.extend(other.files)
        self.rows_read += other.rows_read
        self.rejects.update(other.rejects)
        self.warnings.extend(other.warnings)
        for k, v in other.origin.items():
            self.origin.setdefault(k, v)

    def check(self, *, skip_invalid: bool) -> None:
        """Raise :class:`InvalidInput` with every problem unless ``skip_invalid``.

        With ``skip_invalid`` the rejected records are written beside their input as
        ``NAME.rejects.csv`` with a ``reason`` column, and the valid rows go on.
        """
        if not self.problems:
            return
        if not skip_invalid:
            files = sorted({p.file for p in self.problems})
            raise InvalidInput(
                f"{len(self.problems)} problem(s) in {', '.join(files)}; nothing was written "
                "(fix them, or load the valid rows with --skip-invalid)",
                problems=sorted(self.problems, key=lambda p: (p.file, p.line)),
            )
        for path, (header, rows) in self.rejects.items():
            out = rejects_path(path)
            with out.open("w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow([*header, "reason"])
                for raw, reason in rows:
                    w.writerow([*raw, reason])
            self.warnings.append(f"{len(rows)} rejected row(s) of {display_name(path)} written to "
                                 f"{display_name(out)}")


def rejects_path(path: Path) -> Path:
    """``organization.csv.gz`` -> ``organization.rejects.csv`` beside it.

    >>> rejects_path(Path("d/organization.csv.gz")).as_posix()
    'd/organization.rejects.csv'
    """
    name = path.name
    for suffix in (".gz", ".csv", ".tsv", ".txt"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return path.with_name(f"{name}.rejects.csv")
