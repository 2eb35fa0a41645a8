// Organisation takes part in a project. row: {org, project, source_row, props: {role, contribution}}
UNWIND $rows AS row
MATCH (o:Organisation {id: row.org})
MATCH (p:Project {id: row.project})
MERGE (o)-[r:PARTICIPATES_IN]->(p)
ON CREATE SET r.source = $source, r.source_file = coalesce(row.source_file, $source_file),
              r.source_row = row.source_row, r.loaded_at = $loaded_at
SET r.role = row.props.role, r.contribution = row.props.contribution
