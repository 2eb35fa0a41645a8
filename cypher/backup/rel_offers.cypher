// title: Create a batch of :OFFERS relationships between restored nodes (restore without APOC)
UNWIND $rows AS row
MATCH (a:LoturaRestore {lotura_restore_id: row.s})
MATCH (b:LoturaRestore {lotura_restore_id: row.e})
CREATE (a)-[r:OFFERS]->(b)
SET r = row.props
RETURN count(r) AS n
