"""The public pages' views, one module per page type; none imports another
(tests/architecture/test_architecture.py)."""
