// title: Organisations working on a topic: in a project about it, offering a capacity covering it, or needing it
// params: topic (Topic id)
MATCH (t:Topic {id: $topic})
CALL (t) {
  MATCH (o:Organisation)-[:PARTICIPATES_IN]->(:Project)-[:ABOUT]->(t) RETURN o
  UNION
  MATCH (o:Organisation)-[:OFFERS]->(:Capacity)-[:COVERS]->(t) RETURN o
  UNION
  MATCH (o:Organisation)-[:NEEDS]->(t) RETURN o
}
RETURN o.id AS id, o.name AS name, o.short_name AS short_name, o.kind AS kind,
       o.territory AS territory, o.country AS country, o.city AS city, o.nuts3 AS nuts3,
       o.lat AS lat, o.lon AS lon, o.community AS community, o.degree AS degree,
       o.betweenness AS betweenness, o.pagerank AS pagerank
