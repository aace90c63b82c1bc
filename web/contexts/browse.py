"""The contexts of the browse pages (EURACAN domains, body areas) and their links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from web.contexts.base import Page


@dataclass(frozen=True)
class BrowseLink:
    label: str
    url: str
    hint: str = ""
    label_lang: str = ""  # language of ``label`` when it may differ from the page's


@dataclass(frozen=True)
class BrowseCondition:
    orphacode: int
    name: str
    name_lang: str
    url: str
    children: tuple[BrowseCondition, ...] = ()
    benign: bool = False  # labelled "benign"


@dataclass(frozen=True)
class BrowsePage:
    """A EURACAN domain or a body area, with the conditions it covers."""

    template: ClassVar[str] = "browse.html"
    page: Page
    heading: str
    lay_name: str
    intro: str
    conditions: tuple[BrowseCondition, ...]
    siblings: tuple[BrowseLink, ...]  # the other domains or areas
    siblings_heading: str
    search_url: str


@dataclass(frozen=True)
class BrowseIndexPage:
    template: ClassVar[str] = "browse_index.html"
    page: Page
    heading: str
    intro: str
    links: tuple[BrowseLink, ...]
