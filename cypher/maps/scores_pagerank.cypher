// title: The stored pagerank of each given organisation (null when `lotura analyse` has not run), as [id, value] pairs in one record
// params: ids
UNWIND $ids AS id
OPTIONAL MATCH (o:Organisation {id: id})
RETURN collect([id, o.pagerank]) AS pairs
