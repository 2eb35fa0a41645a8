// title: Communities (written by lotura analyse), largest first, with their most central members
// params: limit (int), top (int)
MATCH (o:Organisation)
WHERE o.community IS NOT NULL
WITH o ORDER BY o.pagerank DESC, o.id
WITH o.community AS community, collect(o) AS members
WITH community, members, size(members) AS size
WHERE size > 1
RETURN community, size,
       size([m IN members WHERE m.territory = 'ES21']) AS es21,
       size([m IN members WHERE m.territory = 'ES22']) AS es22,
       size([m IN members WHERE m.territory = 'FRI']) AS fri,
       [m IN members[0..$top] | m {.id, .name, .kind, .territory, .country, .pagerank}] AS top
ORDER BY size DESC, community
LIMIT $limit
