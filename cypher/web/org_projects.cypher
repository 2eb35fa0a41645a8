// title: The projects of an organisation, newest first, with its role
MATCH (:Organisation {id: $id})-[r:PARTICIPATES_IN]->(p:Project)
RETURN p.id AS id, p.acronym AS acronym, p.title AS title, p.programme AS programme,
       p.start AS start, p.end AS end, p.start_year AS start_year,
       coalesce(p.cross_border, false) AS cross_border, r.role AS role, r.contribution AS contribution
ORDER BY p.start_year DESC, p.start DESC, p.acronym
LIMIT $limit
