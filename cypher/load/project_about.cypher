// A project is about a topic. row: {project, topic, weight, source_row}
UNWIND $rows AS row
MATCH (p:Project {id: row.project})
MATCH (t:Topic {id: row.topic})
MERGE (p)-[a:ABOUT]->(t)
ON CREATE SET a.source = $source, a.source_file = coalesce(row.source_file, $source_file), a.source_row = row.source_row,
              a.loaded_at = $loaded_at
SET a.weight = row.weight
