// title: An organisation id from its PIC
MATCH (o:Organisation {pic: $pic})
RETURN o.id AS id
