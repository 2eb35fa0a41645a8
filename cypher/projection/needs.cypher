// title: Topics organisations need (is_example: a curated example need)
MATCH (o:Organisation)-[r:NEEDS]->(t:Topic)
RETURN o.id AS org, t.id AS topic, coalesce(r.is_example, false) AS is_example
ORDER BY org, topic
