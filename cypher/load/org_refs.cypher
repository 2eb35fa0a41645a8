// Resolve organisation references: an id, or an alias an earlier load recorded.
UNWIND $refs AS ref
OPTIONAL MATCH (o:Organisation {id: ref})
OPTIONAL MATCH (a:Organisation) WHERE o IS NULL AND ref IN a.aliases
RETURN ref, o.id AS direct, collect(a.id) AS via
