// title: A topic by id, or else by its exact name (case-insensitive)
// Several topics may share a name (a euroSciVoc field and a keyword): the most used one
// (projects about it, capacities covering it, needs of it), then the smallest id, so the
// same name always gives the same topic. An id found spares the scan by name.
CALL () {
  MATCH (t:Topic {id: $text})
  RETURN t, 0 AS by_name, 0 AS uses
  UNION
  MATCH (t:Topic) WHERE NOT EXISTS { (:Topic {id: $text}) } AND toLower(t.name) = toLower($text)
  RETURN t, 1 AS by_name,
         COUNT { (t)<-[:ABOUT]-(:Project) } + COUNT { (t)<-[:COVERS]-(:Capacity) }
         + COUNT { (t)<-[:NEEDS]-(:Organisation) } AS uses
}
RETURN t.id AS id, t.name AS name
ORDER BY by_name, uses DESC, id
LIMIT 1
