"""The context of the landing page for professionals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from web.contexts.base import Page


@dataclass(frozen=True)
class ProfessionalsPage:
    template: ClassVar[str] = "professionals.html"
    page: Page
    counts: dict[str, int]
