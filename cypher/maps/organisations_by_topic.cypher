// title: Organisations working on any of some topics: in a project about one, offering a capacity covering one, or needing one
// params: topics (list of Topic ids: every topic of one name, see graphsvc/topics.py)
MATCH (t:Topic) WHERE t.id IN $topics
CALL (t) {
  MATCH (o:Organisation)-[:PARTICIPATES_IN]->(:Project)-[:ABOUT]->(t) RETURN o
  UNION
  MATCH (o:Organisation)-[:OFFERS]->(:Capacity)-[:COVERS]->(t) RETURN o
  UNION
  MATCH (o:Organisation)-[:NEEDS]->(t) RETURN o
}
WITH DISTINCT o
RETURN o.id AS id, o.name AS name, o.short_name AS short_name, o.kind AS kind,
       o.territory AS territory, o.country AS country, o.city AS city, o.nuts3 AS nuts3,
       o.lat AS lat, o.lon AS lon, o.community AS community, o.degree AS degree,
       o.betweenness AS betweenness, o.pagerank AS pagerank
