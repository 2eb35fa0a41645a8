// title: Delete the residencies of a plan that are no longer in it
// params: plan, keep (list of Residency ids to keep)
MATCH (r:Residency {plan: $plan})
WHERE NOT r.id IN $keep
DETACH DELETE r
RETURN count(*) AS deleted
