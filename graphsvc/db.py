"""Neo4j access: one driver per process, explicit read and write transactions.

``Graph`` wraps a driver. Reads run in ``execute_read`` and writes in
``execute_write``; transaction functions only run the query and collect its records,
with no other side effects, because the driver may retry them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graphsvc.errors import DatabaseUnavailable, InvalidInput, LoturaError, QueryFailed
from graphsvc.queries import cypher_dir, query, statements
from graphsvc.settings import Settings

T = TypeVar("T")
Row = dict[str, Any]
DEFAULT_BATCH = 2000


def connect(
    settings: Settings,
    *,
    retry_seconds: float = 10.0,
    connection_timeout: float = 5.0,
    acquisition_timeout: float = 60.0,
) -> neo4j.Driver:
    """Create the process's driver (no network traffic until first use).

    ``retry_seconds`` bounds how long a transaction is retried while Neo4j is away: the
    CLI waits through a restart; the web app keeps it short so pages answer 503 quickly.
    """
    return GraphDatabase.driver(
        settings.uri,
        auth=settings.auth,
        connection_timeout=connection_timeout,
        connection_acquisition_timeout=acquisition_timeout,
        max_transaction_retry_time=retry_seconds,
        liveness_check_timeout=30.0,
        # Lotura's own server runs on loopback without TLS; external URIs carry their
        # scheme (neo4j+s://, bolt+s://) and with it their encryption.
        notifications_min_severity="OFF",
    )


@contextmanager
def translated() -> Iterator[None]:
    """Turn driver errors into Lotura's error tree."""
    try:
        yield
    except LoturaError:
        raise
    except (ServiceUnavailable, SessionExpired, OSError) as exc:
        raise DatabaseUnavailable(
            f"Neo4j is not reachable ({type(exc).__name__}). "
            "Start it with `lotura db start`, or check NEO4J_URI."
        ) from exc
    except AuthError as exc:
        raise DatabaseUnavailable(
            "Neo4j refused the credentials: check NEO4J_USER and NEO4J_PASSWORD."
        ) from exc
    except ClientError as exc:
        code = exc.code or ""
        if "ConstraintValidationFailed" in code:
            raise InvalidInput(f"the data breaks a uniqueness rule: {exc.message}") from exc
        raise QueryFailed(f"Neo4j refused a query ({code}): {exc.message}") from exc
    except TransientError as exc:
        raise DatabaseUnavailable(f"Neo4j is busy, try again: {exc.message}") from exc
    except DriverError as exc:
        raise DatabaseUnavailable(f"Neo4j driver error: {exc}") from exc
    except Neo4jError as exc:
        raise QueryFailed(f"Neo4j failed ({exc.code}): {exc.message}") from exc


def _collect(q: str, params: dict[str, Any]) -> Callable[[ManagedTransaction], list[Row]]:
    def work(tx: ManagedTransaction) -> list[Row]:
        return [r.data() for r in tx.run(q, params)]

    return work


def _summarise(q: str, params: dict[str, Any]) -> Callable[[ManagedTransaction], dict[str, int]]:
    def work(tx: ManagedTransaction) -> dict[str, int]:
        counters = tx.run(q, params).consume().counters
        return {
            "nodes_created": counters.nodes_created,
            "nodes_deleted": counters.nodes_deleted,
            "relationships_created": counters.relationships_created,
            "relationships_deleted": counters.relationships_deleted,
            "properties_set": counters.properties_set,
        }

    return work


