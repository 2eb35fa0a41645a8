// title: One topic: who offers it, who needs it, its projects
MATCH (t:Topic {id: $id})
CALL (t) {
  OPTIONAL MATCH (o:Organisation)-[:OFFERS]->(c:Capacity)-[:COVERS]->(t)
  WITH o, collect(c {.id, .kind, .title}) AS caps WHERE o IS NOT NULL
  ORDER BY o.territory IS NULL, o.territory, o.name
  RETURN collect(o {.id, .name, .kind, .territory, .country, capacities: caps}) AS offered_by
}
CALL (t) {
  OPTIONAL MATCH (o:Organisation)-[n:NEEDS]->(t)
  WITH o, n WHERE o IS NOT NULL
  ORDER BY o.territory IS NULL, o.territory, o.name
  RETURN collect(o {.id, .name, .kind, .territory, .country, note: n.note}) AS needed_by
}
CALL (t) {
  OPTIONAL MATCH (p:Project)-[:ABOUT]->(t)
  WITH p WHERE p IS NOT NULL
  ORDER BY p.start_year DESC, p.acronym
  WITH collect(p {.id, .acronym, .title, .start_year, .cross_border}) AS ps
  RETURN size(ps) AS project_count, ps[..$limit] AS projects
}
CALL (t) {
  OPTIONAL MATCH (p:Project)-[:ABOUT]->(t)
  OPTIONAL MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p) WHERE o.territory IS NOT NULL
  WITH o.territory AS territory, count(DISTINCT o) AS n WHERE territory IS NOT NULL
  RETURN collect({territory: territory, organisations: n}) AS by_territory
}
RETURN t {.*} AS topic, offered_by, needed_by, project_count, projects, by_territory
