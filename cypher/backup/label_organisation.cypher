// title: Add the label :Organisation to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Organisation
RETURN count(n) AS n
