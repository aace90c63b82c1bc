"""Choose and build the search engine from the settings.

Both engines get the gazetteer (postcodes and places) at construction, read
once from the catalogue, so that "sarcoom 9712" is understood as a location.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from config.settings import Settings
from directory.db import make_engine, make_session_factory
from directory.places.geo import GazetteerView, load_gazetteer
from search.engine import SearchEngine
from search.engines.embedded import EmbeddedEngine

log = logging.getLogger(__name__)


def load_catalogue_gazetteer(database_url: str) -> GazetteerView:
    """The catalogue's gazetteer; empty (no location understanding) if it cannot be read."""
    engine = make_engine(database_url)
    try:
        return load_gazetteer(make_session_factory(engine))
    except SQLAlchemyError as exc:
        log.warning("search runs without postcodes and places: %s", exc)
        return GazetteerView()
    finally:
        engine.dispose()


def make_search_engine(settings: Settings, gazetteer: GazetteerView | None = None) -> SearchEngine:
    """The configured engine (``EXW_SEARCH_ENGINE``), with the catalogue's gazetteer."""
    places = gazetteer if gazetteer is not None else load_catalogue_gazetteer(settings.database_url)
    if settings.search_engine == "meilisearch":
        from search.engines.meilisearch import MeilisearchEngine

        return MeilisearchEngine.from_settings(settings, places)
    return EmbeddedEngine(settings.search_index_path, places, cache_size=settings.search_cache_size)
