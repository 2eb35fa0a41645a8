// title: Bring GDS results to the networkx engine's scale: integer degree, normalised betweenness,
// PageRank summing to 1
// params: betweenness_scale (float), pagerank_total (float)
MATCH (o:Organisation)
SET o.degree = toInteger(coalesce(o.degree, 0)),
    o.betweenness = coalesce(o.betweenness, 0.0) * $betweenness_scale,
    o.pagerank = CASE WHEN $pagerank_total > 0 THEN coalesce(o.pagerank, 0.0) / $pagerank_total ELSE 0.0 END
