// title: Organisations by territory (ES21, ES22, FRI; 'abroad' for every other place) and kind
MATCH (o:Organisation)
RETURN coalesce(o.territory, 'abroad') AS territory, coalesce(o.kind, 'unknown') AS kind, count(*) AS n
