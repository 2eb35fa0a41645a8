"""Lotura's graph service: Neo4j access, projections and algorithms.

Nothing here imports Flask or click; the web app and the CLI call into this package.
"""

__version__ = "0.1.0"
