// Candidates of abbreviation-aware entity resolution (loaders/resolve.py): organisations
// whose name_key starts with a block's initial, in the block's country (any when null).
// Blocks split the organisations, so each is returned once at most.
UNWIND $blocks AS b
MATCH (o:Organisation)
WHERE o.name_key STARTS WITH b.initial AND (b.country IS NULL OR o.country = b.country)
RETURN DISTINCT o.id AS id, o.name AS name, o.city AS city, o.country AS country,
       coalesce(o.aliases, []) AS aliases
