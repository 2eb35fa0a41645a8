// title: The latest loads, newest first
MATCH (l:Load)
RETURN l.id AS id, l.source AS source, l.files AS files, l.status AS status,
       l.started AS started, l.finished AS finished, l.rows_read AS rows_read,
       l.rows_rejected AS rows_rejected, l.nodes_created AS nodes_created,
       l.relationships_created AS relationships_created
ORDER BY l.started DESC
LIMIT $limit
