"""Typed page contexts, one module per page type: everything a template may use, computed
before rendering. Each implements :class:`web.contexts.base.PageContext`."""
