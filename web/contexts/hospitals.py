"""The institution (hospital) page's context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from directory.expertise.views import DesignationView, InstitutionDetail
from web.contexts.base import Page
from web.contexts.labels import ExpertiseLabels
from web.map import SiteMap


@dataclass(frozen=True)
class DesignationGroup:
    kind: str
    items: tuple[DesignationView, ...]


@dataclass(frozen=True)
class InstitutionPage:
    template: ClassVar[str] = "institution.html"
    page: Page
    institution: InstitutionDetail
    groups: tuple[DesignationGroup, ...]
    site_map: SiteMap
    labels: ExpertiseLabels
