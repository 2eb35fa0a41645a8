// title: The counts behind the partnership's KPIs (KSIgune Regional Skills Partnership)
// params: partnership (network id), hub (network id)
// Each count comes with how many of the items counted are curated examples (is_example on
// the item, the membership or the organisation): those do not count towards the targets.
CALL () {
  OPTIONAL MATCH (o:Organisation)-[:OFFERS]->(c:Capacity)
  RETURN count(DISTINCT c) AS capacities,
         count(DISTINCT CASE WHEN c.is_example OR o.is_example THEN c END) AS capacities_examples
}
CALL () {
  OPTIONAL MATCH (o:Organisation)-[m:MEMBER_OF]->(:Network {id: $partnership})
  RETURN count(DISTINCT o) AS members,
         count(DISTINCT CASE WHEN m.is_example OR o.is_example THEN o END) AS members_examples
}
CALL () {
  OPTIONAL MATCH (o:Organisation)-[m:MEMBER_OF]->(:Network {id: $hub})
  RETURN count(DISTINCT o) AS hub_agents,
         count(DISTINCT CASE WHEN m.is_example OR o.is_example THEN o END) AS hub_agents_examples
}
CALL () {
  OPTIONAL MATCH (p:Project {programme: 'OTHER'})
  RETURN count(p) AS partnership_projects, count(CASE WHEN p.is_example THEN 1 END) AS partnership_projects_examples,
         count(CASE WHEN p.cross_border THEN 1 END) AS euroregional_projects,
         count(CASE WHEN p.cross_border AND p.is_example THEN 1 END) AS euroregional_projects_examples
}
RETURN capacities, capacities_examples, members, members_examples, hub_agents, hub_agents_examples,
       partnership_projects, partnership_projects_examples, euroregional_projects, euroregional_projects_examples
