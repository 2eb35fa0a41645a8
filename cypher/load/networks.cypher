// Upsert networks. row: {id, source_row, props: {name, kind, url, is_example}}
UNWIND $rows AS row
MERGE (n:Network {id: row.id})
ON CREATE SET n.source = $source, n.source_file = coalesce(row.source_file, $source_file),
              n.source_row = row.source_row, n.loaded_at = $loaded_at
SET n += row.props
