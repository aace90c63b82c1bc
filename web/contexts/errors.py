"""The error pages' context (404, 500, 503)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from web.contexts.base import Page


@dataclass(frozen=True)
class ErrorPage:
    template: ClassVar[str] = "error.html"
    page: Page
    status: int
    heading: str
    explanation: str
    extra: tuple[str, ...] = field(default_factory=tuple)
