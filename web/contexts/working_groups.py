"""The working group page's context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from directory.expertise.views import WorkingGroupDetail
from web.contexts.base import Page
from web.contexts.labels import ExpertiseLabels


@dataclass(frozen=True)
class WorkingGroupPage:
    template: ClassVar[str] = "working_group.html"
    page: Page
    group: WorkingGroupDetail
    labels: ExpertiseLabels
