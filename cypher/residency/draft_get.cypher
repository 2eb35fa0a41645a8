// title: The organisers' working residency plan (inputs, pairs, last result) and its revision
// params: id
MATCH (p:Plan {id: $id})
WHERE p.status = 'working'
RETURN p.draft AS draft, p.revision AS revision
