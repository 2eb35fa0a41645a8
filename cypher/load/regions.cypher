// Upsert NUTS regions. row: {code, level, name, country, territory, name_*, geometry, source_row}
UNWIND $rows AS row
MERGE (r:Region {code: row.code})
ON CREATE SET r.source = $source, r.source_file = coalesce(row.source_file, $source_file), r.source_row = row.source_row,
              r.loaded_at = $loaded_at
SET r.level = row.level, r.name = row.name, r.country = row.country, r.territory = row.territory,
    r.name_native = row.name_native, r.name_en = row.name_en, r.name_es = row.name_es,
    r.name_fr = row.name_fr, r.name_eu = row.name_eu, r.geometry = row.geometry
