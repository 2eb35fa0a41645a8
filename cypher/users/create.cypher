// title: Create a user unless one with that name exists; created tells which happened
MERGE (u:User {name: $username})
ON CREATE SET u.role = $role, u.password_hash = $password_hash, u.created = datetime(), u._new = true
WITH u, coalesce(u._new, false) AS created
REMOVE u._new
RETURN created
