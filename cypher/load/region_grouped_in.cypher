// ES21, ES22 and FRI grouped in the Euroregion. row: {child, parent, source_row}
UNWIND $rows AS row
MATCH (c:Region {code: row.child})
MATCH (p:Region {code: row.parent})
MERGE (c)-[r:GROUPED_IN]->(p)
ON CREATE SET r.source = $source, r.source_file = coalesce(row.source_file, $source_file), r.source_row = row.source_row,
              r.loaded_at = $loaded_at
