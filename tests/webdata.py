"""A small hand-made graph for the web tests (``tests/fixtures/web/graph.cypher``).

Loaded at most once while the shared database holds it (``GraphState.loaded``), like the
demo data; tests that need exact, known answers (CSV neutralisation, escaping, plural
forms, paging) use it, the rest use the demo graph.
"""

from __future__ import annotations

from pathlib import Path

from conftest import GraphState

from graphsvc.db import Graph

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "web" / "graph.cypher"
NAME = "web-fixture"

UPV = "pic:999990001"
TECNALIA = "pic:999990002"
TXORIERRI = "eus:48000001"
UPNA = "pic:999990004"
CLUSTER_NAV = "ksi:clusterav-navarra"
BORDEAUX = "pic:999990006"
PAU = "pic:999990007"
ESTIA = "pic:999990008"
FRAUNHOFER = "pic:999990009"
EVIL_CSV = "pic:999990010"
EVIL_HTML = "pic:999990011"
GREENAV = "he:900000101"
TOPIC_AV = "ccs:audiovisual"


def load_web_fixture(graph: Graph) -> Graph:
    if GraphState.loaded == NAME:
        return graph
    graph.clear()
    text = FIXTURE.read_text(encoding="utf-8")
    with graph.driver.session(database=graph.database) as s:
        s.run(text).consume()  # type: ignore[arg-type]  # a reviewed fixture file
    GraphState.loaded = NAME
    return graph
