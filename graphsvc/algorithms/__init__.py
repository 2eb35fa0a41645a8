"""Pure graph algorithms: networkx graphs or plain data in, plain data out.

Nothing in this package touches the Neo4j driver; :mod:`graphsvc.projection` turns the
graph into the inputs these functions take. Each module has ``__all__`` and doctests.

- :mod:`~graphsvc.algorithms.sparse`: an adjacency matrix with its node list, the fast
  form every vectorised algorithm takes.
- :mod:`~graphsvc.algorithms.linkpred`: resource allocation, Adamic–Adar, common
  neighbours, shared projects, partners in a set and a Katz-like 2–3 hop path score.
- :mod:`~graphsvc.algorithms.similarity`: TF-IDF profiles and cosine similarity.
- :mod:`~graphsvc.algorithms.complementarity`: capacities offered on topics needed.
- :mod:`~graphsvc.algorithms.communities`: seeded Louvain and the bridging value of a tie.
- :mod:`~graphsvc.algorithms.centrality`: degree, sampled betweenness, PageRank.
- :mod:`~graphsvc.algorithms.brokers`: cross-border brokers.
- :mod:`~graphsvc.algorithms.gaps`: skills gaps per territory.
- :mod:`~graphsvc.algorithms.scoring`: the weights and the combined score.
- :mod:`~graphsvc.algorithms.learn`: learning those weights from history (listwise).
- :mod:`~graphsvc.algorithms.ranking`: Hits@k, MRR and recall for the back-test.
"""
