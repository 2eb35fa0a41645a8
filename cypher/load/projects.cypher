// Upsert projects. row: {id, source_row, props: {...}}
// Properties are listed (not `p += row.props`): a literal list keeps the plan free of an
// Eager step, which matters on the 8.5k-project CORDIS load.
UNWIND $rows AS row
MERGE (p:Project {id: row.id})
ON CREATE SET p.source = $source, p.source_file = coalesce(row.source_file, $source_file),
              p.source_row = row.source_row, p.loaded_at = $loaded_at, p.sources = [$source]
ON MATCH SET p.sources = CASE WHEN $source IN coalesce(p.sources, []) THEN p.sources
                              ELSE coalesce(p.sources, []) + $source END
SET p.acronym = row.props.acronym, p.title = row.props.title, p.programme = row.props.programme,
    p.start = row.props.start, p.end = row.props.end, p.start_year = row.props.start_year,
    p.status = row.props.status, p.legal_basis = row.props.legal_basis,
    p.funding_scheme = row.props.funding_scheme, p.call_topic = row.props.call_topic,
    p.total_cost = row.props.total_cost, p.ec_contribution = row.props.ec_contribution,
    p.keywords = row.props.keywords, p.objective = row.props.objective,
    p.digital = row.props.digital, p.green = row.props.green, p.is_example = row.props.is_example
