"""The expert panel page's context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from directory.expertise.entity_fields import PANEL_SECTIONS, EntityField, PageSection
from directory.expertise.views import PanelDetail
from web.contexts.base import Page
from web.contexts.labels import ExpertiseLabels
from web.hospitals import PlacedHospitals


@dataclass(frozen=True)
class PanelPage:
    template: ClassVar[str] = "panel.html"
    page: Page
    panel: PanelDetail
    labels: ExpertiseLabels
    summary: str  # plain-text referral summary the GP can copy
    summary_url: str = ""  # the same text on its own (the copy button's no-JS fallback)
    hospitals: PlacedHospitals | None = None  # coordinating and member hospitals, placed
    # the fields each section of the page shows, from the panel's declaration
    sections: Mapping[PageSection, tuple[EntityField, ...]] = field(
        default_factory=lambda: PANEL_SECTIONS
    )
