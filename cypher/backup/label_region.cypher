// title: Add the label :Region to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Region
RETURN count(n) AS n
