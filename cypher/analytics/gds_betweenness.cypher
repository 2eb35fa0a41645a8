// title: GDS betweenness (unweighted, sampled sources), written to betweenness
// params: graph_name, samples (int), seed (int)
CALL gds.betweenness.write($graph_name, {writeProperty: 'betweenness', samplingSize: $samples, samplingSeed: $seed})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten AS written
