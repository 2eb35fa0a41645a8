// title: GDS PageRank (weighted), written to pagerank
// params: graph_name
CALL gds.pageRank.write($graph_name, {writeProperty: 'pagerank', relationshipWeightProperty: 'weight',
                               dampingFactor: 0.85, scaler: 'NONE'})
YIELD nodePropertiesWritten, ranIterations
RETURN nodePropertiesWritten AS written, ranIterations AS iterations
