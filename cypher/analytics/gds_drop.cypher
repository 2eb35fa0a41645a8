// title: Drop a GDS in-memory graph if it exists
// params: graph_name
CALL gds.graph.drop($graph_name, false) YIELD graphName
RETURN graphName
