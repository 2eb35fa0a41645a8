// title: Co-participation ties between organisations of two different territories of the Euroregion
// params: territories (list of ES21, ES22, FRI)
MATCH (a:Organisation)-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(b:Organisation)
WHERE a.territory IN $territories AND b.territory IN $territories
  AND a.territory <> b.territory AND a.id < b.id
RETURN a.id AS source, b.id AS target, count(DISTINCT p) AS weight
