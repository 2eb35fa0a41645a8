// title: Add the label :Topic to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Topic
RETURN count(n) AS n
