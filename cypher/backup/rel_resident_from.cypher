// title: Create a batch of :RESIDENT_FROM relationships between restored nodes (restore without APOC)
UNWIND $rows AS row
MATCH (a:LoturaRestore {lotura_restore_id: row.s})
MATCH (b:LoturaRestore {lotura_restore_id: row.e})
CREATE (a)-[r:RESIDENT_FROM]->(b)
SET r = row.props
RETURN count(r) AS n
