// title: Add the label :User to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:User
RETURN count(n) AS n
