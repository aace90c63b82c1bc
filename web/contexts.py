"""Typed page contexts: everything a template may use, computed before rendering.

Templates do no I/O; they receive one of these frozen dataclasses as ``page``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from directory.conditions.queries import ConditionDetail, ReleaseView, Text
from directory.editorial.review import ReviewDates
from web.condition_expertise import ConditionExpertiseView


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
    site_url: str = ""  # public base URL (no trailing slash), for absolute links
    keep: str = ""  # the query string the language switch keeps (postcode, filters, page)
    near: str = ""  # the visitor's postcode or town (``near``): links to other pages keep it
    review: ReviewDates | None = None  # when a person last checked this page's facts

    def alternate(self, lang: str) -> str:
        for a in self.alternates:
            if a.lang == lang:
                return a.url
        return f"/{lang}/"

    def switch(self, lang: str) -> str:
        """This page in ``lang`` with every parameter kept (the hreflang links keep none)."""
        url = self.alternate(lang)
        if self.keep and "?" not in url:
            return f"{url}?{self.keep}"
        return url


@dataclass(frozen=True)
class ConditionPage:
    page: Page
    condition: ConditionDetail
    orphanet_url: str
    level_label: str
    status_label: str | None
    title_lang: str
    expertise: ConditionExpertiseView | None = None  # where the expertise is (issue 3)
    summary: Text | None = None  # the editors' plain-language summary (web.editor.public)
    summary_proposed: bool = False  # a draft no editor has approved yet


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
