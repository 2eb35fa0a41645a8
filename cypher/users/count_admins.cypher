// title: How many administrators exist
MATCH (u:User {role: 'admin'})
RETURN count(u) AS n
