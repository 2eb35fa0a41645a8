// title: Every node with its labels and properties (backup; run inside one read transaction)
MATCH (n)
RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props
