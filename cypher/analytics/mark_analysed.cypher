// title: Record that the analytics were written (bumps the version: caches key on it)
MERGE (m:Meta {id: 'graph'})
SET m.version = coalesce(m.version, 0) + 1, m.changed_at = datetime(), m.analysed_at = datetime(),
    m.analysed_engine = $engine
RETURN m.version AS version, toString(m.analysed_at) AS analysed_at
