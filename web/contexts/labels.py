"""UI labels of catalogue codes, translated in the view, looked up by templates."""

from __future__ import annotations

from dataclasses import dataclass

from directory.vocabulary import (
    CentreBasis,
    Certainty,
    DesignationKind,
    EczaLevel,
    InstitutionKind,
    NetworkKind,
    PanelLevel,
    Population,
    PublisherKind,
    SiteKind,
    SoncosRequirementKind,
    SubmissionKind,
    WorkingGroupKind,
)

# The level of a designation, by its kind: ECZA, panel, SONCOS or expertise centre.
DesignationLevel = EczaLevel | PanelLevel | SoncosRequirementKind | CentreBasis


@dataclass(frozen=True)
class ExpertiseLabels:
    """UI labels for catalogue codes (kinds, levels, certainty), in the page language."""

    kind: dict[DesignationKind, str]  # section heading
    kind_short: dict[DesignationKind, str]  # short label for lists
    explanation: dict[DesignationKind, str]  # what it means (B1)
    level: dict[DesignationLevel, str]
    certainty: dict[Certainty, str]  # qualifier shown next to a fact
    certainty_explained: dict[Certainty, str]  # what it means, in plain words
    publisher_kind: dict[PublisherKind, str]  # who publishes a source, in plain words
    population: dict[Population, str]
    institution_kind: dict[InstitutionKind, str]
    site_kind: dict[SiteKind, str]
    network_kind: dict[NetworkKind, str]
    group_kind: dict[WorkingGroupKind, str]
    submission_kind: dict[SubmissionKind, str]
