// title: Saved residency plans, newest first
// params: limit
MATCH (p:Plan)
WHERE p.status = 'saved'
OPTIONAL MATCH (r:Residency {plan: p.id})
RETURN p.id AS id, p.name AS name, toString(p.created) AS created, p.mode AS mode, p.total AS total,
       p.cross_border AS cross_border, p.unmatched AS unmatched, count(r) AS residencies
ORDER BY created DESC, id
LIMIT $limit
