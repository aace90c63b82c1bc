"""The kinds of expertise: their order on a condition page, and how relations and
certainties rank. The kinds themselves are declared in :mod:`directory.vocabulary`."""

from __future__ import annotations

from typing import Final

from directory.vocabulary import (
    DESIGNATION_KINDS,
    Certainty,
    DesignationKind,
    Relation,
)

# The order of the expertise section of a condition page, and why (docs/importers.md):
# panels first (a GP's first concrete step), then the official recognitions (ECZA),
# the professional norms (SONCOS), the field's own organisation (working groups and
# their partners), and the European networks last.
SECTION_ORDER: Final[tuple[DesignationKind, ...]] = (
    "panel",
    "ecza",
    "soncos_reference_centre",
    "expertise_centre",
    "working_group_centre",
    "preferred_partner",
    "ern_member",
)
assert set(SECTION_ORDER) == set(DESIGNATION_KINDS)
RELATION_RANK: Final[dict[Relation, int]] = {"own": 0, "inherited": 1, "descendant": 2}
CERTAINTY_RANK: Final[dict[Certainty | None, int]] = {
    "confirmed": 0,
    "reported": 1,
    None: 2,
    "public-knowledge": 2,
    "uncertain": 3,
}
