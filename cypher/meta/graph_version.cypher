OPTIONAL MATCH (m:Meta {id: 'graph'})
RETURN m.version AS version
