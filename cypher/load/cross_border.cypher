// Project.cross_border: participants in two or more territories of the Euroregion.
// row: {id} (a project id)
UNWIND $rows AS row
MATCH (p:Project {id: row.id})
OPTIONAL MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p)
WITH p, count(DISTINCT o.territory) AS territories
SET p.cross_border = territories >= 2
