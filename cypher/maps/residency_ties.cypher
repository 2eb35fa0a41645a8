// title: Residency ties of saved plans: host and home organisation of each residency, by plan and period
// params: plan (a saved plan id, or null for every saved plan)
MATCH (p:Plan)
WHERE p.status = 'saved' AND ($plan IS NULL OR p.id = $plan)
MATCH (r:Residency {plan: p.id})-[:HOSTED_BY]->(h:Organisation)
MATCH (r)-[:RESIDENT_FROM]->(f:Organisation)
WHERE h <> f
RETURN p.id AS plan, coalesce(p.name, p.id) AS plan_name, coalesce(r.period, '') AS period,
       h.id AS host, f.id AS home, count(r) AS residents
ORDER BY plan, period, host, home
