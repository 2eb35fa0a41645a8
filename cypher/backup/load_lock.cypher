// title: The load lock, when a load holds it
MATCH (l:Lock {id: 'load'})
RETURN l.holder AS holder, l.since AS since
