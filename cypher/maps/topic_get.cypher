// title: One topic, to check a map selection
// params: topic
MATCH (t:Topic {id: $topic})
RETURN t.id AS id, t.name AS name
