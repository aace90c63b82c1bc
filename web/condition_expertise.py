"""The expertise section of the condition page, and the labels of expertise codes.

Kept apart from :mod:`web.expertise_contexts` so that :mod:`web.contexts` can use
it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.conditions.queries import Text
from directory.expertise.route_card import RouteCard
from directory.expertise.views import AppliedDesignation, ConditionExpertise, PatientResourceView
from web.hospitals import PlacedHospitals


@dataclass(frozen=True)
class ExpertiseLabels:
    """UI labels for catalogue codes (kinds, levels, certainty), in the page language."""

    kind: dict[str, str]  # designation kind -> section heading
    kind_short: dict[str, str]  # designation kind -> short label for lists
    explanation: dict[str, str]  # designation kind -> what it means (B1)
    level: dict[str, str]  # ECZA level / panel level / SONCOS requirement kind
    certainty: dict[str, str]  # certainty -> qualifier shown next to a fact
    certainty_explained: dict[str, str]  # certainty -> what it means, in plain words
    publisher_kind: dict[str, str]  # who publishes a source, in plain words
    population: dict[str, str]  # all | children | adults
    institution_kind: dict[str, str]
    site_kind: dict[str, str]
    network_kind: dict[str, str]
    group_kind: dict[str, str]
    submission_kind: dict[str, str]


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
