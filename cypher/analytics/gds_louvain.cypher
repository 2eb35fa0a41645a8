// title: GDS Louvain (weighted, single-threaded so the split is the same every run), written to community
// params: graph_name
CALL gds.louvain.write($graph_name, {writeProperty: 'community', relationshipWeightProperty: 'weight', concurrency: 1})
YIELD communityCount, modularity
RETURN communityCount AS communities, modularity
