// How many regions are loaded (a CORDIS load needs them to locate organisations).
MATCH (r:Region)
RETURN count(r) AS n
