// title: Every user, without password hashes
MATCH (u:User)
OPTIONAL MATCH (t:ApiToken {user: u.name}) WHERE NOT coalesce(t.revoked, false)
WITH u, count(t) AS tokens
RETURN u.name AS name, u.role AS role, u.created AS created, tokens
ORDER BY name
