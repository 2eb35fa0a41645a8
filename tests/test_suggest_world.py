"""A small hand-made Euroregion for the suggestion and analytics tests.

Written with Cypher through the driver (the test's own fixture, not a loader). The
story, with the answers the tests expect:

- Alpha University (ES21) worked with Berlin Institute (DE) and Bordeaux Lab (FRI) on
  P1 (2020), and with Bilbao Films (ES21) on P5 (2021).
- Berlin Institute also worked with Pau Tech (FRI) and Navarre Cluster (ES22) on P2
  (2021), and with Roma Centre (IT) and Limoges Studio (FRI) on P3 (2022).
- Pau Tech worked with Berlin Institute again on P8 (2022).
- Bilbao Films worked with Tudela VET (ES22) on P6 (2019).
- Alpha University and Pau Tech start P4 in 2024: as of 2023 they are not partners yet.
- Pau Tech offers training on "virtual production", which Alpha University needs.
"""

from __future__ import annotations

from typing import Any

from graphsvc.db import Graph

ORGS: list[dict[str, Any]] = [
    {"id": "pic:1", "pic": "1", "name": "Alpha University", "kind": "university", "territory": "ES21", "country": "ES"},
    {"id": "pic:2", "pic": "2", "name": "Bilbao Films", "kind": "company", "territory": "ES21", "country": "ES"},
    {"id": "pic:3", "pic": "3", "name": "Navarre Cluster", "kind": "cluster", "territory": "ES22", "country": "ES"},
    {"id": "pic:4", "pic": "4", "name": "Tudela VET", "kind": "vet", "territory": "ES22", "country": "ES"},
    {"id": "pic:5", "pic": "5", "name": "Bordeaux Lab", "kind": "research", "territory": "FRI", "country": "FR"},
    {"id": "pic:6", "pic": "6", "name": "Pau Tech", "kind": "university", "territory": "FRI", "country": "FR"},
    {"id": "pic:7", "pic": "7", "name": "Limoges Studio", "kind": "company", "territory": "FRI", "country": "FR"},
    {"id": "pic:8", "pic": "8", "name": "Berlin Institute", "kind": "research", "territory": None, "country": "DE"},
    {"id": "pic:9", "pic": "9", "name": "Roma Centre", "kind": "research", "territory": None, "country": "IT"},
    {"id": "pic:10", "pic": "10", "name": "Paris Agency", "kind": "public", "territory": None, "country": "FR"},
]

PROJECTS: list[dict[str, Any]] = [
    {"id": "he:P1", "year": 2020, "orgs": ["pic:1", "pic:8", "pic:5"], "topics": ["esv:film", "kw:ai"]},
    {"id": "he:P2", "year": 2021, "orgs": ["pic:8", "pic:6", "pic:3"], "topics": ["esv:film", "kw:vp"]},
    {"id": "he:P3", "year": 2022, "orgs": ["pic:8", "pic:9", "pic:7"], "topics": ["kw:health"]},
    {"id": "he:P4", "year": 2024, "orgs": ["pic:1", "pic:6"], "topics": ["kw:vp"]},
    {"id": "he:P5", "year": 2021, "orgs": ["pic:1", "pic:2"], "topics": ["esv:film"]},
    {"id": "he:P6", "year": 2019, "orgs": ["pic:2", "pic:4"], "topics": ["kw:music"]},
    {"id": "he:P7", "year": 2022, "orgs": ["pic:10", "pic:9"], "topics": ["kw:health"]},
    {"id": "he:P8", "year": 2022, "orgs": ["pic:8", "pic:6"], "topics": ["esv:film"]},
]

TOPICS: list[dict[str, Any]] = [
    {"id": "esv:film", "name": "film", "kind": "euroscivoc"},
    {"id": "kw:ai", "name": "artificial intelligence", "kind": "keyword"},
    {"id": "kw:vp", "name": "virtual production", "kind": "keyword"},
    {"id": "kw:health", "name": "public health", "kind": "keyword"},
    {"id": "kw:music", "name": "music", "kind": "keyword"},
]

CAPACITIES: list[dict[str, Any]] = [
    {"org": "pic:6", "id": "pic:6#vp-master", "kind": "training", "title": "Master in virtual production",
     "topics": ["kw:vp"]},
    {"org": "pic:3", "id": "pic:3#film-lab", "kind": "transfer", "title": "Film post-production lab",
     "topics": ["esv:film"]},
]

NEEDS: list[tuple[str, str]] = [("pic:1", "kw:vp"), ("pic:7", "kw:music")]

_WRITE = """
UNWIND $orgs AS o
MERGE (n:Organisation {id: o.id})
SET n.pic = o.pic, n.name = o.name, n.kind = o.kind, n.territory = o.territory, n.country = o.country
WITH count(*) AS _
UNWIND $topics AS t
MERGE (n:Topic {id: t.id}) SET n.name = t.name, n.kind = t.kind
WITH count(*) AS _
UNWIND $projects AS p
MERGE (n:Project {id: p.id}) SET n.start_year = p.year, n.acronym = p.id
WITH n, p
UNWIND p.orgs AS oid
MATCH (o:Organisation {id: oid})
MERGE (o)-[:PARTICIPATES_IN {role: 'participant'}]->(n)
WITH DISTINCT n, p
UNWIND p.topics AS tid
MATCH (t:Topic {id: tid})
MERGE (n)-[:ABOUT]->(t)
WITH count(*) AS _
UNWIND $capacities AS c
MATCH (o:Organisation {id: c.org})
MERGE (k:Capacity {id: c.id}) SET k.kind = c.kind, k.title = c.title
MERGE (o)-[:OFFERS]->(k)
WITH k, c
UNWIND c.topics AS tid
MATCH (t:Topic {id: tid})
MERGE (k)-[:COVERS]->(t)
WITH count(*) AS _
UNWIND $needs AS pair
MATCH (o:Organisation {id: pair[0]}), (t:Topic {id: pair[1]})
MERGE (o)-[:NEEDS]->(t)
"""


def build_world(graph: Graph) -> Graph:
    """Write the world into an empty graph and bump its version (as a load does)."""
    with graph.driver.session(database=graph.database) as s:
        s.run(
            _WRITE,
            orgs=ORGS,
            topics=TOPICS,
            projects=PROJECTS,
            capacities=CAPACITIES,
            needs=[list(p) for p in NEEDS],
        ).consume()
    graph.bump_version()
    return graph


def name(org_id: str) -> str:
    return next(o["name"] for o in ORGS if o["id"] == org_id)
