// title: Every topic's name and kind
MATCH (t:Topic)
RETURN t.id AS id, t.name AS name, t.kind AS kind
ORDER BY id
