// title: Add the label :Project to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Project
RETURN count(n) AS n
