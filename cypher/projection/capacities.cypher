// title: Capacities offered by organisations, with the topics each covers
MATCH (o:Organisation)-[:OFFERS]->(c:Capacity)
OPTIONAL MATCH (c)-[:COVERS]->(t:Topic)
RETURN o.id AS org, c.id AS id, c.kind AS kind, c.title AS title, collect(DISTINCT t.id) AS topics,
       coalesce(c.is_example, false) AS is_example
ORDER BY org, id
