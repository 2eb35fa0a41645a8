// title: Project partners (with the number of shared projects) and networks of organisations
// params: ids (list of Organisation ids)
UNWIND $ids AS id
MATCH (o:Organisation {id: id})
OPTIONAL MATCH (o)-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(x:Organisation)
  WHERE x <> o
WITH o, x, count(DISTINCT p) AS shared
WITH o, collect(CASE WHEN x IS NULL THEN null ELSE [x.id, shared] END) AS partners
OPTIONAL MATCH (o)-[:MEMBER_OF]->(n)
RETURN o.id AS id, partners, collect(DISTINCT coalesce(n.id, n.name)) AS networks
