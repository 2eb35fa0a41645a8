// title: Capacities, needs and example records of the partnership
OPTIONAL MATCH (c:Capacity)
WITH count(c) AS capacities, sum(CASE WHEN c.is_example THEN 1 ELSE 0 END) AS capacity_examples
OPTIONAL MATCH ()-[n:NEEDS]->()
RETURN capacities, capacity_examples, count(n) AS needs,
       sum(CASE WHEN n.is_example THEN 1 ELSE 0 END) AS need_examples
