// A capacity covers a topic. row: {capacity, topic, source_row}
UNWIND $rows AS row
MATCH (c:Capacity {id: row.capacity})
MATCH (t:Topic {id: row.topic})
MERGE (c)-[r:COVERS]->(t)
ON CREATE SET r.source = $source, r.source_file = coalesce(row.source_file, $source_file),
              r.source_row = row.source_row, r.loaded_at = $loaded_at
