// title: Project the co-participation graph into GDS (Cypher projection; weight = shared projects)
// params: graph_name (the in-memory graph's name)
MATCH (a:Organisation)
OPTIONAL MATCH (a)-[:PARTICIPATES_IN]->(:Project)<-[:PARTICIPATES_IN]-(b:Organisation)
WHERE elementId(a) < elementId(b)
WITH a, b, count(b) AS shared
WITH gds.graph.project($graph_name, a, b,
       {relationshipProperties: {weight: toFloat(shared)}},
       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS relationships
