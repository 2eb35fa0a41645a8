// Upsert organisations. row: {id, source_row, set: {...}, fill: {...}, alias}
// `set` properties are the source's own (always written); `fill` ones only fill gaps, so
// the first source that knows them keeps them. The first source keeps the source* fields.
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
ON CREATE SET o += row.fill, o.source = $source, o.source_file = coalesce(row.source_file, $source_file),
              o.source_row = row.source_row, o.loaded_at = $loaded_at, o.sources = [$source],
              o.is_example = coalesce(row.fill.is_example, false)
ON MATCH SET o.name = coalesce(o.name, row.fill.name),
             o.short_name = coalesce(o.short_name, row.fill.short_name),
             o.name_key = coalesce(o.name_key, row.fill.name_key),
             o.kind = coalesce(o.kind, row.fill.kind),
             o.city = coalesce(o.city, row.fill.city),
             o.postcode = coalesce(o.postcode, row.fill.postcode),
             o.country = coalesce(o.country, row.fill.country),
             o.nuts3 = coalesce(o.nuts3, row.fill.nuts3),
             o.territory = coalesce(o.territory, row.fill.territory),
             o.lat = coalesce(o.lat, row.fill.lat),
             o.lon = coalesce(o.lon, row.fill.lon),
             o.url = coalesce(o.url, row.fill.url),
             o.sources = CASE WHEN $source IN o.sources THEN o.sources ELSE coalesce(o.sources, []) + $source END,
             o.aliases = CASE WHEN row.alias IS NULL OR row.alias = o.id OR row.alias IN coalesce(o.aliases, [])
                              THEN o.aliases ELSE coalesce(o.aliases, []) + row.alias END
SET o += row.set
