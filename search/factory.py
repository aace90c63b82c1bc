"""Choose the search engine from the settings."""

from __future__ import annotations

from expertisewijzer.settings import Settings
from search.engine import SearchEngine
from search.engines.embedded import EmbeddedEngine


def make_search_engine(settings: Settings) -> SearchEngine:
    if settings.search_engine == "meilisearch":
        from search.engines.meilisearch import MeilisearchEngine

        return MeilisearchEngine.from_settings(settings)
    return EmbeddedEngine(settings.search_index_path)
