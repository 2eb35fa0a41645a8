// title: NUTS-3 regions of the three territories, for the directory filter
MATCH (r:Region)
WHERE r.level = 3 AND r.territory IN $territories
RETURN r.code AS code, r.name AS name, r.territory AS territory
ORDER BY r.territory, r.code
