// Upsert topics. row: {id, source_row, set: {name, kind, path, uri, skill_type}, tags: [...]}
// Tags accumulate: a skill in the digital and the green ESCO collections has both.
UNWIND $rows AS row
MERGE (t:Topic {id: row.id})
ON CREATE SET t.tags = row.tags, t.source = $source,
              t.source_file = coalesce(row.source_file, $source_file), t.source_row = row.source_row,
              t.loaded_at = $loaded_at
ON MATCH SET t.tags = reduce(acc = coalesce(t.tags, []), x IN coalesce(row.tags, []) |
                             CASE WHEN x IN acc THEN acc ELSE acc + x END)
SET t.name = coalesce(row.set.name, t.name), t.kind = coalesce(row.set.kind, t.kind),
    t.path = coalesce(row.set.path, t.path), t.uri = coalesce(row.set.uri, t.uri),
    t.skill_type = coalesce(row.set.skill_type, t.skill_type)
