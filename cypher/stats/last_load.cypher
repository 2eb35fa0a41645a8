// title: The most recent loads
MATCH (l:Load)
RETURN l.id AS id, l.source AS source, l.status AS status, toString(l.started) AS started,
       toString(l.finished) AS finished, l.rows_read AS rows_read, l.rows_rejected AS rows_rejected,
       l.nodes_created AS nodes_created, l.relationships_created AS relationships_created
ORDER BY l.started DESC
LIMIT $limit
