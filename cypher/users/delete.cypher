// title: Delete a user and revoke their API tokens
MATCH (u:User {name: $username})
OPTIONAL MATCH (t:ApiToken {user: $username})
SET t.revoked = true, t.revoked_at = datetime()
WITH DISTINCT u
DETACH DELETE u
RETURN count(*) AS deleted
