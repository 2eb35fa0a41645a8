// title: The residencies of a saved plan, with their host and home organisations
// params: plan
MATCH (r:Residency {plan: $plan})
OPTIONAL MATCH (r)-[:HOSTED_BY]->(h:Organisation)
OPTIONAL MATCH (r)-[:RESIDENT_FROM]->(f:Organisation)
RETURN r.id AS id, r.period AS period, r.score AS score, r.explanation AS explanation,
       r.host AS host, coalesce(h.name, r.host_name) AS host_name, h.id AS host_org,
       r.host_territory AS host_territory, f.id AS home_org, f.name AS home_name,
       r.home_territory AS home_territory
ORDER BY r.period, host_name, r.id
