"""One applier per source of the conditions domain, each writing its release in one run of
:class:`directory.conditions.runs.CatalogueRuns`."""
