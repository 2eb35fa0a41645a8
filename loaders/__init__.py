"""Loaders: read a source into validated rows (pure, no database), then save the rows
into Neo4j in idempotent batches.

Each source has a ``parse_*`` function (``loaders/sources/``-style modules such as
:mod:`loaders.cordis`) returning :class:`loaders.rows.Parsed` and a ``save_*`` function
writing them through :meth:`graphsvc.db.Graph.write_batches`. :mod:`loaders.run` wraps a
load with the lock, the ``(:Load)`` report and the version bump; :mod:`loaders.demo` loads
everything bundled in ``data/``.
"""

from __future__ import annotations

from pathlib import Path

#: The project's bundled data folder.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
