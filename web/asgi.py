"""ASGI entry point for process managers and multi-worker serving.

``uvicorn --factory web.asgi:app_from_environment`` (or ``expertisewijzer serve
--workers N``) builds the application in each worker process from the
settings in the environment, read once at start-up.
"""

from __future__ import annotations

from starlette.applications import Starlette

from config.settings import Settings
from web.app import create_app


def app_from_environment() -> Starlette:
    return create_app(Settings.from_env())
