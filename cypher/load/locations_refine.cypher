// Refine organisations' locations. row: {id, region, source_row}
// The first source's location stays (load/organisations), unless this row's region is a
// part of it (a NUTS-3 region of the country recorded): the more precise one replaces it.
// Rows whose organisation is already located at their region do nothing.
UNWIND $rows AS row
WITH row WHERE row.region IS NOT NULL
MATCH (o:Organisation {id: row.id})-[old:LOCATED_IN]->(other:Region)
WHERE other.code <> row.region
MATCH (r:Region {code: row.region})
WHERE EXISTS { (r)-[:PART_OF*1..3]->(other) }
DELETE old
MERGE (o)-[l:LOCATED_IN]->(r)
ON CREATE SET l.source = $source, l.source_file = coalesce(row.source_file, $source_file),
              l.source_row = row.source_row, l.loaded_at = $loaded_at
