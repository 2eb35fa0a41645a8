// title: Everything an organisation's page shows except suggestions, in one round trip
// $limit: the most recent projects listed; $per_group: partners shown per territory group.
MATCH (o:Organisation {id: $id})
CALL (o) {
  OPTIONAL MATCH (o)-[:LOCATED_IN]->(r:Region)
  OPTIONAL MATCH (r)-[:PART_OF*0..3]->(nuts2:Region {level: 2})
  RETURN r {.code, .name, .level, .country, .territory} AS region, nuts2 {.code, .name} AS nuts2
  LIMIT 1
}
CALL (o) {
  OPTIONAL MATCH (o)-[:OFFERS]->(c:Capacity)
  WITH c WHERE c IS NOT NULL
  ORDER BY c.kind, c.title
  RETURN collect({id: c.id, kind: c.kind, title: c.title, description: c.description,
                  topics: [(c)-[:COVERS]->(t:Topic) | t {.id, .name}]}) AS capacity_list
}
CALL (o) {
  OPTIONAL MATCH (o)-[n:NEEDS]->(t:Topic)
  WITH n, t WHERE t IS NOT NULL
  ORDER BY t.name
  RETURN collect({id: t.id, name: t.name, note: n.note}) AS needs
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:PARTICIPATES_IN]->(p:Project)
  WITH r, p WHERE p IS NOT NULL
  ORDER BY p.start_year DESC, p.start DESC, p.acronym
  WITH collect({id: p.id, acronym: p.acronym, title: p.title, programme: p.programme, start: p.start,
                end: p.end, start_year: p.start_year, cross_border: coalesce(p.cross_border, false),
                role: r.role, contribution: r.contribution}) AS ps
  RETURN size(ps) AS projects, ps[..$limit] AS project_list
}
CALL (o) {
  OPTIONAL MATCH (o)-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(q:Organisation)
  WITH q, count(DISTINCT p) AS shared WHERE q IS NOT NULL AND q <> o
  ORDER BY shared DESC, q.name
  WITH coalesce(q.territory, 'other') AS grp, count(q) AS n,
       collect(q {.id, .name, .kind, .country, .territory, shared: shared})[..$per_group] AS top
  RETURN collect({grp: grp, n: n, top: top}) AS partner_groups
}
CALL (o) {
  MATCH (y:Organisation)-[m:MEMBER_OF]->(o)
  WITH y, m, COUNT { (y)-[:PARTICIPATES_IN]->(:Project) } AS n
  ORDER BY n DESC, y.name
  RETURN collect({id: y.id, name: y.name, role: m.role, projects: n})[..50] AS members
}
RETURN o {.*} AS org, region, nuts2, projects, size(capacity_list) AS capacities, capacity_list, needs,
       project_list, partner_groups,
       [(o)-[m:MEMBER_OF]->(x) | {id: x.id, name: x.name, role: m.role, kind: x.kind,
                                  organisation: x:Organisation}] AS memberships,
       members
