// title: GDS degree (distinct partners), written to degree
// params: graph_name
CALL gds.degree.write($graph_name, {writeProperty: 'degree'})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten AS written
