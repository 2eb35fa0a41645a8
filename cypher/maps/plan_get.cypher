// title: A saved residency plan, to check that a map's residency overlay names one
// params: plan
MATCH (p:Plan {id: $plan})
WHERE p.status = 'saved'
RETURN p.id AS id, p.name AS name
