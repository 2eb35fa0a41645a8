// title: Projects with a participant in each territory, and cross-border projects
MATCH (p:Project)
OPTIONAL MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p) WHERE o.territory IS NOT NULL
WITH p, collect(DISTINCT o.territory) AS territories
RETURN count(p) AS total,
       sum(CASE WHEN 'ES21' IN territories THEN 1 ELSE 0 END) AS es21,
       sum(CASE WHEN 'ES22' IN territories THEN 1 ELSE 0 END) AS es22,
       sum(CASE WHEN 'FRI' IN territories THEN 1 ELSE 0 END) AS fri,
       sum(CASE WHEN p.cross_border THEN 1 ELSE 0 END) AS cross_border
