// title: Change a user's role
MATCH (u:User {name: $username})
SET u.role = $role
RETURN u.name AS name
