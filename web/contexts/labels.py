"""UI labels of catalogue codes, translated in the view, looked up by templates."""

from __future__ import annotations

from dataclasses import dataclass


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
