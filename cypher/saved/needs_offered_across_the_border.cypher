// title: Needs of a territory offered across the border
// title_eu: Lurralde baten beharrak, mugaz bestaldean eskainiak
// title_es: Necesidades de un territorio ofrecidas al otro lado de la frontera
// title_fr: Besoins d'un territoire offerts de l'autre côté de la frontière
// description: Topics that organisations of the territory need, with the organisations of the other territories that offer a capacity on them.
// description_eu: Lurraldeko erakundeek behar dituzten gaiak, eta horietan gaitasuna eskaintzen duten beste lurraldeetako erakundeak.
// description_es: Temas que necesitan organizaciones del territorio, con las organizaciones de los otros territorios que ofrecen una capacidad sobre ellos.
// description_fr: Thèmes dont ont besoin des organisations du territoire, avec les organisations des autres territoires qui offrent une capacité sur ces thèmes.
// params: territory:territory=ES21 limit:limit=100
MATCH (n:Organisation {territory: $territory})-[:NEEDS]->(t:Topic)<-[:COVERS]-(:Capacity)<-[:OFFERS]-(o:Organisation)
WHERE o.territory IS NOT NULL AND o.territory <> $territory
RETURN t.name AS topic, collect(DISTINCT n.name) AS needed_by,
       collect(DISTINCT o.name) AS offered_by, collect(DISTINCT o.territory) AS territories
ORDER BY topic
LIMIT $limit
