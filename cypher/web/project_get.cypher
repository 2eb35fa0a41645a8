// title: One project with its participants and topics
MATCH (p:Project {id: $id})
CALL (p) {
  MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(p)
  WITH o, r ORDER BY o.territory IS NULL, o.territory, CASE r.role WHEN 'coordinator' THEN 0 ELSE 1 END, o.name
  RETURN collect(o {.id, .name, .kind, .country, .territory, .city, role: r.role,
                    contribution: r.contribution}) AS participants
}
CALL (p) {
  OPTIONAL MATCH (p)-[a:ABOUT]->(t:Topic)
  WITH t, a ORDER BY a.weight DESC, t.name
  RETURN collect(t {.id, .name, .kind}) AS topics
}
RETURN p {.*} AS project, participants, topics
