// An organisation offers a capacity. row: {id, org, source_row, props: {kind, title, description, is_example}}
UNWIND $rows AS row
MATCH (o:Organisation {id: row.org})
MERGE (c:Capacity {id: row.id})
ON CREATE SET c.source = $source, c.source_file = coalesce(row.source_file, $source_file),
              c.source_row = row.source_row, c.loaded_at = $loaded_at
SET c += row.props
MERGE (o)-[r:OFFERS]->(c)
ON CREATE SET r.source = $source, r.source_file = coalesce(row.source_file, $source_file),
              r.source_row = row.source_row, r.loaded_at = $loaded_at
