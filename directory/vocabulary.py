"""The closed sets of words the catalogue is written in, each declared once.

Every set is a ``Literal`` type (for signatures and record fields, so mypy catches a
typo such as ``"soncos_reference_center"``) and a tuple of its values derived from that
type with ``typing.get_args`` (for ``CHECK`` constraints, importer validation, editor
choices and the template test). The order of each tuple is the order of the ``CHECK``
constraint it feeds: changing it changes the constraint's text.

Why ``Literal`` and not ``enum.Enum``: the values are stored as plain strings in the
database, the curated JSON and CSV files, the search documents and the JSON API, and
templates print and compare them as strings. A ``Literal`` is a plain ``str`` at run
time, so nothing about storage, (de)serialisation or HTML changes, while a ``str``
``Enum`` would need converting at every boundary (and prints differently).

This module imports nothing of ours: every layer (importers, directory, search, web)
may import it. Templates compare with the same words;
``tests/unit/directory/test_vocabulary.py`` checks every such comparison, and every label
dict, against these sets, so the HTML stays the plain strings it always was.
"""

from __future__ import annotations

from typing import Final, Literal, TypeGuard, TypeVar, get_args

_Word = TypeVar("_Word", bound=str)


def is_one_of(value: str, words: tuple[_Word, ...]) -> TypeGuard[_Word]:
    """``value in words``, which also tells mypy that ``value`` is one of the words."""
    return value in words


def word_in(value: object, words: tuple[_Word, ...]) -> _Word | None:
    """The word of ``words`` that ``value`` is, typed as their ``Literal``; else None."""
    for word in words:
        if value == word:
            return word
    return None


# --- expertise facts (directory/expertise) ---------------------------------------------

# The kinds of expertise fact (designation): the order of the ``designation.kind``
# constraint; the order of a condition page is ``directory.expertise.kinds.SECTION_ORDER``.
DesignationKind = Literal[
    "panel",
    "ecza",
    "soncos_reference_centre",
    "expertise_centre",
    "working_group_centre",
    "preferred_partner",
    "ern_member",
]
DESIGNATION_KINDS: Final[tuple[DesignationKind, ...]] = get_args(DesignationKind)
# Kinds whose institutions are the condition's centres. ERN membership is a fact about an
# institution in a European network, never a condition's centre; working groups, their
# partners and panels are routes, not centres.
CentreKind = Literal["ecza", "soncos_reference_centre", "expertise_centre"]
CENTRE_KINDS: Final[tuple[CentreKind, ...]] = get_args(CentreKind)

# How sure a fact is (docs/data-formats.md §1.5): a source that can know states it
# (confirmed), another organisation reports it (reported), the editors know it but have
# not checked it against a source yet (public-knowledge), or it is inferred (uncertain).
Certainty = Literal["confirmed", "reported", "public-knowledge", "uncertain"]
CERTAINTIES: Final[tuple[Certainty, ...]] = get_args(Certainty)
# Certainties that count as sourced: a named source states the fact.
SourcedCertainty = Literal["confirmed", "reported"]
SOURCED: Final[tuple[SourcedCertainty, ...]] = get_args(SourcedCertainty)

# How a fact reaches a condition: stated for the condition itself (own), for a group it is
# in (inherited), or for a condition below it (descendant).
Relation = Literal["own", "inherited", "descendant"]
RELATIONS: Final[tuple[Relation, ...]] = get_args(Relation)

# Who a designation is for: everyone, only children (the Prinses Máxima Centrum treats
# every child with cancer in the Netherlands) or only adults (a panel for adults).
Population = Literal["all", "children", "adults"]
POPULATIONS: Final[tuple[Population, ...]] = get_args(Population)

# The ``level`` of a designation, by its kind. ECZA recognitions:
EczaLevel = Literal["cluster", "disease", "subtype"]
ECZA_LEVELS: Final[tuple[EczaLevel, ...]] = get_args(EczaLevel)
# Panels (and the ``panel.level`` column):
PanelLevel = Literal["national", "regional"]
PANEL_LEVELS: Final[tuple[PanelLevel, ...]] = get_args(PanelLevel)
# What an ``expertise_centre`` designation rests on: the source says all patients of the
# country go there, it is a national reference centre, an ENETS centre of excellence, or
# the hospital or another body names it an expertise centre.
CentreBasis = Literal[
    "national_centre",
    "reference_centre",
    "enets_centre_of_excellence",
    "expertise_centre",
    "childrens_centre",
]
CENTRE_BASES: Final[tuple[CentreBasis, ...]] = get_args(CentreBasis)
# SONCOS: what the norm asks of a reference centre.
SoncosRequirementKind = Literal["reference_centre_requirements", "treatment_in_reference_centre"]
SONCOS_REQUIREMENT_KINDS: Final[tuple[SoncosRequirementKind, ...]] = get_args(SoncosRequirementKind)

# How a panel takes requests.
SubmissionKind = Literal["portal", "platform", "email", "mdo", "unknown"]
SUBMISSION_KINDS: Final[tuple[SubmissionKind, ...]] = get_args(SubmissionKind)

# --- institutions, networks, groups, sources -------------------------------------------

