// Kinds guessed from names. row: {id, kind}; kind null forgets an earlier guess that the
// name no longer gives. Only a gap or an earlier guess is written: a kind a source gave
// (meanwhile) is never overwritten.
UNWIND $rows AS row
MATCH (o:Organisation {id: row.id})
WHERE o.kind IS NULL OR o.kind_source = $kind_source
SET o.kind = row.kind, o.kind_source = CASE WHEN row.kind IS NULL THEN null ELSE $kind_source END
