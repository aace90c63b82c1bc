"""Typed page contexts of the expertise pages (institution, panel, working group, network)
and of the expertise section of the condition page.

Labels are translated in the view (``ExpertiseLabels``), so templates only look
them up; everything else comes from the frozen views of
:mod:`directory.expertise.queries`.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.expertise.views import (
    DesignationView,
    InstitutionDetail,
    NetworkDetail,
    PanelDetail,
    WorkingGroupDetail,
)
from web.condition_expertise import ExpertiseLabels
from web.contexts import Page
from web.hospitals import PlacedHospitals
from web.map import SiteMap


@dataclass(frozen=True)
class DesignationGroup:
    kind: str
    items: tuple[DesignationView, ...]


@dataclass(frozen=True)
class InstitutionPage:
    page: Page
    institution: InstitutionDetail
    groups: tuple[DesignationGroup, ...]
    site_map: SiteMap
    labels: ExpertiseLabels


@dataclass(frozen=True)
class PanelPage:
    page: Page
    panel: PanelDetail
    labels: ExpertiseLabels
    summary: str  # plain-text referral summary the GP can copy
    summary_url: str = ""  # the same text on its own (the copy button's no-JS fallback)
    hospitals: PlacedHospitals | None = None  # coordinating and member hospitals, placed


@dataclass(frozen=True)
class WorkingGroupPage:
    page: Page
    group: WorkingGroupDetail
    labels: ExpertiseLabels


@dataclass(frozen=True)
class NetworkPage:
    page: Page
    network: NetworkDetail
    labels: ExpertiseLabels
    hospitals: PlacedHospitals  # the members, placed for the visitor, and their map
