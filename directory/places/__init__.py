"""Places: the gazetteer of Dutch postcodes and place names, and reading a query as a place."""
