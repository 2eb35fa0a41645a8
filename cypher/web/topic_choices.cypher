// title: The most used topics (offered, needed or the subject of projects), for filters
MATCH (t:Topic)
WITH t, COUNT { (t)<-[:COVERS]-(:Capacity) } * 5 + COUNT { (t)<-[:NEEDS]-(:Organisation) } * 5
        + COUNT { (t)<-[:ABOUT]-(:Project) } AS uses
WHERE uses > 0
RETURN t.id AS id, t.name AS name, t.kind AS kind, uses
ORDER BY uses DESC, t.name
LIMIT $limit
