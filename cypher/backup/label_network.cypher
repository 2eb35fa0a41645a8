// title: Add the label :Network to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Network
RETURN count(n) AS n
