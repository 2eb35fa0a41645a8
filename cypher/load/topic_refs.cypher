// Which of $ids are existing topics.
UNWIND $ids AS id
MATCH (t:Topic {id: id})
RETURN t.id AS id
