// title: Organisations of a territory with the most cross-border partners
// title_eu: Mugaz gaindiko bazkide gehien dituzten lurralde bateko erakundeak
// title_es: Organizaciones de un territorio con más socios transfronterizos
// title_fr: Organisations d'un territoire ayant le plus de partenaires transfrontaliers
// description: For each organisation of the territory, the partners it has in the other two territories through shared projects.
// description_eu: Lurraldeko erakunde bakoitzerako, proiektu partekatuen bidez beste bi lurraldeetan dituen bazkideak.
// description_es: Para cada organización del territorio, los socios que tiene en los otros dos territorios a través de proyectos compartidos.
// description_fr: Pour chaque organisation du territoire, les partenaires qu'elle a dans les deux autres territoires grâce à des projets communs.
// params: territory:territory=FRI kind:kind? limit:limit=25
MATCH (o:Organisation {territory: $territory})-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(q:Organisation)
WHERE q.territory IS NOT NULL AND q.territory <> $territory AND ($kind IS NULL OR o.kind = $kind)
WITH o, count(DISTINCT q) AS partners, count(DISTINCT p) AS projects,
     collect(DISTINCT q.territory) AS territories
RETURN o.id AS id, o.name AS organisation, o.kind AS kind, partners AS cross_border_partners,
       projects AS shared_projects, territories
ORDER BY cross_border_partners DESC, organisation
LIMIT $limit
