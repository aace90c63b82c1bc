"""The expert panel page's context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

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
