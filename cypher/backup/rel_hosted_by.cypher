// title: Create a batch of :HOSTED_BY relationships between restored nodes (restore without APOC)
UNWIND $rows AS row
MATCH (a:LoturaRestore {lotura_restore_id: row.s})
MATCH (b:LoturaRestore {lotura_restore_id: row.e})
CREATE (a)-[r:HOSTED_BY]->(b)
SET r = row.props
RETURN count(r) AS n
