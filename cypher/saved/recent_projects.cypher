// title: Recent projects of a kind of organisation
// title_eu: Erakunde mota baten azken proiektuak
// title_es: Proyectos recientes de un tipo de organización
// title_fr: Projets récents d'un type d'organisation
// description: Projects started in or after the given year in which organisations of the given kind, in the Euroregion, take part.
// description_eu: Emandako urtean edo geroago hasitako proiektuak, non Euroeskualdeko mota horretako erakundeek parte hartzen duten.
// description_es: Proyectos iniciados en el año dado o después en los que participan organizaciones de la Eurorregión del tipo dado.
// description_fr: Projets commencés l'année donnée ou après auxquels participent des organisations de l'Eurorégion du type donné.
// params: kind:kind=vet since:year=2020 cross_border_only:bool=false limit:limit=100
MATCH (o:Organisation {kind: $kind})-[r:PARTICIPATES_IN]->(p:Project)
WHERE o.territory IS NOT NULL AND coalesce(p.start_year, 0) >= $since
  AND (NOT $cross_border_only OR p.cross_border = true)
RETURN p.id AS project_id, p.acronym AS acronym, p.start_year AS year, o.name AS organisation,
       o.territory AS territory, r.role AS role, coalesce(p.cross_border, false) AS cross_border
ORDER BY year DESC, acronym, organisation
LIMIT $limit
