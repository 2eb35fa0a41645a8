// A load whose holder died: mark it failed.
MATCH (l:Load {id: $id, status: 'running'})
SET l.status = 'failed', l.finished = datetime(), l.error = $error
RETURN l.id AS id
