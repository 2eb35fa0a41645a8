// title: How many communities `lotura analyse` wrote, and their lowest and highest numbers
MATCH (o:Organisation)
WHERE o.community IS NOT NULL
RETURN count(DISTINCT o.community) AS communities, min(o.community) AS lowest, max(o.community) AS highest
