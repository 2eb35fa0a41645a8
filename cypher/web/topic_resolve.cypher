// title: A topic by id, or else by its exact name (case-insensitive)
OPTIONAL MATCH (byid:Topic {id: $text})
OPTIONAL MATCH (byname:Topic) WHERE byid IS NULL AND toLower(byname.name) = toLower($text)
WITH coalesce(byid, byname) AS t
WHERE t IS NOT NULL
RETURN t.id AS id, t.name AS name
LIMIT 1
