// title: Replace the working residency plan if nobody changed it since it was read
// params: id, draft (JSON text), revision (the revision read; 0 for a new one)
MERGE (p:Plan {id: $id})
ON CREATE SET p.status = 'working', p.revision = 0, p.created = datetime()
WITH p
WHERE p.status = 'working' AND p.revision = $revision
SET p.draft = $draft, p.revision = $revision + 1, p.updated = datetime()
RETURN p.revision AS revision
