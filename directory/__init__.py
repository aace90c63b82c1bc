"""The normalised catalogue: conditions, names, classification, sources and runs.

This package imports nothing from ``importers``, ``search`` or ``web``.
"""
