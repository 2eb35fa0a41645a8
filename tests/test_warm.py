"""The background warm-up that `lotura serve` starts fills the suggestion cache."""

from __future__ import annotations

from graphsvc import projection
from graphsvc.db import Graph
from graphsvc.settings import Settings
from web import create_app
from web.warm import warm_in_background


def test_warm_up_builds_the_projection_the_first_request_uses(demo_graph: Graph, neo4j_settings: Settings) -> None:
    projection.clear_cache()
    app = create_app({"TESTING": True, "LOTURA_GRAPH": demo_graph}, settings=neo4j_settings)
    warm_in_background(app).join(120)
    cached = projection.projection(demo_graph)
    assert cached is projection.projection(demo_graph)  # served from the cache
    assert len(cached.ids) > 1000
    # the lazy parts a suggestion needs are built too
    assert {"community", "topic_model"} <= set(cached._lazy)
