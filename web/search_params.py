"""The search page's parameters: read and checked, and written back into its links."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request

from directory.numbers import ascii_int
from directory.paths import page_path
from directory.vocabulary import SearchKind, SearchSort, is_one_of
from search.engine import KINDS, MAX_QUERY_CHARS, SORTS
from web.contexts.search import SortLink
from web.location import clean_near
from web.pages import tr

PER_PAGE = 20


MAX_PAGE = 50  # deeper than this nobody reads; it also bounds the work per request


FACET_PREFIX = "f_"


MAX_FILTER_VALUES = 20


_FACET_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class SearchParams:
    """The parsed parameters, and what was wrong with them."""

    def __init__(self, request: Request, lang: str, params: QueryParams) -> None:
        self.errors: list[str] = []
        self.q = params.get("q", "")
        if len(self.q) > MAX_QUERY_CHARS:
            self.q = self.q[:MAX_QUERY_CHARS]
        self.page = 1
        raw_page = params.get("page", "")
        if raw_page:
            page = ascii_int(raw_page)
            if page is not None and 1 <= page <= MAX_PAGE:
                self.page = page
            else:
                self.errors.append(
                    tr(request, lang, "The page number must be a whole number from 1 to %(max)s.")
                    % {"max": MAX_PAGE}
                )
        self.kinds: list[SearchKind] = []
        for k in params.getlist("kind"):
            if is_one_of(k, KINDS):
                if k not in self.kinds:
                    self.kinds.append(k)
            elif k:
                self.errors.append(
                    tr(request, lang, "We do not know the type of result you chose.")
                )
        self.filters: dict[str, list[str]] = {}
        for key, value in params.multi_items():
            if not key.startswith(FACET_PREFIX) or not value:
                continue
            name = key[len(FACET_PREFIX) :]
            if not _FACET_NAME.match(name) or len(value) > 200:
                self.errors.append(tr(request, lang, "One of the filters is not valid."))
                continue
            values = self.filters.setdefault(name, [])
            if value not in values and len(values) < MAX_FILTER_VALUES:
                values.append(value)
        self.near = clean_near(params.get("near"))
        given = params.get("sort", "") or "relevance"
        self.sort: SearchSort = "relevance"
        if is_one_of(given, SORTS):
            self.sort = given
        else:
            self.errors.append(tr(request, lang, "We do not know that order of results."))
        # Errors are reported once each, in the order found.
        self.errors = list(dict.fromkeys(self.errors))

    def items(
        self, *, page: int | None = None, q: str | None = None, sort: str | None = None
    ) -> list[tuple[str, str]]:
        """The query string of this search (optionally another page or text)."""
        out: list[tuple[str, str]] = [("q", self.q if q is None else q)]
        out += [("kind", k) for k in self.kinds]
        for name, values in self.filters.items():
            out += [(FACET_PREFIX + name, v) for v in values]
        if self.near:
            out.append(("near", self.near))
        if sort is None:
            sort = self.sort
        if sort != "relevance":
            out.append(("sort", sort))
        if page and page > 1:
            out.append(("page", str(page)))
        return out


def search_url(lang: str, items: list[tuple[str, str]]) -> str:
    return page_path("search", lang) + "?" + urlencode(items)


def sort_links(request: Request, lang: str, params: SearchParams) -> tuple[SortLink, ...]:
    """Order by relevance or by distance (offered when a place is known)."""
    labels = {
        "relevance": tr(request, lang, "Best match first"),
        "distance": tr(request, lang, "Nearest first"),
    }
    return tuple(
        SortLink(labels[s], search_url(lang, params.items(sort=s)), s == params.sort) for s in SORTS
    )
