// title: When the analytics were last written, and by which engine
OPTIONAL MATCH (m:Meta {id: 'graph'})
RETURN m.analysed_at AS analysed_at, m.analysed_engine AS engine
