// Restore marks each new node with a temporary label and its id in the backup file,
// so that relationships find their ends; this index makes that lookup fast.
CREATE INDEX lotura_restore_id IF NOT EXISTS FOR (n:LoturaRestore) ON (n.lotura_restore_id);
CALL db.awaitIndexes(300)
