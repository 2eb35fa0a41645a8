// title: The graph's version and when it last changed (the projection cache key)
OPTIONAL MATCH (m:Meta {id: 'graph'})
RETURN m.version AS version, toString(m.changed_at) AS changed_at
