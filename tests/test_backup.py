"""Backups: a round trip gives identical counts and properties; restore refuses to
mix graphs; ``lotura up`` keeps a graph that holds data."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import GraphState, mark_dirty

from graphsvc import backup as bk
from graphsvc import users
from graphsvc.db import Graph
from graphsvc.errors import Conflict, InvalidInput
from graphsvc.settings import Settings

SAMPLE = """
CREATE (r:Region {code: 'ES21', name: 'País Vasco', level: 2, territory: 'ES21',
                  centre: point({latitude: 43.0, longitude: -2.6}), geometry: '{"type":"Polygon"}'})
CREATE (n:Region {code: 'ES', name: 'España', level: 0})
CREATE (r)-[:PART_OF]->(n)
CREATE (o:Organisation {id: 'pic:1', name: '<img src=x onerror=alert(1)>', sources: ['cordis-he', 'ksi'],
                        lat: 43.26, lon: -2.93, sme: false, degree: 3, nan: 0.0/0.0, inf: 1.0/0.0,
                        loaded_at: datetime('2025-03-01T10:00:00.123456789[Europe/Madrid]'),
                        offset_time: datetime('2025-03-01T10:00:00+02:00'),
                        local: localdatetime('2025-03-01T10:00:00.5'), t: time('10:00:00.000000001+01:00'),
                        lt: localtime('09:30'), took: duration('P1Y2M3DT4H5M6.000000007S'),
                        xyz: point({x: 1.5, y: 2.0, z: -3.0}), xy: point({x: 1, y: 2}),
                        days: [date('2020-01-01'), date('2024-02-29')], empty: [], big: 9007199254740993,
                        text: 'line\\nbreak \\u00e9\\u00f1 \\u2603 "quoted"'})
