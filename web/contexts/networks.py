"""The network page's context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from directory.expertise.views import NetworkDetail
from web.contexts.base import Page
from web.contexts.labels import ExpertiseLabels
from web.hospitals import PlacedHospitals


@dataclass(frozen=True)
class NetworkPage:
    template: ClassVar[str] = "network.html"
    page: Page
    network: NetworkDetail
    labels: ExpertiseLabels
    hospitals: PlacedHospitals  # the members, placed for the visitor, and their map
