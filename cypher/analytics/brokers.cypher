// title: Cross-border brokers (written by lotura analyse), highest broker score first
// params: limit (int), territory (ES21, ES22, FRI or null)
MATCH (o:Organisation)
WHERE o.broker_score > 0 AND ($territory IS NULL OR o.territory = $territory)
RETURN o.id AS id, o.pic AS pic, o.name AS name, o.kind AS kind, o.territory AS territory,
       o.country AS country, o.broker_score AS broker_score, o.territories_reached AS territories_reached,
       o.degree AS degree, o.betweenness AS betweenness, o.pagerank AS pagerank, o.community AS community
ORDER BY broker_score DESC, betweenness DESC, id
LIMIT $limit
