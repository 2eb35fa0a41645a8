// title: Organisations that are members of another organisation (a faculty of its university)
MATCH (m:Organisation)-[:MEMBER_OF]->(u:Organisation)
WHERE m <> u
RETURN m.id AS member, u.id AS umbrella
ORDER BY umbrella, member
