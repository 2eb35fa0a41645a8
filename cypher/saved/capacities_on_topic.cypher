// title: Capacities on a topic
// title_eu: Gai bati buruzko gaitasunak
// title_es: Capacidades sobre un tema
// title_fr: Capacités sur un thème
// description: Training, research and transfer capacities whose topic name contains the given words, with the organisation that offers them.
// description_eu: Prestakuntza-, ikerketa- eta transferentzia-gaitasunak, gaiaren izenak emandako hitzak dituenean, eta eskaintzen dituen erakundea.
// description_es: Capacidades de formación, investigación y transferencia cuyo tema contiene las palabras dadas, con la organización que las ofrece.
// description_fr: Capacités de formation, de recherche et de transfert dont le thème contient les mots donnés, avec l'organisation qui les offre.
// params: topic:text=audiovisual territory:territory? limit:limit=100
MATCH (o:Organisation)-[:OFFERS]->(c:Capacity)-[:COVERS]->(t:Topic)
WHERE toLower(t.name) CONTAINS toLower($topic) AND ($territory IS NULL OR o.territory = $territory)
RETURN o.id AS id, o.name AS organisation, o.territory AS territory, c.kind AS capacity_kind,
       c.title AS capacity, t.name AS topic
ORDER BY territory, organisation, capacity
LIMIT $limit
