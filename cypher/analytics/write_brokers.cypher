// title: Write broker scores and territories reached (lotura analyse, gds engine)
// row: {id, broker_score, territories_reached}
UNWIND $rows AS row
MATCH (o:Organisation {id: row.id})
SET o.broker_score = row.broker_score, o.territories_reached = row.territories_reached
