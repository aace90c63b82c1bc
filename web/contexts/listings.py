"""The context of the index pages of panels, working groups, networks and hospitals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from web.contexts.base import Page
from web.contexts.labels import ExpertiseLabels


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Filter:
    name: str  # the query parameter
    label: str
    options: tuple[FilterOption, ...]


@dataclass(frozen=True)
class ListingPage:
    """One index page: its filters, the rows that pass them, and their total."""

    template: ClassVar[str] = "listing.html"
    page: Page
    heading: str
    intro: str
    kind: str  # panels | working_groups | networks | institutions
    filters: tuple[Filter, ...]
    rows: tuple[object, ...]
    total: int
    labels: ExpertiseLabels
    near: str = ""
    near_label: str | None = None
    distances: tuple[float | None, ...] = ()  # per row, when ``near`` was understood
    reset_url: str = ""
