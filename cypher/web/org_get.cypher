// title: One organisation with its location
MATCH (o:Organisation {id: $id})
OPTIONAL MATCH (o)-[:LOCATED_IN]->(r:Region)
OPTIONAL MATCH (r)-[:PART_OF*0..3]->(nuts2:Region {level: 2})
RETURN o {.*} AS org,
       r {.code, .name, .level, .country, .territory} AS region,
       nuts2 {.code, .name} AS nuts2,
       COUNT { (o)-[:PARTICIPATES_IN]->(:Project) } AS projects,
       COUNT { (o)-[:OFFERS]->(:Capacity) } AS capacities,
       [(o)-[m:MEMBER_OF]->(n) | {id: n.id, name: n.name, role: m.role, kind: n.kind,
                                  organisation: n:Organisation}] AS memberships,
       [(x:Organisation)-[m:MEMBER_OF]->(o) | {id: x.id, name: x.name, role: m.role}][..50] AS members
LIMIT 1
