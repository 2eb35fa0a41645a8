// title: The topics an organisation needs
MATCH (:Organisation {id: $id})-[n:NEEDS]->(t:Topic)
RETURN t.id AS id, t.name AS name, n.note AS note
ORDER BY t.name
