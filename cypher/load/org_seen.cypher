// Where earlier loads wrote these organisation records (entity resolution): under their
// own id (id = ref), or merged into another organisation that lists the id in `aliases`.
UNWIND $ids AS ref
MATCH (o:Organisation {id: ref})
RETURN ref, o.id AS id
UNION
MATCH (o:Organisation) WHERE o.aliases IS NOT NULL
UNWIND o.aliases AS ref
WITH o, ref WHERE ref IN $ids
RETURN ref, o.id AS id
