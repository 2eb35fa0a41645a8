// A (:Load) record for a load that starts now.
CREATE (l:Load {id: $id, source: $source, files: $files, started: datetime(), status: 'running',
                holder: $holder})
RETURN l.id AS id
