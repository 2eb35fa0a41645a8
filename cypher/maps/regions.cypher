// title: Regions with their simplified outline (GeoJSON geometry as a JSON string)
// params: codes (list of NUTS codes)
UNWIND $codes AS code
MATCH (r:Region {code: code})
RETURN r.code AS code, r.name AS name, r.level AS level, r.territory AS territory,
       r.geometry AS geometry
