// title: The graph's version and when it last changed (the key of every in-process cache)
OPTIONAL MATCH (m:Meta {id: 'graph'})
RETURN m.version AS version, toString(m.changed_at) AS changed_at
