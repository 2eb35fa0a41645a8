// title: One user by name (with the password hash: for login only)
MATCH (u:User {name: $username})
RETURN u.name AS name, u.role AS role, u.password_hash AS password_hash, u.created AS created
