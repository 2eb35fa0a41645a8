"""The ``lotura`` command line (click). Thin: it parses, calls graphsvc/loaders/web,
and translates Lotura's errors into ``Error: ...`` with exit status 1."""
