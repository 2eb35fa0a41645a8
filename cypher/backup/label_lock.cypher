// title: Add the label :Lock to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Lock
RETURN count(n) AS n
