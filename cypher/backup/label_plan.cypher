// title: Add the label :Plan to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Plan
RETURN count(n) AS n
