// title: Create a batch of :Capacity nodes (restore without APOC), marked for the relationships
UNWIND $rows AS row
CREATE (n:Capacity:LoturaRestore)
SET n = row.props, n.lotura_restore_id = row.id
RETURN count(n) AS n
