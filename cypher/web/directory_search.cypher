// title: Directory: full-text search over organisation names, with filters, sorted and paged
// The sort key comes from an allow-list in web/views/directory.py; unknown keys sort by name.
CALL db.index.fulltext.queryNodes('organisation_names', $lucene) YIELD node AS o, score
WHERE o:Organisation
  AND ($codes IS NULL OR o.territory IN $codes)
  AND (NOT $outside OR o.territory IS NULL)
  AND ($nuts3 IS NULL OR o.nuts3 = $nuts3)
  AND ($kind IS NULL OR o.kind = $kind)
  AND (NOT $has_capacities OR EXISTS { (o)-[:OFFERS]->(:Capacity) })
  AND ($topics IS NULL
       OR EXISTS { (o)-[:OFFERS]->(:Capacity)-[:COVERS]->(t:Topic) WHERE t.id IN $topics }
       OR EXISTS { (o)-[:NEEDS]->(t:Topic) WHERE t.id IN $topics }
       OR EXISTS { (o)-[:PARTICIPATES_IN]->(:Project)-[:ABOUT]->(t:Topic) WHERE t.id IN $topics })
WITH o, score,
     COUNT { (o)-[:PARTICIPATES_IN]->(:Project) } AS projects,
     COUNT { (o)-[:OFFERS]->(:Capacity) } AS capacities
// Relevance: the text match (Lucene's score over name, short name and city) weighted by
// activity, 1 + log10(1 + projects) / 2, so that among similar matches the organisations
// most people look for come first (the university before the port, for "bordeaux").
ORDER BY
  CASE WHEN $sort = 'relevance' THEN score * (1.0 + log10(1.0 + projects) / 2.0) END DESC,
  CASE WHEN $sort = 'projects' THEN projects END DESC,
  CASE WHEN $sort = 'capacities' THEN capacities END DESC,
  CASE WHEN $sort = 'territory' THEN o.territory END ASC,
  coalesce(o.name_key, toLower(o.name)) ASC, o.id ASC
WITH collect(o {.id, .name, .short_name, .kind, .city, .country, .nuts3, .territory, .pic,
                projects: projects, capacities: capacities, score: score}) AS rows
RETURN size(rows) AS total, rows[$skip..($skip + $limit)] AS rows
