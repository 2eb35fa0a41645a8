// title: Topics organisations need
MATCH (o:Organisation)-[:NEEDS]->(t:Topic)
RETURN o.id AS org, t.id AS topic
ORDER BY org, topic
