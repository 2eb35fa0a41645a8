// title: Create a batch of :Region nodes (restore without APOC), marked for the relationships
UNWIND $rows AS row
CREATE (n:Region:LoturaRestore)
SET n = row.props, n.lotura_restore_id = row.id
RETURN count(n) AS n
