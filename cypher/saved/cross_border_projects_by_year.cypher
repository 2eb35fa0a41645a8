// title: Cross-border projects of a territory, per year
// title_eu: Lurralde baten mugaz gaindiko proiektuak, urtez urte
// title_es: Proyectos transfronterizos de un territorio, por año
// title_fr: Projets transfrontaliers d'un territoire, par année
// description: Projects in which an organisation of the territory works with partners from another territory of the Euroregion, counted per start year.
// description_eu: Lurraldeko erakunde batek Euroeskualdeko beste lurralde bateko bazkideekin lan egiten duen proiektuak, hasiera-urtearen arabera zenbatuta.
// description_es: Proyectos en los que una organización del territorio trabaja con socios de otro territorio de la Eurorregión, contados por año de inicio.
// description_fr: Projets dans lesquels une organisation du territoire travaille avec des partenaires d'un autre territoire de l'Eurorégion, comptés par année de début.
// params: territory:territory=ES21 since:year=2014
MATCH (o:Organisation {territory: $territory})-[:PARTICIPATES_IN]->(p:Project)
WHERE p.cross_border = true AND p.start_year >= $since
MATCH (q:Organisation)-[:PARTICIPATES_IN]->(p)
WHERE q.territory IS NOT NULL AND q.territory <> $territory
RETURN p.start_year AS year, count(DISTINCT p) AS projects,
       count(DISTINCT o) AS organisations, count(DISTINCT q) AS partners_across_the_border
ORDER BY year
