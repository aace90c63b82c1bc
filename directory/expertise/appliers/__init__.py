"""One applier per expertise source: the typed records of one release, resolved and written
through the skeleton of :mod:`directory.expertise.applier`."""
