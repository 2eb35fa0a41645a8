"""Named Cypher queries, kept in ``cypher/`` one per ``.cypher`` file.

This module is the single reviewed place where file text becomes query text. Query
names are paths below ``cypher/`` without the extension (``"org/get"``); every value
reaches a query as a ``$parameter``, never by string building.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import LiteralString, cast

from graphsvc.errors import NotFound
from graphsvc.settings import Settings, cypher_dir_from_env

_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_HEADER = re.compile(r"^//\s*(\w+)\s*:\s*(.*)$")


def cypher_dir(settings: Settings | None = None) -> Path:
    """The folder of named queries: ``settings.cypher_dir`` (``LOTURA_CYPHER_DIR``), else
    the bundled ``cypher/``.

    A :class:`graphsvc.db.Graph` works this out once, from its own settings, and passes
    the folder to the functions below (their ``root``). Without ``settings`` (a caller
    holding neither a Graph nor a Settings) the variable is looked up through
    :func:`graphsvc.settings.cypher_dir_from_env`."""
    override = settings.cypher_dir if settings is not None else cypher_dir_from_env()
    if override:
        return override
    return Path(__file__).resolve().parent.parent / "cypher"


@cache
def _read(folder: str, name: str) -> str:
    if not _NAME.match(name):
        raise NotFound(f"no query named {name!r}")
    path = Path(folder) / f"{name}.cypher"
    if not path.is_file():
        raise NotFound(f"no query named {name!r} in {folder}")
    return path.read_text(encoding="utf-8")


def query(name: str, root: Path | None = None) -> LiteralString:
    """Return the text of the named query, e.g. ``query("org/get")``, from the folder
    ``root`` (default: :func:`cypher_dir`).

    The text comes from a file reviewed with the code, which is why it may be typed as a
    literal string for the driver.
    """
    return cast(LiteralString, _read(str(root or cypher_dir()), name))


def statements(name: str, root: Path | None = None) -> list[LiteralString]:
    """The ``;``-separated statements of a file (schema files hold several)."""
    body = "\n".join(ln for ln in query(name, root).splitlines() if not ln.strip().startswith("//"))
    return [cast(LiteralString, part.strip()) for part in body.split(";") if part.strip()]


def parameters(name: str, root: Path | None = None) -> list[str]:
    """The ``$parameters`` a query uses, in order of first appearance."""
    seen: list[str] = []
    for p in _PARAM.findall(query(name, root)):
        if p not in seen:
            seen.append(p)
    return seen


def header(name: str, root: Path | None = None) -> dict[str, str]:
    """The ``// key: value`` lines at the top of a query file (title, params, ...)."""
    meta: dict[str, str] = {}
    for line in query(name, root).splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            if line.strip():
                break
            continue
        meta[m.group(1).lower()] = m.group(2).strip()
    return meta


def names(prefix: str = "", root: Path | None = None) -> list[str]:
    """Every query name below ``prefix`` (a folder of ``cypher/``), sorted."""
    root = root or cypher_dir()
    base = root / prefix if prefix else root
    if not base.is_dir():
        return []
    return sorted(
        str(p.relative_to(root).with_suffix("")).replace(os.sep, "/")
        for p in base.rglob("*.cypher")
    )
