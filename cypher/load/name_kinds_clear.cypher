// Forget the kinds guessed from names at the start of a load, so that a source giving a
// kind fills the gap; the end of the load guesses again for the organisations still without one.
MATCH (o:Organisation)
WHERE o.kind_source = $kind_source
REMOVE o.kind, o.kind_source
