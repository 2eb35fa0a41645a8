// title: Projects with a participant in the Euroregion, and cross-border ones, per start year
MATCH (p:Project)
WHERE p.start_year IS NOT NULL
  AND EXISTS { (p)<-[:PARTICIPATES_IN]-(o:Organisation) WHERE o.territory IS NOT NULL }
RETURN p.start_year AS year, count(p) AS projects,
       count(CASE WHEN p.cross_border = true THEN 1 END) AS cross_border
ORDER BY year
