// title: Save a residency plan's header (idempotent)
// params: id, plan_name, mode, total, cross_border, residencies, unmatched
MERGE (p:Plan {id: $id})
ON CREATE SET p.created = datetime(), p.source = 'residency-planner'
SET p.name = $plan_name, p.mode = $mode, p.total = $total, p.cross_border = $cross_border,
    p.residencies = $residencies, p.unmatched = $unmatched, p.status = 'saved'
RETURN p.id AS id, p.created AS created
