"""The search page's context: hits, groups, facets, pages, sorts, the reading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from markupsafe import Markup

from search.engine import SearchHit
from web.contexts.base import Page
from web.contexts.browse import BrowseLink


@dataclass(frozen=True)
class HitView:
    hit: SearchHit
    url: str
    kind_label: str
    title_html: Markup  # escaped title with the matching words in <mark>
    matched_html: tuple[Markup, ...]  # escaped names/codes that matched, marked likewise
    distance: str | None = None  # "12,5 km", formatted for the page's language
    nearest: BrowseLink | None = None  # a condition's nearest hospital: "UMCG, Groningen"
    groups: tuple[BrowseLink, ...] = ()  # groups a condition belongs to, nearest first
    member_of: BrowseLink | None = None  # shown because it belongs to this group hit
    benign: bool = False  # labelled "benign" in the list


@dataclass(frozen=True)
class HitGroup:
    """The hits of one kind on this page (groups are ordered by their best hit)."""

    kind: str
    label: str  # plural heading, e.g. "Conditions"
    hits: tuple[HitView, ...]
    total: int | None = None  # hits of this kind over all pages, when the engine counts them


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    label_lang: str = ""  # language of ``label`` when it is a name that may differ


@dataclass(frozen=True)
class FacetView:
    name: str  # the query parameter: "kind" or "f_<facet>"
    label: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    current: int
    last: int
    links: tuple[PageLink, ...]  # a window around the current page, plus first and last
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class SortLink:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Ambiguity:
    """A word with two meanings, both searched: "been" (bone or leg)."""

    word: str
    first: str
    second: str


@dataclass(frozen=True)
class ReadingView:
    """How the query was read, in the page's language (issue 11)."""

    words: str | None = None  # "sarcoom, been": shown when it differs from what was typed
    ignored: str | None = None  # "blorp, qwzx": words no document contains, left out
    ambiguous: tuple[Ambiguity, ...] = ()
    children: bool = False  # the question is about a child
    pregnancy: bool = False  # the question is about a pregnancy
    young_adult: bool = False  # the question is about someone of 18 to 39
    symptoms: bool = False  # only complaints: nothing was searched, see a GP
    common_benign: str | None = None  # "vleesboom": common benign growths the query names


@dataclass(frozen=True)
class CommonCancerCard:
    """A common cancer was named: it is usually not rare; where to read more."""

    name: str  # "borstkanker" / "breast cancer"
    title: str  # "Borstkanker is meestal geen zeldzame kanker"
    rare_forms: tuple[BrowseLink, ...]  # conditions among the results


@dataclass(frozen=True)
class SearchPage:
    """The results page, also used for an empty query and for unusable input."""

    template: ClassVar[str] = "search.html"
    page: Page
    query: str
    total: int
    groups: tuple[HitGroup, ...]
    facets: tuple[FacetView, ...] = ()
    hidden_params: tuple[tuple[str, str], ...] = ()  # q, pc, ... kept by the facet form
    pagination: Pagination | None = None
    corrected: str | None = None  # "did you mean"
    corrected_url: str | None = None
    near: str | None = None  # the place distances are measured from, as understood
    near_input: str = ""  # what the visitor typed in the postcode/place field
    near_note: str | None = None  # why no distances are shown for that place
    errors: tuple[str, ...] = ()  # plain explanations of unusable parameters
    message: str | None = None  # guidance when there is no query yet
    clear_filters_url: str | None = None
    browse: tuple[BrowseLink, ...] = ()  # ways to browse, offered when nothing is found
    reading: ReadingView | None = None
    common_cancer: CommonCancerCard | None = None
    sorts: tuple[SortLink, ...] = ()  # best match / nearest first, when a place is known
    nearby: tuple[BrowseLink, ...] = ()  # a place without a disease: the nearest hospitals

    @property
    def searched(self) -> bool:
        return bool(self.query.strip()) and not self.errors
