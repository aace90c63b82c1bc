"""The kinds of expertise: their order on a condition page, which of them name a condition's
centres, and how relations and certainties rank."""

from __future__ import annotations

from directory.expertise.models import DESIGNATION_KINDS

# The order of the expertise section of a condition page, and why (docs/importers.md):
# panels first (a GP's first concrete step), then the official recognitions (ECZA),
# the professional norms (SONCOS), the field's own organisation (working groups and
# their partners), and the European networks last.
SECTION_ORDER = (
    "panel",
    "ecza",
    "soncos_reference_centre",
    "expertise_centre",
    "working_group_centre",
    "preferred_partner",
    "ern_member",
)
assert set(SECTION_ORDER) == set(DESIGNATION_KINDS)
# Kinds whose institutions are the condition's centres. ERN membership is a fact about an
# institution in a European network, never a condition's centre; working groups, their
# partners and panels are routes, not centres.
CENTRE_KINDS = ("ecza", "soncos_reference_centre", "expertise_centre")
RELATION_RANK = {"own": 0, "inherited": 1, "descendant": 2}
CERTAINTY_RANK = {"confirmed": 0, "reported": 1, None: 2, "public-knowledge": 2, "uncertain": 3}
