// Which of $ids are existing networks.
UNWIND $ids AS id
MATCH (n:Network {id: id})
RETURN n.id AS id
