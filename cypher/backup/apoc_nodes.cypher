// title: Create a batch of nodes with any labels (APOC), marked for the relationships
UNWIND $rows AS row
CALL apoc.create.node(row.labels + ['LoturaRestore'], row.props) YIELD node
SET node.lotura_restore_id = row.id
RETURN count(node) AS n
