// title: Projects joining two territories
// title_eu: Bi lurralde lotzen dituzten proiektuak
// title_es: Proyectos que unen dos territorios
// title_fr: Projets qui relient deux territoires
// description: Projects with at least one participant in each of the two territories, started in or after the given year.
// description_eu: Bi lurraldeetako bakoitzean gutxienez parte-hartzaile bat duten proiektuak, emandako urtean edo geroago hasiak.
// description_es: Proyectos con al menos un participante en cada uno de los dos territorios, iniciados en el año dado o después.
// description_fr: Projets ayant au moins un participant dans chacun des deux territoires, commencés l'année donnée ou après.
// params: first:territory=ES21 second:territory=FRI since:year=2014 limit:limit=100
// distinct: first second
MATCH (a:Organisation {territory: $first})-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(b:Organisation {territory: $second})
WHERE coalesce(p.start_year, 0) >= $since
WITH p, collect(DISTINCT a.name) AS first_partners, collect(DISTINCT b.name) AS second_partners
RETURN p.id AS project_id, p.acronym AS acronym, p.title AS title, p.start_year AS year,
       first_partners, second_partners
ORDER BY year DESC, acronym
LIMIT $limit
