// title: Record when a token was last used (at most once a minute)
MATCH (t:ApiToken {id: $id})
WHERE t.last_used IS NULL OR t.last_used < datetime() - duration('PT1M')
SET t.last_used = datetime()
RETURN t.id AS id