def batched(rows: Sequence[T] | Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Graph:
    """The service every other part of Lotura uses to talk to Neo4j.

    It carries the :class:`Settings` it was made with, so that whoever holds a Graph
    finds the query folder and the load-lock timeout there instead of reading the
    environment again.
    """

    def __init__(self, driver: neo4j.Driver, database: str | None, settings: Settings) -> None:
        self.driver = driver
        self.database = database
        self.settings = settings
        self.cypher_root = cypher_dir(self.settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> Graph:
        return cls(connect(settings), settings.neo4j_database, settings)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self, mode: str) -> neo4j.Session:
        return self.driver.session(database=self.database, default_access_mode=mode)

    # -- named queries ----------------------------------------------------------
    def query(self, name: str) -> LiteralString:
        """The text of the named query from this graph's query folder."""
        return query(name, self.cypher_root)

    def read(self, name: str, **params: Any) -> list[Row]:
        """Run the named read query and return its records as dicts."""
        return self.read_text(self.query(name), **params)

    def read_one(self, name: str, **params: Any) -> Row | None:
        rows = self.read(name, **params)
        return rows[0] if rows else None

    def write(self, name: str, **params: Any) -> list[Row]:
        """Run the named write query in one transaction and return its records."""
        q = self.query(name)
        with translated(), self._session(neo4j.WRITE_ACCESS) as s:
            return s.execute_write(_collect(q, params))

    def write_counts(self, name: str, **params: Any) -> dict[str, int]:
        """Run the named write query in one transaction and return its counters."""
        q = self.query(name)
        with translated(), self._session(neo4j.WRITE_ACCESS) as s:
            return s.execute_write(_summarise(q, params))

    def write_batches(
        self,
        name: str,
        rows: Iterable[Row],
        *,
        batch_size: int = DEFAULT_BATCH,
        extra: dict[str, Any] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> dict[str, int]:
        """``UNWIND $rows`` the named query over ``rows``, one transaction a batch.

        The query must be idempotent (MERGE), so that a batch retried by the driver or
        a load rerun after an interruption changes nothing twice.
        """
        q = self.query(name)
        totals: dict[str, int] = {}
        with translated(), self._session(neo4j.WRITE_ACCESS) as s:
            for batch in batched(rows, batch_size):
                counts = s.execute_write(_summarise(q, {**(extra or {}), "rows": batch}))
                for k, v in counts.items():
                    totals[k] = totals.get(k, 0) + v
                if progress:
                    progress(len(batch))
        return totals

    # -- raw text, for the schema files and the few allow-listed dynamic queries ---
    def read_text(self, q: Any, **params: Any) -> list[Row]:
        with translated(), self._session(neo4j.READ_ACCESS) as s:
            return s.execute_read(_collect(q, params))

    def run_statements(self, name: str) -> int:
        """Run each statement of a multi-statement file (schema), each on its own."""
        done = 0
        with translated(), self._session(neo4j.WRITE_ACCESS) as s:
            for stmt in statements(name, self.cypher_root):
                s.run(stmt).consume()
                done += 1
        return done

    # -- health ---------------------------------------------------------------------
    def ping(self) -> float:
        """Round-trip ``RETURN 1``; return the latency in ms or raise DatabaseUnavailable."""
        t0 = time.perf_counter()
        with translated():
            records, _, _ = self.driver.execute_query(
                "RETURN 1 AS ok", database_=self.database, routing_=neo4j.RoutingControl.READ
            )
        if not records or records[0]["ok"] != 1:
            raise DatabaseUnavailable("Neo4j answered RETURN 1 with something else")
        return (time.perf_counter() - t0) * 1000.0

    def server_info(self) -> Row:
        with translated():
            records, _, _ = self.driver.execute_query(
                "CALL dbms.components() YIELD name, versions, edition "
                "RETURN name, versions[0] AS version, edition",
                database_=self.database,
                routing_=neo4j.RoutingControl.READ,
            )
        return records[0].data() if records else {}

    def has_procedure(self, prefix: str) -> bool:
        """True when a procedure or function whose name starts with ``prefix`` exists."""
        try:
            rows = self.read("meta/procedures", prefix=prefix)
        except Neo4jError:
            return False
        return bool(rows and rows[0]["n"] > 0)

    def graph_version(self) -> int:
        """A counter bumped by every load, analysis, saved plan and restore."""
        return int(self.stamp()[0] or 0)

    def stamp(self) -> tuple[int | None, str | None]:
        """The graph's version and the time it was bumped: the key of in-process caches.

        The version alone can repeat (``db reset`` starts it again, a restore writes the
        backup's back); with the time of the bump, a stamp never does.
        """
        row = self.read_one("meta/stamp")
        if not row:
            return (None, None)
        return (row.get("version"), row.get("changed_at"))

    def bump_version(self) -> int:
        row = self.write("meta/bump_version")
        return int(row[0]["version"])

    def is_empty(self) -> bool:
        row = self.read_one("meta/data_node_count")
        return not row or row["n"] == 0

    def clear(self) -> None:
        """Delete every node and relationship, in batches (keeps the schema)."""
        with translated(), self._session(neo4j.WRITE_ACCESS) as s:
            while True:
                deleted = s.execute_write(_summarise(self.query("meta/delete_batch"), {"size": 10000}))
                if deleted["nodes_deleted"] == 0:
                    break
