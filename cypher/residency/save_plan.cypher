// title: Save a residency plan's header (idempotent); the name it had before, if it was saved already
// params: id, plan_name, default_name, mode, total, cross_border, residencies, unmatched
MERGE (p:Plan {id: $id})
ON CREATE SET p.created = datetime(), p.source = 'residency-planner'
WITH p, p.name AS previous_name
SET p.name = coalesce($plan_name, previous_name, $default_name), p.mode = $mode, p.total = $total,
    p.cross_border = $cross_border, p.residencies = $residencies, p.unmatched = $unmatched, p.status = 'saved'
RETURN p.id AS id, p.created AS created, previous_name, p.name AS name
