// Interreg 2014-2020 totals of a NUTS-3 region. row: {code, props, source_row}
UNWIND $rows AS row
MATCH (r:Region {code: row.code})
SET r += row.props
