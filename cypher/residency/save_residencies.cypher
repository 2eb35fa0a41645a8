// title: Save the residencies of a plan with their host and home organisations (idempotent)
// params: plan, rows (list of {id, period, resident, score, explanation, host, host_name,
//         host_territory, home_territory, host_org, home_org})
UNWIND $rows AS row
MERGE (r:Residency {id: row.id})
ON CREATE SET r.loaded_at = datetime(), r.source = 'residency-planner'
SET r.plan = $plan, r.period = row.period, r.resident = row.resident, r.score = row.score,
    r.explanation = row.explanation, r.host = row.host, r.host_name = row.host_name,
    r.host_territory = row.host_territory, r.home_territory = row.home_territory
WITH r, row
OPTIONAL MATCH (r)-[old:HOSTED_BY|RESIDENT_FROM]->(o:Organisation)
  WHERE (type(old) = 'HOSTED_BY' AND o.id <> coalesce(row.host_org, ''))
     OR (type(old) = 'RESIDENT_FROM' AND o.id <> coalesce(row.home_org, ''))
DELETE old
WITH DISTINCT r, row
OPTIONAL MATCH (h:Organisation {id: row.host_org})
OPTIONAL MATCH (f:Organisation {id: row.home_org})
FOREACH (_ IN CASE WHEN h IS NULL THEN [] ELSE [1] END | MERGE (r)-[:HOSTED_BY]->(h))
FOREACH (_ IN CASE WHEN f IS NULL THEN [] ELSE [1] END | MERGE (r)-[:RESIDENT_FROM]->(f))
