// Close a (:Load) record with its report.
MATCH (l:Load {id: $id})
SET l.finished = datetime(), l.status = $status, l.files = $files, l.rows_read = $rows_read,
    l.rows_rejected = $rows_rejected, l.nodes_created = $nodes_created,
    l.relationships_created = $relationships_created, l.properties_set = $properties_set,
    l.report = $report, l.error = $error
RETURN l.id AS id
