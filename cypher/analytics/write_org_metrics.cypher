// title: Write the analytics of organisations (lotura analyse, networkx engine)
// row: {id, community, degree, betweenness, pagerank, broker_score, territories_reached}
UNWIND $rows AS row
MATCH (o:Organisation {id: row.id})
SET o.community = row.community, o.degree = row.degree, o.betweenness = row.betweenness,
    o.pagerank = row.pagerank, o.broker_score = row.broker_score,
    o.territories_reached = row.territories_reached
