"""The context of the fixed text pages (about recognitions, accessibility)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from web.contexts.base import Page


@dataclass(frozen=True)
class InfoPage:
    """A page of fixed text (about recognitions, accessibility statement)."""

    template: ClassVar[str]  # each kind of text page says its own

    page: Page
    updated: str  # date the text was last reviewed, formatted for the page's language


@dataclass(frozen=True)
class AboutPage(InfoPage):
    template: ClassVar[str] = "about_recognitions.html"


@dataclass(frozen=True)
class AccessibilityPage(InfoPage):
    template: ClassVar[str] = "accessibility.html"
