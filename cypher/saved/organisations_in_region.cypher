// title: Organisations of a NUTS-3 region
// title_eu: NUTS-3 eskualde bateko erakundeak
// title_es: Organizaciones de una región NUTS-3
// title_fr: Organisations d'une région NUTS-3
// description: The organisations located in a NUTS-3 region (for example ES213 Bizkaia, ES220 Navarra, FRI15 Pyrénées-Atlantiques), with their number of projects.
// description_eu: NUTS-3 eskualde batean dauden erakundeak (adibidez ES213 Bizkaia, ES220 Nafarroa, FRI15 Pirinio Atlantikoak), beren proiektu kopuruarekin.
// description_es: Las organizaciones situadas en una región NUTS-3 (por ejemplo ES213 Bizkaia, ES220 Navarra, FRI15 Pirineos Atlánticos), con su número de proyectos.
// description_fr: Les organisations situées dans une région NUTS-3 (par exemple ES213 Biscaye, ES220 Navarre, FRI15 Pyrénées-Atlantiques), avec leur nombre de projets.
// params: nuts3:nuts3=ES213 kind:kind? limit:limit=100
MATCH (o:Organisation {nuts3: $nuts3})
WHERE $kind IS NULL OR o.kind = $kind
WITH o, COUNT { (o)-[:PARTICIPATES_IN]->(:Project) } AS projects
RETURN o.id AS id, o.name AS organisation, o.kind AS kind, o.city AS city, projects
ORDER BY projects DESC, organisation
LIMIT $limit
