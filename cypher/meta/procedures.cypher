// title: Count procedures and functions whose name starts with a prefix
SHOW PROCEDURES YIELD name WHERE name STARTS WITH $prefix
RETURN count(*) AS n
