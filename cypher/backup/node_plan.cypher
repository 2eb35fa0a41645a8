// title: Create a batch of :Plan nodes (restore without APOC), marked for the relationships
UNWIND $rows AS row
CREATE (n:Plan:LoturaRestore)
SET n = row.props, n.lotura_restore_id = row.id
RETURN count(n) AS n
