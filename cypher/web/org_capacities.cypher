// title: The capacities an organisation offers, with their topics
MATCH (:Organisation {id: $id})-[:OFFERS]->(c:Capacity)
OPTIONAL MATCH (c)-[:COVERS]->(t:Topic)
WITH c, collect(t {.id, .name}) AS topics
RETURN c.id AS id, c.kind AS kind, c.title AS title, c.description AS description, topics
ORDER BY c.kind, c.title
