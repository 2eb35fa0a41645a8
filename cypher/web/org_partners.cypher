// title: The partners of an organisation (shared projects), grouped by territory
// Partners outside the Euroregion fall in the group 'other'; each group keeps its top $per_group.
MATCH (o:Organisation {id: $id})-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(q:Organisation)
WHERE q <> o
WITH q, count(DISTINCT p) AS shared
ORDER BY shared DESC, q.name
WITH coalesce(q.territory, 'other') AS grp, count(q) AS n,
     collect(q {.id, .name, .kind, .country, .territory, shared: shared})[..$per_group] AS top
RETURN grp, n, top
