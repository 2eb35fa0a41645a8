// title: Every project with a participant: its start year, participants and topics
MATCH (p:Project)<-[:PARTICIPATES_IN]-(o:Organisation)
WITH p, collect(DISTINCT o.id) AS orgs
OPTIONAL MATCH (p)-[:ABOUT]->(t:Topic)
RETURN p.id AS id, p.start_year AS year, p.acronym AS acronym, orgs, collect(DISTINCT t.id) AS topics
ORDER BY id
