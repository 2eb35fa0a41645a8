// title: Delete a saved plan and its residencies
// params: id
MATCH (p:Plan {id: $id})
WHERE p.status = 'saved'
OPTIONAL MATCH (r:Residency {plan: $id})
DETACH DELETE r
WITH DISTINCT p
DETACH DELETE p
RETURN count(*) AS deleted
