"""The home page's context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from web.contexts.base import Page
from web.contexts.browse import BrowseLink


@dataclass(frozen=True)
class HomePage:
    template: ClassVar[str] = "home.html"
    page: Page
    domains: tuple[BrowseLink, ...]
    body_areas: tuple[BrowseLink, ...]
    condition_count: int
