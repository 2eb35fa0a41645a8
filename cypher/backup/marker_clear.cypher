// title: Remove the restore marker from a batch of nodes
MATCH (n:LoturaRestore)
WITH n LIMIT $size
REMOVE n:LoturaRestore, n.lotura_restore_id
RETURN count(n) AS n
