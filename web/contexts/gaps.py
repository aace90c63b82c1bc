"""The context of the page that says where expertise is missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from directory.expertise.coverage import CoverageReport
from web.contexts.base import Page


@dataclass(frozen=True)
class GapsPage:
    """Where the Netherlands has no named expertise, by EURACAN domain (the coverage)."""

    template: ClassVar[str] = "gaps.html"
    page: Page
    report: CoverageReport
