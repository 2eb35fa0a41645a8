// Kinds guessed from names. row: {id, kind}. Only a gap is filled: a kind a source gave
// (written meanwhile) is never overwritten.
UNWIND $rows AS row
MATCH (o:Organisation {id: row.id})
WHERE o.kind IS NULL
SET o.kind = row.kind, o.kind_source = $kind_source
