// Organisations no source gave a kind (none yet, or one guessed from the name): their name
// (and country) may give one (loaders/kinds.py).
MATCH (o:Organisation)
WHERE o.kind IS NULL OR o.kind_source = $kind_source
RETURN o.id AS id, o.name AS name, o.country AS country, o.kind AS kind
ORDER BY id
