// Locate organisations in a region. row: {org, region, source_row}
// The first source that locates an organisation wins: a second, different location
// from another source is not added.
UNWIND $rows AS row
MATCH (o:Organisation {id: row.org})
WHERE NOT EXISTS { (o)-[:LOCATED_IN]->(other:Region) WHERE other.code <> row.region }
MATCH (r:Region {code: row.region})
MERGE (o)-[l:LOCATED_IN]->(r)
ON CREATE SET l.source = $source, l.source_file = coalesce(row.source_file, $source_file),
              l.source_row = row.source_row, l.loaded_at = $loaded_at
