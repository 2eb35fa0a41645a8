// title: One API token by id, with its user's current role (null when the user is gone)
MATCH (t:ApiToken {id: $id})
OPTIONAL MATCH (u:User {name: t.user})
RETURN t.id AS id, t.hash AS hash, t.name AS name, t.user AS user, coalesce(t.revoked, false) AS revoked,
       u.role AS role, u.name IS NOT NULL AS user_exists,
       coalesce(t.last_used > datetime() - duration('PT1M'), false) AS used_recently
