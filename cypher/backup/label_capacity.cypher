// title: Add the label :Capacity to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Capacity
RETURN count(n) AS n
