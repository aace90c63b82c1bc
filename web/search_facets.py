"""The search page's labels for kinds of result and for facets, and its facet views."""

from __future__ import annotations

from starlette.requests import Request

from directory.db import make_session_factory
from directory.expertise.browse import EntityNames, entity_names
from search.engine import SearchResults
from web.contexts.search import FacetValue, FacetView
from web.pages import app_state, tr
from web.search_params import FACET_PREFIX, SearchParams


def kind_label(request: Request, lang: str, kind: str) -> str:
    labels = {
        "condition": tr(request, lang, "Condition"),
        "institution": tr(request, lang, "Hospital or centre"),
        "panel": tr(request, lang, "Expert panel"),
        "working_group": tr(request, lang, "Working group"),
        "network": tr(request, lang, "Network"),
    }
    return labels.get(kind, kind)


def group_label(request: Request, lang: str, kind: str) -> str:
    labels = {
        "condition": tr(request, lang, "Conditions"),
        "institution": tr(request, lang, "Hospitals and centres"),
        "panel": tr(request, lang, "Expert panels"),
        "working_group": tr(request, lang, "Working groups"),
        "network": tr(request, lang, "Networks"),
    }
    return labels.get(kind, kind)


# Facets in the order they are offered; others the engine reports come after, by name.
FACET_ORDER = (
    "kind",
    "expertise",
    "euracan_domain",
    "level",
    "scope",
    "institution",
    "institution_kind",
    "network",
    "network_kind",
    "working_group",
    "group_kind",
)


HIDDEN_FACETS = frozenset({"networks"})  # "network" already offers the regional networks


MAX_FACET_VALUES = 12  # the most frequent ones, plus any the visitor chose


# facet -> kind of entity whose slugs are its values (labelled with the entity's name)
ENTITY_FACETS = {
    "institution": "institution",
    "euracan_domain": "euracan_domain",
    "working_group": "working_group",
    "network": "network",
    "panel": "panel",
}


def facet_label(request: Request, lang: str, name: str) -> str:
    labels = {
        "kind": tr(request, lang, "Type of result"),
        "level": tr(request, lang, "Level in the classification"),
        "status": tr(request, lang, "Status of the code"),
        "expertise": tr(request, lang, "Type of expertise"),
        "euracan_domain": tr(request, lang, "EURACAN domain"),
        "institution": tr(request, lang, "Hospital or centre"),
        "institution_kind": tr(request, lang, "Type of hospital"),
        "network": tr(request, lang, "Regional network"),
        "network_kind": tr(request, lang, "Type of network"),
        "working_group": tr(request, lang, "Working group"),
        "group_kind": tr(request, lang, "Type of group"),
        "scope": tr(request, lang, "National or regional"),
    }
    return labels.get(name, name.replace("_", " ").capitalize())


def value_label(
    request: Request, lang: str, facet: str, value: str, names: EntityNames
) -> tuple[str, str]:
    """The label of a facet value, and its language when it is an entity's name."""
    if facet == "kind":
        return group_label(request, lang, value), ""
    if facet in ENTITY_FACETS:
        name = names.name(ENTITY_FACETS[facet], value, lang)
        return (name, "") if name else (value, "")
    labels = {
        ("level", "group"): tr(request, lang, "Group of conditions"),
        ("level", "disorder"): tr(request, lang, "Disease"),
        ("level", "subtype"): tr(request, lang, "Subtype of a disease"),
        ("status", "active"): tr(request, lang, "In use"),
        ("status", "obsolete"): tr(request, lang, "No longer in use"),
        ("status", "deprecated"): tr(request, lang, "Withdrawn"),
        ("scope", "national"): tr(request, lang, "National"),
        ("scope", "regional"): tr(request, lang, "Regional"),
        ("expertise", "ecza"): tr(request, lang, "Recognised expertise centre (ECZA)"),
        ("expertise", "soncos_reference_centre"): tr(request, lang, "SONCOS reference centre"),
        ("expertise", "expertise_centre"): tr(request, lang, "Expertise centre"),
        ("expertise", "panel"): tr(request, lang, "Expert panel"),
        ("expertise", "working_group_centre"): tr(request, lang, "Centre in a working group"),
        ("expertise", "preferred_partner"): tr(request, lang, "Preferred partner hospital"),
        ("expertise", "ern_member"): tr(request, lang, "Member of a European network (ERN)"),
        ("group_kind", "national_working_group"): tr(request, lang, "National working group"),
        ("group_kind", "initiative"): tr(request, lang, "Initiative for one rare cancer"),
        ("group_kind", "professional_society"): tr(request, lang, "Professional society"),
        ("group_kind", "platform"): tr(request, lang, "Platform"),
        ("group_kind", "patient_platform"): tr(request, lang, "Patient platform"),
        ("network_kind", "regional_oncology"): tr(request, lang, "Regional oncology network"),
        ("network_kind", "head_and_neck"): tr(request, lang, "Head and neck network"),
        ("network_kind", "tumour_type"): tr(request, lang, "Network for one type of tumour"),
        ("institution_kind", "umc"): tr(request, lang, "University medical centre"),
        ("institution_kind", "categorical_cancer_centre"): tr(
            request, lang, "Cancer centre (categorical)"
        ),
        ("institution_kind", "childrens_cancer_centre"): tr(
            request, lang, "Children's cancer centre"
        ),
        ("institution_kind", "top_clinical"): tr(request, lang, "Top clinical hospital"),
        ("institution_kind", "general"): tr(request, lang, "General hospital"),
        ("institution_kind", "radiotherapy"): tr(request, lang, "Radiotherapy centre"),
        ("institution_kind", "other"): tr(request, lang, "Other"),
    }
    return labels.get((facet, value), value), ""


def facet_views(
    request: Request, lang: str, results: SearchResults, params: SearchParams
) -> tuple[FacetView, ...]:
    if not results.facets:
        return ()
    wanted = {ENTITY_FACETS[f] for f in results.facets if f in ENTITY_FACETS}
    names = entity_names(make_session_factory(app_state(request).db_engine), wanted)
    order = {name: i for i, name in enumerate(FACET_ORDER)}
    views: list[FacetView] = []
    for name, counts in sorted(
        results.facets.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])
    ):
        if name in HIDDEN_FACETS:
            continue
        selected = params.kinds if name == "kind" else params.filters.get(name, [])
        values: list[FacetValue] = []
        for v, n in counts.items():
            if n > 0 or v in selected:
                label, label_lang = value_label(request, lang, name, v, names)
                values.append(FacetValue(v, label, n, v in selected, label_lang))
        # A selected value the engine no longer counts must stay visible, to be unticked.
        for v in selected:
            if v not in counts:
                label, label_lang = value_label(request, lang, name, v, names)
                values.append(FacetValue(v, label, 0, True, label_lang))
        if len(values) < 2 and not any(v.selected for v in values):
            continue  # a facet with one value does not help anyone choose
        values.sort(key=lambda v: (-v.count, v.label.casefold()))
        shown = [v for i, v in enumerate(values) if i < MAX_FACET_VALUES or v.selected]
        param = "kind" if name == "kind" else FACET_PREFIX + name
        views.append(FacetView(param, facet_label(request, lang, name), tuple(shown)))
    return tuple(views)
