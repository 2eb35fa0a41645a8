// Upsert organisations. row: {id, source_row, set: {...}, fill: {...}, alias}
// `set` properties are the source's own (written when the source gives them); `fill` ones
// only fill gaps, so the first source that knows them keeps them. The first source keeps
// the source* fields. A kind guessed from the name (kind_source 'name', loaders/save_kinds.py)
// is a gap too: a source's kind replaces it and drops the mark. Properties are listed (no
// `+=`) to keep the plan free of Eager.
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
ON CREATE SET o.source = $source, o.source_file = coalesce(row.source_file, $source_file),
              o.source_row = row.source_row, o.loaded_at = $loaded_at, o.sources = [$source]
ON MATCH SET o.sources = CASE WHEN $source IN coalesce(o.sources, []) THEN o.sources
                              ELSE coalesce(o.sources, []) + $source END,
             o.aliases = CASE WHEN row.alias IS NULL OR row.alias = o.id OR row.alias IN coalesce(o.aliases, [])
                              THEN o.aliases ELSE coalesce(o.aliases, []) + row.alias END
SET o.kind = coalesce(row.set.kind, CASE WHEN o.kind_source = 'name' THEN null ELSE o.kind END,
                     row.fill.kind, o.kind),
    o.kind_source = CASE WHEN row.set.kind IS NULL AND row.fill.kind IS NULL THEN o.kind_source END,
    o.pic = coalesce(row.set.pic, o.pic),
    o.name = coalesce(row.set.name, o.name, row.fill.name),
    o.short_name = coalesce(row.set.short_name, o.short_name, row.fill.short_name),
    o.name_key = coalesce(row.set.name_key, o.name_key, row.fill.name_key),
    o.activity_type = coalesce(row.set.activity_type, o.activity_type),
    o.sme = coalesce(row.set.sme, o.sme),
    o.city = coalesce(row.set.city, o.city, row.fill.city),
    o.postcode = coalesce(row.set.postcode, o.postcode, row.fill.postcode),
    o.country = coalesce(row.set.country, o.country, row.fill.country),
    o.nuts3 = coalesce(row.set.nuts3, o.nuts3, row.fill.nuts3),
    o.territory = coalesce(row.set.territory, o.territory, row.fill.territory),
    o.lat = coalesce(row.set.lat, o.lat, row.fill.lat),
    o.lon = coalesce(row.set.lon, o.lon, row.fill.lon),
    o.url = coalesce(row.set.url, o.url, row.fill.url),
    o.is_example = coalesce(row.set.is_example, o.is_example, row.fill.is_example, false),
    o.uai = coalesce(row.set.uai, o.uai), o.ror = coalesce(row.set.ror, o.ror),
    o.wikidata = coalesce(row.set.wikidata, o.wikidata), o.siren = coalesce(row.set.siren, o.siren),
    o.eus_ccen = coalesce(row.set.eus_ccen, o.eus_ccen),
    o.centre_type = coalesce(row.set.centre_type, o.centre_type),
    o.rnsr_type = coalesce(row.set.rnsr_type, o.rnsr_type), o.domain = coalesce(row.set.domain, o.domain)
WITH o, row WHERE row.region IS NOT NULL
MATCH (r:Region {code: row.region})
WITH o, r, row WHERE NOT EXISTS { (o)-[:LOCATED_IN]->(other:Region) WHERE other.code <> row.region }
MERGE (o)-[l:LOCATED_IN]->(r)
ON CREATE SET l.source = $source, l.source_file = coalesce(row.source_file, $source_file),
              l.source_row = row.source_row, l.loaded_at = $loaded_at
