"""The sources page's context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from directory.conditions.queries import ReleaseView
from web.contexts.base import Page


@dataclass(frozen=True)
class SourcesPage:
    template: ClassVar[str] = "sources.html"
    page: Page
    releases: tuple[ReleaseView, ...]
    orphanet_attribution: str
