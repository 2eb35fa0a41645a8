// title: Sum of PageRank over organisations (to normalise GDS's)
MATCH (o:Organisation)
RETURN sum(coalesce(o.pagerank, 0.0)) AS total, count(o) AS n
