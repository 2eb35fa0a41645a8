// Organisation is a member (a faculty, a school) of another organisation.
// row: {org, target, source_row, props: {role, is_example}}
UNWIND $rows AS row
MATCH (o:Organisation {id: row.org})
MATCH (t:Organisation {id: row.target})
MERGE (o)-[m:MEMBER_OF]->(t)
ON CREATE SET m.source = $source, m.source_file = coalesce(row.source_file, $source_file),
              m.source_row = row.source_row, m.loaded_at = $loaded_at
SET m += row.props
