// title: Organisations of the three territories that have coordinates, for the geographic view
// params: territories
MATCH (o:Organisation)
WHERE o.territory IN $territories AND o.lat IS NOT NULL AND o.lon IS NOT NULL
RETURN o.id AS id, o.name AS name, o.short_name AS short_name, o.kind AS kind,
       o.territory AS territory, o.city AS city, o.lat AS lat, o.lon AS lon
