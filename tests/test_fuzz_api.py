"""Fuzz the JSON API with schemathesis against its own OpenAPI document.

The real app over the demo data (the web test fixture graph when this build has no
demo loader): every operation that the document at /api/v1/openapi.json describes gets
a bounded number of generated requests, valid and invalid. No response may be a 5xx,
and every response must match the document (status code, content type, headers, body
schema). Bounded for speed: 25 examples an operation, no shrinking, no deadline.

(schemathesis' pytest fixture integration breaks on pytest 9, so the test walks the
operations itself and reports every failing one.)
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from graphsvc.db import Graph
from graphsvc.settings import Settings

MAX_EXAMPLES = 25


@pytest.fixture()
def fuzz_graph(session_graph: Graph, request: pytest.FixtureRequest) -> Graph:
    try:
        import loaders.demo  # noqa: F401
    except ModuleNotFoundError:
        from webdata import load_web_fixture

        return load_web_fixture(session_graph)
    return request.getfixturevalue("demo_graph")


@pytest.fixture()
def api_schema(fuzz_graph: Graph, neo4j_settings: Settings) -> Any:
    from web import create_app

    app = create_app(
        {
            "TESTING": True,
            "LOTURA_GRAPH": fuzz_graph,
            "SECRET_KEY": "fuzz",
            "LOTURA_RATELIMIT_API": "1000000 per minute",
        },
        settings=neo4j_settings,
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_api_conforms_to_its_document(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 3, "the OpenAPI document describes the API's operations"
    failures: list[str] = []
    calls = 0
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate()

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every failing operation
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
    assert calls >= len(operations)
    assert not failures, "\n\n".join(failures)
