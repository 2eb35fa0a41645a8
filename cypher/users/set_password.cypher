// title: Replace a user's password hash
MATCH (u:User {name: $username})
SET u.password_hash = $password_hash, u.password_changed = datetime()
RETURN u.name AS name
