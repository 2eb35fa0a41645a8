// title: Headline totals of the graph
CALL () { MATCH (o:Organisation) RETURN count(o) AS organisations }
CALL () { MATCH (o:Organisation) WHERE o.territory IS NOT NULL RETURN count(o) AS euroregion }
CALL () { MATCH (p:Project) RETURN count(p) AS projects }
CALL () { MATCH (p:Project) WHERE p.cross_border = true RETURN count(p) AS cross_border }
CALL () { MATCH (c:Capacity) RETURN count(c) AS capacities }
CALL () { MATCH (t:Topic) RETURN count(t) AS topics }
RETURN organisations, euroregion, projects, cross_border, capacities, topics
