"""The page frame every page has, and the protocol every page context implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from directory.editorial.review import ReviewDates


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


class PageContext(Protocol):
    """What every page context gives: the template that renders it, and the page frame
    (title, description, canonical and alternate addresses, the search box, the language
    switch, the review dates) that ``base.html`` reads as ``page``.

    A template sees the context as ``ctx``, its frame as ``page`` and the catalogue's
    slugs as ``links`` (:func:`web.pages.html_page`); nothing else but the globals of
    :func:`web.i18n.make_environments`. ``tests/unit/web/test_page_contexts.py`` checks each
    context against its template.
    """

    @property
    def template(self) -> str: ...

    @property
    def page(self) -> Page: ...
