// title: API tokens (never their hashes), optionally of one user
MATCH (t:ApiToken)
WHERE $user IS NULL OR t.user = $user
RETURN t.id AS id, t.name AS name, t.user AS user, t.created AS created,
       coalesce(t.revoked, false) AS revoked, t.revoked_at AS revoked_at, t.last_used AS last_used
ORDER BY t.created DESC
