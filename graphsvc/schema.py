"""The schema: constraints and indexes from ``cypher/schema/*.cypher``."""

from __future__ import annotations

from graphsvc.db import Graph
from graphsvc.queries import names


def apply_schema(graph: Graph) -> int:
    """Create every constraint and index that does not exist yet; return how many
    statements ran. Running it again changes nothing."""
    done = 0
    for name in names("schema", graph.cypher_root):
        done += graph.run_statements(name)
    graph.write("meta/await_indexes")
    return done


def describe(graph: Graph) -> dict[str, list[str]]:
    """The names of the constraints and indexes present, for ``lotura db status``."""
    cons = [r["name"] for r in graph.read("meta/constraints")]
    idx = [r["name"] for r in graph.read("meta/indexes")]
    return {"constraints": sorted(cons), "indexes": sorted(idx)}
