// title: Topics whose name matches a full-text query
CALL db.index.fulltext.queryNodes('topic_names', $lucene) YIELD node AS t, score
RETURN t.id AS id, t.name AS name, t.kind AS kind, score
ORDER BY score DESC, t.name
LIMIT $limit
