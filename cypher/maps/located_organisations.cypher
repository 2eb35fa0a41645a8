// title: Organisations of the three territories for the geographic view (coordinates, else their NUTS-3 region)
// params: territories
MATCH (o:Organisation)
WHERE o.territory IN $territories AND ((o.lat IS NOT NULL AND o.lon IS NOT NULL) OR o.nuts3 IS NOT NULL)
RETURN o.id AS id, o.name AS name, o.short_name AS short_name, o.kind AS kind,
       o.territory AS territory, o.city AS city, o.nuts3 AS nuts3, o.lat AS lat, o.lon AS lon
ORDER BY id
