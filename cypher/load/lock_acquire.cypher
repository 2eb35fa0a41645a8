// Take the load lock: free, or held by $takeover (a dead or stale holder), or stale.
// SET l.attempt first takes the node's write lock, so two loads cannot both win.
MERGE (l:Lock {id: 'load'})
SET l.attempt = $token
WITH l, (l.token IS NULL OR l.token = $takeover
         OR l.heartbeat < datetime() - duration({minutes: $stale_minutes})) AS free,
     l.load_id AS previous_load
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l.token = $token, l.holder = $holder, l.host = $host, l.pid = $pid, l.load_id = $load_id,
      l.since = datetime(), l.heartbeat = datetime())
RETURN free, l.holder AS holder, l.since AS since, CASE WHEN free THEN previous_load END AS previous_load
