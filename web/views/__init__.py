"""The public pages' views, one module per page type; none imports another
(tests/test_architecture.py)."""
