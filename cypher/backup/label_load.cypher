// title: Add the label :Load to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Load
RETURN count(n) AS n
