"""Typed page contexts: everything a template may use, computed before rendering.

Templates do no I/O; they receive one of these frozen dataclasses as ``page``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from directory.queries import ConditionDetail, ReleaseView
from search.engine import SearchHit


@dataclass(frozen=True)
class Alternate:
    lang: str
    url: str


@dataclass(frozen=True)
class Page:
    lang: str
    title: str
    description: str
    canonical: str  # absolute URL
    alternates: tuple[Alternate, ...]  # this page in every language, incl. this one
    query: str = ""  # text for the search box in the header
    noindex: bool = False

    def alternate(self, lang: str) -> str:
        for a in self.alternates:
            if a.lang == lang:
                return a.url
        return f"/{lang}/"


@dataclass(frozen=True)
class HitView:
    hit: SearchHit
    url: str
    kind_label: str


@dataclass(frozen=True)
class SearchPage:
    page: Page
    query: str
    hits: tuple[HitView, ...]
    total: int
    message: str | None = None  # a plain explanation when input was not usable


@dataclass(frozen=True)
class ConditionPage:
    page: Page
    condition: ConditionDetail
    orphanet_url: str
    level_label: str
    status_label: str | None
    title_lang: str


@dataclass(frozen=True)
class SourcesPage:
    page: Page
    releases: tuple[ReleaseView, ...]
    orphanet_attribution: str


@dataclass(frozen=True)
class ErrorPage:
    page: Page
    status: int
    heading: str
    explanation: str
    extra: tuple[str, ...] = field(default_factory=tuple)
