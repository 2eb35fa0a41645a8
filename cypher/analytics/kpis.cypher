// title: The counts behind the partnership's KPIs (KSIgune Regional Skills Partnership)
// params: partnership (network id), hub (network id)
CALL () {
  OPTIONAL MATCH (c:Capacity)
  RETURN count(c) AS capacities, count(CASE WHEN c.is_example THEN 1 END) AS capacities_examples
}
CALL () {
  OPTIONAL MATCH (o:Organisation)-[:MEMBER_OF]->(:Network {id: $partnership})
  RETURN count(DISTINCT o) AS members
}
CALL () {
  OPTIONAL MATCH (o:Organisation)-[:MEMBER_OF]->(:Network {id: $hub})
  RETURN count(DISTINCT o) AS hub_agents
}
CALL () {
  OPTIONAL MATCH (p:Project {programme: 'OTHER'})
  RETURN count(p) AS partnership_projects, count(CASE WHEN p.is_example THEN 1 END) AS partnership_projects_examples
}
CALL () {
  OPTIONAL MATCH (p:Project {cross_border: true})
  RETURN count(p) AS cross_border_projects
}
RETURN capacities, capacities_examples, members, hub_agents, partnership_projects,
       partnership_projects_examples, cross_border_projects