CREATE (o)-[:LOCATED_IN]->(r)
CREATE (p:Project {id: 'he:1', start: date('2023-01-01'), total_cost: 1.5e6, keywords: ['a', '=b']})
CREATE (o)-[:PARTICIPATES_IN {role: 'coordinator', contribution: 12345.67}]->(p)
CREATE (o)-[:PARTICIPATES_IN {role: 'participant'}]->(p)
CREATE (x:Network:Organisation {id: 'ksigune', name: 'KSIgune'})
CREATE (o)-[:MEMBER_OF {role: 'member'}]->(x)
CREATE (:Load {id: 'l1', status: 'done', started: datetime('2025-01-01T00:00:00Z'), report: '{"rows": 3}'})
CREATE (:Meta {id: 'graph', version: 7})
"""


def canonical(graph: Graph) -> tuple[Counter[str], Counter[str]]:
    """The graph as multisets of JSON texts (node labels and properties; relationship
    ends, type and properties), independent of element ids."""
    nodes: dict[str, str] = {}
    with graph.driver.session(database=graph.database) as s:
        for rec in s.run("MATCH (n) RETURN elementId(n) AS id, labels(n) AS l, properties(n) AS p"):
            nodes[rec["id"]] = json.dumps([sorted(rec["l"]), bk._encode_props(rec["p"])], sort_keys=True)
        rels = Counter(
            json.dumps(
                [nodes[rec["s"]], rec["t"], bk._encode_props(rec["p"]), nodes[rec["e"]]], sort_keys=True
            )
            for rec in s.run(
                "MATCH (a)-[r]->(b) RETURN elementId(a) AS s, type(r) AS t, properties(r) AS p, elementId(b) AS e"
            )
        )
    return Counter(nodes.values()), rels


def assert_restored(before: tuple[Counter[str], Counter[str]], after: tuple[Counter[str], Counter[str]]) -> None:
    """Every node and relationship came back, except that the restore moved the graph's
    version on by one, so that running processes drop what they cached."""
    def split(nodes: Counter[str]) -> tuple[list[dict[str, Any]], Counter[str]]:
        meta = [n for n in nodes if json.loads(n)[0] == ["Meta"]]
        return [json.loads(n)[1] for n in meta], nodes - Counter(meta)

    (old_meta, old_rest), (new_meta, new_rest) = split(before[0]), split(after[0])
    assert new_rest == old_rest and after[1] == before[1]
    assert len(old_meta) == len(new_meta) == 1
    assert new_meta[0]["version"] == old_meta[0]["version"] + 1 and new_meta[0]["changed_at"]


@pytest.fixture()
def sample(graph: Graph) -> Graph:
    with graph.driver.session(database=graph.database) as s:
        s.run(SAMPLE).consume()
    users.add_user(graph, "ada", "admin", "ada-password-1")
    tid, _ = users.issue_token(graph, "ada", "ci")
    users.revoke_token(graph, tid)
    return graph


@pytest.mark.parametrize("use_apoc", [True, False], ids=["apoc", "named-queries"])
def test_round_trip_keeps_every_value(sample: Graph, tmp_path: Path, use_apoc: bool) -> None:
    if use_apoc and not sample.has_procedure("apoc.create.node"):
        pytest.skip("this Neo4j has no APOC")
    before = canonical(sample)
    counts = bk.totals(sample)
    f = tmp_path / "g.jsonl.gz"
    s = bk.backup(sample, f)
    assert (s.nodes, s.relationships) == (counts["nodes"], counts["relationships"]) == (9, 5)
    assert f.stat().st_mode & 0o077 == 0, "a backup holds password hashes: owner-only"
    with pytest.raises(Conflict, match="not empty"):
        bk.restore(sample, f, use_apoc=use_apoc)
    sample.clear()
    r = bk.restore(sample, f, use_apoc=use_apoc, batch_size=3)
    assert (r.nodes, r.relationships) == (9, 5)
    assert_restored(before, canonical(sample))
    assert bk.totals(sample) == counts
    assert sample.stamp()[0] == 8
    # no restore marker left behind, and the users still log in
    assert sample.read_text("MATCH (n:LoturaRestore) RETURN count(n) AS n")[0]["n"] == 0
    assert users.authenticate(sample, "ada", "ada-password-1") is not None


def test_temporal_and_spatial_values_round_trip_exactly(sample: Graph, tmp_path: Path) -> None:
    f = tmp_path / "g.jsonl.gz"
    bk.backup(sample, f)
    bk.restore(sample, f, force=True)
    with sample.driver.session(database=sample.database) as s:
        row = s.run("MATCH (o:Organisation {id: 'pic:1'}) RETURN properties(o) AS o").single()["o"]
    assert str(row["loaded_at"].tzinfo) == "Europe/Madrid"
    assert row["loaded_at"].nanosecond == 123456789
    assert row["took"].nanoseconds == 7 and row["took"].months == 14
    assert row["xyz"].srid == 9157 and tuple(row["xyz"]) == (1.5, 2.0, -3.0)
    assert row["big"] == 9007199254740993
    assert row["nan"] != row["nan"] and row["inf"] == float("inf")


def test_force_replaces_a_graph_and_backup_file_format(sample: Graph, tmp_path: Path) -> None:
    f = tmp_path / "g.jsonl.gz"
    bk.backup(sample, f)
    lines = [json.loads(x) for x in gzip.open(f, "rt", encoding="utf-8")]
    assert lines[0]["lotura_backup"] == 1 and lines[0]["counts"]["labels"]["Organisation"] == 2
    assert lines[-1] == {"end": True, "nodes": 9, "relationships": 5}
    assert {"$date": "2023-01-01"} in [v for x in lines if "n" in x for v in x["p"].values()]
    with sample.driver.session(database=sample.database) as s:
        s.run("CREATE (:Topic {id: 'extra'})").consume()
    bk.restore(sample, f, force=True)
    assert sample.read_text("MATCH (t:Topic {id: 'extra'}) RETURN count(t) AS n")[0]["n"] == 0


def test_damaged_files_are_refused(sample: Graph, tmp_path: Path) -> None:
    f = tmp_path / "g.jsonl.gz"
    bk.backup(sample, f)
    data = f.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    sample.clear()
    with pytest.raises(InvalidInput, match="damaged or truncated|ends early"):
        bk.restore(sample, cut)
    plain = tmp_path / "plain.jsonl"
    plain.write_text("\n".join(gzip.open(f, "rt").read().splitlines()[:-1]) + "\n")
    with pytest.raises(InvalidInput, match="ends early"):
        bk.restore(sample, plain, force=True)
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}\n')
    with pytest.raises(InvalidInput, match="not a Lotura backup"):
        bk.restore(sample, other, force=True)
    evil = tmp_path / "evil.jsonl"
    head = json.dumps(
        {"lotura_backup": 1, "counts": {"nodes": 1, "relationships": 0, "labels": {}, "types": {}}}
    )
    evil.write_text(
        head
        + '\n{"n": 0, "l": ["X` {}) DETACH DELETE n //"], "p": {}}\n{"end": true, "nodes": 1, "relationships": 0}\n'
    )
    with pytest.raises(InvalidInput, match="invalid label"):
        bk.restore(sample, evil, force=True)


def test_unknown_label_without_apoc_is_a_clear_error(graph: Graph, tmp_path: Path) -> None:
    with graph.driver.session(database=graph.database) as s:
        s.run("CREATE (:Gadget {id: 1})").consume()
    f = tmp_path / "g.jsonl.gz"
    bk.backup(graph, f)
    with pytest.raises(InvalidInput, match="'Gadget'.*APOC"):
        bk.restore(graph, f, force=True, use_apoc=False)
    if graph.has_procedure("apoc.create.node"):
        bk.restore(graph, f, force=True)
        # the restore starts the graph's version (the file had none)
        assert bk.totals(graph)["labels"] == {"Gadget": 1, "Meta": 1}


def test_backup_refused_while_a_load_runs(graph: Graph, tmp_path: Path) -> None:
    with graph.driver.session(database=graph.database) as s:
        s.run("CREATE (:Lock {id: 'load', holder: 'pid 1 on host', since: datetime()})").consume()
    with pytest.raises(Conflict, match="load is running"):
        bk.backup(graph, tmp_path / "g.jsonl.gz")
    assert not (tmp_path / "g.jsonl.gz").exists()


def _env(settings: Settings) -> dict[str, str]:
    env = {"NEO4J_URI": settings.uri, "LOTURA_HOME": str(settings.home)}
    if settings.neo4j_user:
        env["NEO4J_USER"] = settings.neo4j_user
        env["NEO4J_PASSWORD"] = settings.neo4j_password or ""
    return env


def test_cli_backup_and_restore(sample: Graph, neo4j_settings: Settings, tmp_path: Path) -> None:
    from lotura.cli import main

    runner = CliRunner()
    f = tmp_path / "cli.jsonl.gz"
    r = runner.invoke(main, ["db", "backup", str(f)], env=_env(neo4j_settings))
    assert r.exit_code == 0, r.output
    assert "backed up 9 nodes and 5 relationships" in r.output
    r = runner.invoke(main, ["db", "restore", str(f)], env=_env(neo4j_settings))
    assert r.exit_code == 1 and "not empty" in r.output and "Traceback" not in r.output
    r = runner.invoke(main, ["db", "restore", str(f), "--force"], input="n\n", env=_env(neo4j_settings))
    assert r.exit_code == 1 and "cancelled" in r.output
    r = runner.invoke(main, ["db", "restore", str(f), "--force", "--yes"], env=_env(neo4j_settings))
    assert r.exit_code == 0, r.output
    assert "restored 9 nodes and 5 relationships" in r.output
    r = runner.invoke(main, ["db", "backup", str(tmp_path / "missing" / "x.gz")], env=_env(neo4j_settings))
    assert r.exit_code != 0 and "Traceback" not in r.output


def test_up_keeps_a_graph_that_holds_data(sample: Graph, neo4j_settings: Settings) -> None:
    from lotura.cli import main

    before = bk.totals(sample)
    runner = CliRunner()
    r = runner.invoke(main, ["up", "--no-serve"], env=_env(neo4j_settings))
    assert r.exit_code == 0, r.output
    assert "kept as it is" in r.output
    r = runner.invoke(main, ["up", "--no-serve", "--reload-demo"], input="n\n", env=_env(neo4j_settings))
    assert r.exit_code == 0, r.output
    assert bk.totals(sample) == before


def test_demo_graph_round_trip(demo_graph: Graph, tmp_path: Path) -> None:
    before = canonical(demo_graph)
    counts = bk.totals(demo_graph)
    assert counts["nodes"] > 1000
    f = tmp_path / "demo.jsonl.gz"
    s = bk.backup(demo_graph, f)
    assert s.nodes == counts["nodes"]
    try:
        bk.restore(demo_graph, f, force=True)
        assert bk.totals(demo_graph) == counts
        assert_restored(before, canonical(demo_graph))
    except BaseException:
        mark_dirty()
        raise
    assert GraphState.loaded == "demo"  # same content: the shared fixture stays usable


def test_a_restore_gives_the_graph_a_stamp_no_cache_has_seen(sample: Graph, tmp_path: Path) -> None:
    """The restored version alone can equal the one a running process cached under (the
    graph was replaced by another at the same version); the stamp cannot."""
    f = tmp_path / "g.jsonl.gz"
    bk.backup(sample, f)  # version 7 in the file
    sample.clear()
    with sample.driver.session(database=sample.database) as s:
        s.run("CREATE (:Meta {id: 'graph', version: 7, changed_at: datetime()})").consume()
    sample.bump_version()  # another graph, now at version 8: a web process caches under it
    cached = sample.stamp()
    assert cached[0] == 8
    bk.restore(sample, f, force=True)
    assert sample.stamp()[0] == 8 and sample.stamp() != cached
