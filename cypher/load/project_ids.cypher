// Every project id, to recompute the derived flags.
MATCH (p:Project)
RETURN p.id AS id
