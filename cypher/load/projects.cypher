// Upsert projects. row: {id, source_row, props: {...}}
UNWIND $rows AS row
MERGE (p:Project {id: row.id})
ON CREATE SET p.source = $source, p.source_file = coalesce(row.source_file, $source_file), p.source_row = row.source_row,
              p.loaded_at = $loaded_at
SET p += row.props
SET p.sources = CASE WHEN $source IN coalesce(p.sources, []) THEN p.sources
                     ELSE coalesce(p.sources, []) + $source END
