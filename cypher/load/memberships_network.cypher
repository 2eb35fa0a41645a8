// Organisation is a member of a network. row: {org, target, source_row, props: {role, is_example}}
UNWIND $rows AS row
MATCH (o:Organisation {id: row.org})
MATCH (n:Network {id: row.target})
MERGE (o)-[m:MEMBER_OF]->(n)
ON CREATE SET m.source = $source, m.source_file = coalesce(row.source_file, $source_file),
              m.source_row = row.source_row, m.loaded_at = $loaded_at
SET m += row.props
