// title: Store a new API token (its hash only) for an existing user
MATCH (u:User {name: $user})
CREATE (t:ApiToken {id: $id, hash: $hash, name: $label, user: u.name, created: datetime(), revoked: false})
RETURN t.id AS id
