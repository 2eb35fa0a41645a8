// title: Names of the topics a topic id or a capacity id stands for (residency CSV files)
// params: ids (list of Topic or Capacity ids)
UNWIND $ids AS id
OPTIONAL MATCH (t:Topic {id: id})
OPTIONAL MATCH (:Capacity {id: id})-[:COVERS]->(ct:Topic)
WITH id, t, collect(DISTINCT ct.name) AS covered
WITH id, CASE WHEN t IS NULL THEN covered ELSE [t.name] END AS names
WHERE size(names) > 0
RETURN id, names
