// title: Create a batch of nodes without a label
UNWIND $rows AS row
CREATE (n:LoturaRestore)
SET n = row.props, n.lotura_restore_id = row.id
RETURN count(n) AS n
