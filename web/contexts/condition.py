"""The condition page's context, with its expertise section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from directory.conditions.queries import ConditionDetail, Text
from directory.expertise.route_card import RouteCard
from directory.expertise.views import AppliedDesignation, ConditionExpertise, PatientResourceView
from web.contexts.base import Page
from web.contexts.labels import ExpertiseLabels
from web.hospitals import PlacedHospitals


@dataclass(frozen=True)
class SectionView:
    """One kind of expertise on a condition page: its items, some hidden when many."""

    kind: str
    items: tuple[AppliedDesignation, ...]
    hidden: int  # descendants' designations not shown (the list would get too long)


@dataclass(frozen=True)
class ConditionExpertiseView:
    """The expertise section of a condition page."""

    expertise: ConditionExpertise
    sections: tuple[SectionView, ...]
    labels: ExpertiseLabels
    condition_title: Text  # the condition's name, with the language it is really in
    card: RouteCard | None = None  # the answer first: where to go
    near: str = ""  # the visitor's postcode or town as typed (kept in links)
    near_label: str | None = None  # as understood, e.g. "9712 (Groningen)"; None: not read
    resources: tuple[PatientResourceView, ...] = ()  # patient organisations, information
    places: PlacedHospitals | None = None  # the card's hospitals on a map, in the card's order


@dataclass(frozen=True)
class ConditionPage:
    template: ClassVar[str] = "condition.html"
    page: Page
    condition: ConditionDetail
    orphanet_url: str
    level_label: str
    status_label: str | None
    title_lang: str
    expertise: ConditionExpertiseView | None = None  # where the expertise is (issue 3)
    summary: Text | None = None  # the editors' plain-language summary (web.editor.public)
    summary_proposed: bool = False  # a draft no editor has approved yet
