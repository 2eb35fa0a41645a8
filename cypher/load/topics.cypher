// Upsert topics. row: {id, source_row, set: {name, kind, path}, tags: [...]}
// Tags accumulate: a skill in the digital and the green ESCO collections has both.
UNWIND $rows AS row
MERGE (t:Topic {id: row.id})
ON CREATE SET t += row.set, t.tags = row.tags, t.source = $source,
              t.source_file = coalesce(row.source_file, $source_file), t.source_row = row.source_row,
              t.loaded_at = $loaded_at
ON MATCH SET t += row.set,
             t.tags = reduce(acc = coalesce(t.tags, []), x IN coalesce(row.tags, []) |
                             CASE WHEN x IN acc THEN acc ELSE acc + x END)
