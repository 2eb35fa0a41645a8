// title: Organisations of the Euroregion with at least one project (the web benchmark's pages)
MATCH (o:Organisation)
WHERE o.territory IS NOT NULL AND EXISTS { (o)-[:PARTICIPATES_IN]->(:Project) }
RETURN o.id AS id, o.name AS name
ORDER BY o.id
