// title: Add the label :Meta to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:Meta
RETURN count(n) AS n
