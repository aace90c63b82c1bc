"""What every view needs, built once at start-up (:func:`web.app.create_app`).

A module of its own, importing no view: views reach the state through this type
without importing the module that wires the routes, so ``web`` has no import circle
through ``web.app``.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from babel.support import NullTranslations
from sqlalchemy.engine import Engine

from config.settings import Settings
from directory.conditions.queries import CatalogueQueries
from directory.editorial.review import ReviewQueries
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.slugs import PermalinkQueries
from search.engine import SearchEngine
from web.catalogue_watch import CatalogueWatch


@dataclass(frozen=True)
class AppState:
    """Everything a view needs; built once at start-up."""

    settings: Settings
    db_engine: Engine
    queries: CatalogueQueries
    expertise: ExpertiseQueries
    search: SearchEngine
    envs: dict[str, jinja2.Environment]
    translations: dict[str, NullTranslations]
    reviews: ReviewQueries
    watch: CatalogueWatch
    permalinks: PermalinkQueries  # each language's slug of panels, groups, networks, areas
