// The load lock, if any.
MATCH (l:Lock {id: 'load'})
RETURN l.holder AS holder, l.token AS token, l.host AS host, l.pid AS pid, l.load_id AS load_id,
       l.since AS since, l.heartbeat AS heartbeat,
       l.heartbeat < datetime() - duration({minutes: $stale_minutes}) AS stale
