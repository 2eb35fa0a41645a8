// title: Every relationship with its ends, type and properties (backup; same transaction)
MATCH (a)-[r]->(b)
RETURN elementId(a) AS s, elementId(b) AS e, type(r) AS type, properties(r) AS props
