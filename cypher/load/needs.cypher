// An organisation needs a topic. row: {org, topic, source_row, props: {note, is_example}}
UNWIND $rows AS row
MATCH (o:Organisation {id: row.org})
MATCH (t:Topic {id: row.topic})
MERGE (o)-[r:NEEDS]->(t)
ON CREATE SET r.source = $source, r.source_file = coalesce(row.source_file, $source_file),
              r.source_row = row.source_row, r.loaded_at = $loaded_at
SET r.note = row.props.note, r.is_example = row.props.is_example
