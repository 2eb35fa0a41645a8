// title: Add the label :ApiToken to restored nodes that carry several labels
UNWIND $ids AS id
MATCH (n:LoturaRestore {lotura_restore_id: id})
SET n:ApiToken
RETURN count(n) AS n
