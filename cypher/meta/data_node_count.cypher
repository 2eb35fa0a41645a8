// Nodes other than Lotura's own bookkeeping (Meta), to tell an empty graph.
MATCH (n) WHERE NOT n:Meta
RETURN count(n) AS n
