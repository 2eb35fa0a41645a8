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


def run_fixture_file(graph: Graph, name: str) -> None:
    """Run one of the reviewed fixture files of ``tests/fixtures/web``."""
    text = (FIXTURE.parent / name).read_text(encoding="utf-8")
    with graph.driver.session(database=graph.database) as s:
        s.run(text).consume()  # type: ignore[arg-type]  # a reviewed fixture file


def load_web_fixture(graph: Graph) -> Graph:
    if GraphState.loaded == NAME:
        return graph
    graph.clear()
    run_fixture_file(graph, FIXTURE.name)
    GraphState.loaded = NAME
    return graph


def ensure_compiled() -> None:
    """Compile the catalogues whose ``.mo`` is missing or older than the ``.po`` (what
    ``make setup`` does), so that tests run right after editing a catalogue."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "web" / "translations"
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        with mo.open("wb") as fh:
            write_mo(fh, catalog)
