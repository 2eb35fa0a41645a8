// title: Organisations of one community (written by `lotura analyse`)
// params: community (integer or text, as analytics wrote it)
MATCH (o:Organisation)
WHERE o.community = $community
RETURN o.id AS id, o.name AS name, o.short_name AS short_name, o.kind AS kind,
       o.territory AS territory, o.country AS country, o.city AS city, o.nuts3 AS nuts3,
       o.lat AS lat, o.lon AS lon, o.community AS community, o.degree AS degree,
       o.betweenness AS betweenness, o.pagerank AS pagerank
