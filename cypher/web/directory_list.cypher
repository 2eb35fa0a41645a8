// title: Directory: organisations with filters, sorted and paged (no search text)
MATCH (o:Organisation)
WHERE ($codes IS NULL OR o.territory IN $codes)
  AND (NOT $outside OR o.territory IS NULL)
  AND ($nuts3 IS NULL OR o.nuts3 = $nuts3)
  AND ($kind IS NULL OR o.kind = $kind)
  AND (NOT $has_capacities OR EXISTS { (o)-[:OFFERS]->(:Capacity) })
  AND ($topics IS NULL
       OR EXISTS { (o)-[:OFFERS]->(:Capacity)-[:COVERS]->(t:Topic) WHERE t.id IN $topics }
       OR EXISTS { (o)-[:NEEDS]->(t:Topic) WHERE t.id IN $topics }
       OR EXISTS { (o)-[:PARTICIPATES_IN]->(:Project)-[:ABOUT]->(t:Topic) WHERE t.id IN $topics })
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
