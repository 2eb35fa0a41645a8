// title: Organisations of the Euroregion per territory and kind
MATCH (o:Organisation)
WHERE o.territory IN $territories
RETURN o.territory AS territory, coalesce(o.kind, 'other') AS kind, count(*) AS n
