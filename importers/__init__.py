"""One importer per source: pure transforms from source files to typed records."""
