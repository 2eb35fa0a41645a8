// title: Organisations named in the residency CSV files, by id or by name
// params: refs (list of {ref, key, lower}: the cell, its name key, its lower-case form)
UNWIND $refs AS r
OPTIONAL MATCH (byid:Organisation {id: r.ref})
OPTIONAL MATCH (bykey:Organisation {name_key: r.key})
  WHERE byid IS NULL
WITH r, byid, bykey
ORDER BY size(coalesce(bykey.sources, [])) DESC, bykey.id
WITH r, byid, collect(bykey)[0] AS bykey
OPTIONAL MATCH (byname:Organisation)
  WHERE byid IS NULL AND bykey IS NULL
    AND (toLower(byname.name) = r.lower OR toLower(byname.short_name) = r.lower)
WITH r, byid, bykey, byname
ORDER BY byname.id
WITH r, byid, bykey, collect(byname)[0] AS byname
WITH r, coalesce(byid, bykey, byname) AS o
WHERE o IS NOT NULL
OPTIONAL MATCH (o)-[:OFFERS]->(:Capacity)-[:COVERS]->(t:Topic)
WITH r, o, t ORDER BY t.name
RETURN r.ref AS ref, o.id AS id, o.name AS name, o.territory AS territory, o.nuts3 AS nuts3,
       o.country AS country, collect(DISTINCT t.name)[..20] AS topics
