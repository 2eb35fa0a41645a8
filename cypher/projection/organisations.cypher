// title: Every organisation with the attributes the projections carry
MATCH (o:Organisation)
RETURN o.id AS id, o.name AS name, o.short_name AS short_name, o.kind AS kind,
       o.territory AS territory, o.country AS country, o.pic AS pic, o.aliases AS aliases,
       o.community AS community, coalesce(o.is_example, false) AS is_example
ORDER BY id
