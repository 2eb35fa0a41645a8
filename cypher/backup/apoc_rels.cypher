// title: Create a batch of relationships of any type (APOC) between restored nodes
UNWIND $rows AS row
MATCH (a:LoturaRestore {lotura_restore_id: row.s})
MATCH (b:LoturaRestore {lotura_restore_id: row.e})
CALL apoc.create.relationship(a, row.type, row.props, b) YIELD rel
RETURN count(rel) AS n
