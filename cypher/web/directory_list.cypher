// title: Directory: organisations with filters, sorted and paged (no search text)
// With topics, the organisations working on them are found from the topics (an index
// look-up each) rather than by testing every organisation's projects.
CALL () {
  WITH $topics AS topics WHERE topics IS NULL
  MATCH (o:Organisation) RETURN o
  UNION ALL
  UNWIND coalesce($topics, []) AS tid
  MATCH (t:Topic {id: tid})
  CALL (t) {
    MATCH (o:Organisation)-[:PARTICIPATES_IN]->(:Project)-[:ABOUT]->(t) RETURN o
    UNION
    MATCH (o:Organisation)-[:OFFERS]->(:Capacity)-[:COVERS]->(t) RETURN o
    UNION
    MATCH (o:Organisation)-[:NEEDS]->(t) RETURN o
  }
  WITH DISTINCT o  // several topics of one name share organisations
  RETURN o
}
WITH o
WHERE ($codes IS NULL OR o.territory IN $codes)
  AND (NOT $outside OR o.territory IS NULL)
  AND ($nuts3 IS NULL OR o.nuts3 = $nuts3)
  AND ($kind IS NULL OR o.kind = $kind)
  AND (NOT $has_capacities OR EXISTS { (o)-[:OFFERS]->(:Capacity) })
WITH o,
     COUNT { (o)-[:PARTICIPATES_IN]->(:Project) } AS projects,
     COUNT { (o)-[:OFFERS]->(:Capacity) } AS capacities
ORDER BY
  CASE WHEN $sort = 'projects' THEN projects END DESC,
  CASE WHEN $sort = 'capacities' THEN capacities END DESC,
  CASE WHEN $sort = 'territory' THEN o.territory END ASC,
  coalesce(o.name_key, toLower(o.name)) ASC, o.id ASC
WITH collect(o {.id, .name, .short_name, .kind, .city, .country, .nuts3, .territory, .pic,
                projects: projects, capacities: capacities, score: null}) AS rows
RETURN size(rows) AS total, rows[$skip..($skip + $limit)] AS rows
