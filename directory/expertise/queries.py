"""Read side of the expertise catalogue: frozen views for pages and search documents.

:class:`ExpertiseQueries` is composed of the harmonisation rule
(:mod:`directory.expertise.harmonisation`), the entity pages
(:mod:`directory.expertise.entity_pages`) and the search-index feeds
(:mod:`directory.expertise.index_feeds`); the views are in :mod:`directory.expertise.views`.
"""

from __future__ import annotations

from directory.expertise.entity_pages import EntityPages
from directory.expertise.harmonisation import Harmonisation
from directory.expertise.index_feeds import IndexFeeds


class ExpertiseQueries(Harmonisation, EntityPages, IndexFeeds):
    """Read-only access to the expertise catalogue."""
