// Give the lock back (only its holder can).
MATCH (l:Lock {id: 'load', token: $token})
DELETE l
RETURN count(*) AS n
