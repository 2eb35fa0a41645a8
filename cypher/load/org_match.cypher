// Organisations whose normalised name is one of $keys (entity resolution).
UNWIND $keys AS key
MATCH (o:Organisation {name_key: key})
RETURN o.id AS id, o.name_key AS name_key, o.city AS city, o.country AS country
