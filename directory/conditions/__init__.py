"""Conditions: the Orphanet spine (conditions, names, classification, cross-references),
source releases and import runs, condition redirects, lay terms and the zero-result log."""
