// title: Revoke an API token (kept, marked revoked)
MATCH (t:ApiToken {id: $id})
SET t.revoked = true, t.revoked_at = coalesce(t.revoked_at, datetime())
RETURN t.id AS id
