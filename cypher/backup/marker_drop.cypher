DROP INDEX lotura_restore_id IF EXISTS
