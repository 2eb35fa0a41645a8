// title: The graph's version, for the web read cache
OPTIONAL MATCH (m:Meta {id: 'graph'})
RETURN m.version AS version, m.changed_at AS changed_at, m.analysed_at AS analysed_at
