"""Where the visitor is: a Dutch postcode or town they typed (``near`` in the URL)."""

from __future__ import annotations

from search.engine import Location, SearchEngine
from search.geo import NearError

MAX_NEAR_CHARS = 80


def clean_near(raw: str | None) -> str:
    """The ``near`` parameter as typed: spaces collapsed, at most MAX_NEAR_CHARS."""
    return " ".join((raw or "").split())[:MAX_NEAR_CHARS]


def locate(engine: SearchEngine, text: str) -> Location | None:
    """The location the visitor typed, or None when the engine cannot read it."""
    finder = getattr(engine, "locate", None)
    if not text or not callable(finder):
        return None
    try:
        found = finder(text)
    except NearError:
        return None
    return found if isinstance(found, Location) else None
