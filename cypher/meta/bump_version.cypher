MERGE (m:Meta {id: 'graph'})
SET m.version = coalesce(m.version, 0) + 1, m.changed_at = datetime()
RETURN m.version AS version
