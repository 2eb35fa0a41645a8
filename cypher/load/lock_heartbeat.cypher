// The holder shows it is alive.
MATCH (l:Lock {id: 'load', token: $token})
SET l.heartbeat = datetime()
RETURN count(l) AS n
