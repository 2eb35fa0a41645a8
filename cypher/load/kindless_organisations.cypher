// Organisations no source gave a kind: their name (and country) may give one (loaders/kinds.py).
MATCH (o:Organisation)
WHERE o.kind IS NULL
RETURN o.id AS id, o.name AS name, o.country AS country
ORDER BY id