InstitutionKind = Literal[
    "umc",
    "categorical_cancer_centre",
    "childrens_cancer_centre",
    "top_clinical",
    "general",
    "radiotherapy",
    "other",
]
INSTITUTION_KINDS: Final[tuple[InstitutionKind, ...]] = get_args(InstitutionKind)
# Where an institution is in its life: closed and merged ones are never offered as a
# place to go; their pages and names lead to the successor where there is one.
InstitutionStatus = Literal["active", "closed", "merged"]
INSTITUTION_STATUSES: Final[tuple[InstitutionStatus, ...]] = get_args(InstitutionStatus)
# A treatment centre is a place of care that is no hospital (a radiotherapy institute).
SiteKind = Literal["hospital", "outpatient_clinic", "childrens_hospital", "treatment_centre"]
SITE_KINDS: Final[tuple[SiteKind, ...]] = get_args(SiteKind)

# Every kind is offered in the editor: a network of a kind the form does not offer could
# not be saved (the AYA care network is ``shared_care``).
NetworkKind = Literal["regional_oncology", "head_and_neck", "tumour_type", "shared_care"]
NETWORK_KINDS: Final[tuple[NetworkKind, ...]] = get_args(NetworkKind)
EDITABLE_NETWORK_KINDS: Final[tuple[NetworkKind, ...]] = NETWORK_KINDS

WorkingGroupKind = Literal[
    "national_working_group",
    "professional_society",
    "initiative",
    "platform",
    "patient_platform",
]
WORKING_GROUP_KINDS: Final[tuple[WorkingGroupKind, ...]] = get_args(WorkingGroupKind)

# Who publishes a source, in the words a patient understands (docs/data-formats.md §1.4).
PublisherKind = Literal[
    "ministry",
    "hospital",
    "iknl",
    "professional_body",
    "patient_platform",
    "news",
    "european",
    "report",
    "editors",
    "other",
]
PUBLISHER_KINDS: Final[tuple[PublisherKind, ...]] = get_args(PublisherKind)

PatientResourceKind = Literal["patient_organisation", "information"]
PATIENT_RESOURCE_KINDS: Final[tuple[PatientResourceKind, ...]] = get_args(PatientResourceKind)

# How well the directory answers a condition (the coverage report): a sourced centre of
# its own, one for a group it is in, only a route (panel, working group), or nothing.
Coverage = Literal["own", "group", "route", "none"]
COVERAGES: Final[tuple[Coverage, ...]] = get_args(Coverage)

# --- conditions (directory/conditions) -------------------------------------------------

ConditionLevel = Literal["group", "disorder", "subtype"]
CONDITION_LEVELS: Final[tuple[ConditionLevel, ...]] = get_args(ConditionLevel)
# Where a condition's name or cross-reference comes from.
NameOrigin = Literal["orphanet", "editorial"]
NAME_ORIGINS: Final[tuple[NameOrigin, ...]] = get_args(NameOrigin)

# --- entities: what a page, a search hit, an alias or a redirect is about ---------------

# The entities with a public page of their own (``directory.paths.entity_path``; the
# kinds templates give ``entity_url`` and ``link``, and feedback may be about).
PageKind = Literal[
    "condition", "institution", "panel", "working_group", "network", "domain", "body_area"
]
PAGE_KINDS: Final[tuple[PageKind, ...]] = get_args(PageKind)
# The kinds of entity search indexes (and the API's ``kind`` filter).
SearchKind = Literal["condition", "institution", "panel", "working_group", "network"]
SEARCH_KINDS: Final[tuple[SearchKind, ...]] = get_args(SearchKind)
# The entities an editor-curated search alias may point to.
SearchAliasKind = Literal["institution", "panel", "working_group", "network"]
SEARCH_ALIAS_KINDS: Final[tuple[SearchAliasKind, ...]] = get_args(SearchAliasKind)
# The entities whose old slug may redirect to a new one.
RedirectKind = Literal["institution", "panel", "working_group", "network", "domain", "body_area"]
REDIRECT_KINDS: Final[tuple[RedirectKind, ...]] = get_args(RedirectKind)

# --- search ----------------------------------------------------------------------------

SearchSort = Literal["relevance", "distance"]
SEARCH_SORTS: Final[tuple[SearchSort, ...]] = get_args(SearchSort)
# How an ICD-10 code relates to an ORPHA concept ("" when unknown, outside this set).
MappingRelation = Literal["exact", "broader", "narrower"]
MAPPING_RELATIONS: Final[tuple[MappingRelation, ...]] = get_args(MappingRelation)

# --- the editor area (directory/editorial, directory/accounts) --------------------------

DraftAction = Literal["create", "update", "retire", "revert", "drop_override"]
DRAFT_ACTIONS: Final[tuple[DraftAction, ...]] = get_args(DraftAction)
DraftStatus = Literal["pending", "approved", "rejected", "withdrawn"]
DRAFT_STATUSES: Final[tuple[DraftStatus, ...]] = get_args(DraftStatus)
# What an audit entry records: a draft's action, or an editor's check, an override kept,
# an approval or an account change.
AuditAction = Literal[
    "create",
    "update",
    "retire",
    "revert",
    "drop_override",
    "check",
    "keep_override",
    "approve",
    "account",
]
AUDIT_ACTIONS: Final[tuple[AuditAction, ...]] = get_args(AuditAction)
FeedbackStatus = Literal["new", "handled", "dismissed"]
FEEDBACK_STATUSES: Final[tuple[FeedbackStatus, ...]] = get_args(FeedbackStatus)
Role = Literal["editor", "reviewer", "admin"]
ROLES: Final[tuple[Role, ...]] = get_args(Role)
