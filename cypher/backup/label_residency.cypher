// title: Add the label :Residency to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Residency
RETURN count(n) AS n
