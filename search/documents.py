"""Catalogue rows -> search documents with Dutch, English and neutral fields.

Only committed catalogue data is read (through :class:`CatalogueQueries`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from directory.conditions.lay_terms import LayTermView
from directory.conditions.queries import (
    CatalogueQueries,
    ConditionIndexRow,
    CrossRefView,
    preferred_names,
)
from directory.conditions.records import mapping_relation
from directory.editorial.queries.summaries import all_summaries
from directory.expertise.queries import ExpertiseQueries
from directory.expertise.search_aliases import AliasView, aliases_by_entity
from directory.expertise.views import (
    ConditionExpertiseFacets,
    InstitutionIndexRow,
    NetworkIndexRow,
    PanelIndexRow,
    SitePoint,
    WorkingGroupIndexRow,
)
from directory.vocabulary import SiteKind
from search.engine import CodeMapping, GeoPoint, SearchDocument
from search.hierarchy import mark_benign
from search.query import normalise_icd10

INACTIVE_BOOST = 0.3


def condition_document(
    row: ConditionIndexRow,
    lay_terms: Sequence[LayTermView] = (),
    summary: Mapping[str, str] | None = None,
) -> SearchDocument:
    """The search document of one condition; ``lay_terms`` are the words patients use.

    ``summary`` is the editors' plain-language summary per language: searchable as
    low-weight text, after the Orphanet definition.
    """
    summary = summary or {}
    preferred = preferred_names(row.names)
    en = preferred.get("en")
    nl = preferred.get("nl")
    title_en = en.value if en else f"ORPHA:{row.orphacode}"
    title_nl = nl.value if nl else title_en

    def names_in(lang: str) -> tuple[str, ...]:
        seen: list[str] = []
        for n in row.names:
            if n.lang == lang and n.text not in seen:
                seen.append(n.text)
        return tuple(seen)

    codes = [f"ORPHA:{row.orphacode}"]
    codes += [f"{x.system} {x.code}" for x in row.xrefs]
    return SearchDocument(
        mappings=icd10_mappings(row.xrefs),
        successors=row.redirects_to if row.status != "active" else (),
        id=f"condition:{row.orphacode}",
        kind="condition",
        entity_id=str(row.orphacode),
        title_nl=title_nl,
        title_nl_lang="nl" if nl else "en",
        title_en=title_en,
        orphacode=row.orphacode,
        names_nl=names_in("nl"),
        names_en=names_in("en"),
        codes=tuple(codes),
        text_nl=_joined(row.definitions.get("nl"), summary.get("nl")),
        text_en=_joined(row.definitions.get("en"), summary.get("en")),
        level=row.level,
        status=row.status,
        boost=1.0 if row.status == "active" else INACTIVE_BOOST,
        facets={"level": (row.level,) if row.level else ()},
        related=row.parents + row.children,
        parents=row.parents,
        children=row.children,
        lay_nl=tuple(t.term for t in lay_terms if t.lang == "nl"),
        lay_en=tuple(t.term for t in lay_terms if t.lang == "en"),
    )


def _joined(*texts: str | None) -> str:
    return "\n".join(t for t in texts if t)


def icd10_mappings(xrefs: Iterable[CrossRefView]) -> tuple[CodeMapping, ...]:
    """A condition's ICD-10 codes with their relation; Orphanet's wrong mappings left out."""
    out: list[CodeMapping] = []
    for x in xrefs:
        if not x.system.upper().replace("-", "").startswith("ICD10"):
            continue
        relation = mapping_relation(x.relation)
        if relation is None:
            continue  # "W": Orphanet marked the mapping wrong
        out.append(CodeMapping("ICD-10", normalise_icd10(x.code), relation, x.origin))
    return tuple(dict.fromkeys(out))


# -- the expertise catalogue: institutions, panels, working groups, networks ----------------

EXPERTISE_BOOST = 1.1  # an active condition with a designation of its own wins ties
MAIN_SITE_KINDS: tuple[SiteKind, ...] = ("hospital", "childrens_hospital")


def _abbreviations(names: Iterable[str]) -> tuple[str, ...]:
    """Names that are codes rather than words: "UMCG", "NKI-AVL", "MUMC+", "D.A.N."."""
    return tuple(n for n in names if " " not in n and len(n) <= 12 and any(c.isupper() for c in n))


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _points(sites: Iterable[SitePoint]) -> tuple[GeoPoint, ...]:
    return tuple(
        dict.fromkeys(
            GeoPoint(s.lat, s.lon) for s in sites if s.lat is not None and s.lon is not None
        )
    )


def with_expertise(doc: SearchDocument, facets: ConditionExpertiseFacets | None) -> SearchDocument:
    """Fold a condition's expertise (own and inherited designations) into its document."""
    if facets is None:
        return doc
    boost = (
        doc.boost * EXPERTISE_BOOST if facets.own_kinds and doc.status == "active" else doc.boost
    )
    return replace(
        doc,
        boost=boost,
        facets={
            **doc.facets,
            "expertise": facets.kinds,
            "institution": facets.institutions,
            "euracan_domain": facets.domains,
        },
    )


def institution_document(row: InstitutionIndexRow) -> SearchDocument:
    """An institution, found by its names and every alias; one location per main site."""
    main = [s for s in row.sites if s.kind in MAIN_SITE_KINDS] or list(row.sites)
    places = _unique(s.city for s in row.sites)
    names = _unique([row.name, row.name_en, *row.aliases])
    # The European Reference Networks it is in, in its description: "ERN GENTURIS" or
    # "EURACAN" finds the Dutch members (the networks have no page of their own).
    erns_nl = tuple(f"{e.code} ({e.name_nl})" for e in row.erns)
    erns_en = tuple(f"{e.code} ({e.name_en})" for e in row.erns)
    return SearchDocument(
        id=f"institution:{row.slug}",
        kind="institution",
        entity_id=row.slug,
        title_nl=row.name,
        title_en=row.name_en or row.name,
        names_nl=names,
        names_en=names,
        codes=_abbreviations(row.aliases),
        text_nl=" ".join((*(s.name for s in row.sites), *places, *erns_nl)),
        text_en=" ".join((*places, *erns_en)),
        facets={
            "institution_kind": (row.kind,),
            "network": row.regional_networks,
            "networks": row.networks,
            "expertise": row.expertise_kinds,
            "institution": (row.slug,),
        },
        locations=_points(main) if row.status == "active" else (),
        related=row.orphacodes,
        status=row.status,
        boost=1.0 if row.status == "active" else INACTIVE_BOOST,
    )


# What a group is, in words people use to describe it: with its scope (a network: its
# region) this makes a description that finds a group with an English name from a Dutch
# description of what it does ("werkgroep sarcomen" -> Dutch Sarcoma Group), and the
# reverse ("oncologienetwerk groningen" -> Groningen-Drenthe).
GROUP_NOUNS: dict[str, tuple[str, str]] = {
    "national_working_group": ("Landelijke werkgroep", "National working group"),
    "initiative": ("Werkgroep", "Working group"),
    "professional_society": ("Beroepsvereniging", "Professional society"),
    "platform": ("Platform", "Platform"),
    "patient_platform": ("Patiëntenplatform", "Patient platform"),
    "panel": ("Expertpanel", "Expert panel"),
    "regional_oncology": ("Regionaal oncologienetwerk", "Regional oncology network"),
    "head_and_neck": ("Hoofd-halsnetwerk", "Head and neck network"),
    "tumour_type": ("Netwerk voor één soort tumor", "Network for one type of tumour"),
}


_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def descriptions(kind: str, scope_nl: str | None, scope_en: str | None) -> tuple[str, str]:
    """ "Landelijke werkgroep: sarcomen en andere tumoren ...", in Dutch and in English."""
    nouns = GROUP_NOUNS.get(kind, ("Werkgroep", "Working group"))
    out = []
    for noun, scope in zip(nouns, (scope_nl or scope_en, scope_en or scope_nl), strict=True):
        # What it covers is the first sentence; later ones are notes, and a note such as
        # "Dit is geen zeldzame kanker" made a panel answer "zeldzame dikkedarmkanker".
        text = _FIRST_SENTENCE.split((scope or "").strip(), maxsplit=1)[0].rstrip(".")
        out.append(f"{noun}: {text[:1].lower()}{text[1:]}" if text else "")
    return out[0], out[1]


def panel_document(row: PanelIndexRow) -> SearchDocument:
    """An expert panel, found by name, short name, aliases and its working group."""
    names_nl = _unique([row.name.nl, row.short_name, *row.aliases])
    names_en = _unique([row.name.en, row.short_name, *row.aliases])
    about_nl, about_en = descriptions("panel", row.scope.nl, row.scope.en)
    return SearchDocument(
        lay_nl=_unique([about_nl]),
        lay_en=_unique([about_en]),
        id=f"panel:{row.slug}",
        kind="panel",
        entity_id=row.slug,
        title_nl=row.name.nl or row.name.en or row.slug,
        title_en=row.name.en or row.name.nl or row.slug,
        names_nl=names_nl,
        names_en=names_en,
        codes=_unique([row.working_group_abbreviation, *_abbreviations(row.aliases)]),
        text_nl=" ".join(_unique([row.scope.nl, row.region.nl, row.purpose.nl])),
        text_en=" ".join(_unique([row.scope.en, row.region.en, row.purpose.en])),
        level=row.level,
        facets={
            "scope": (row.level,),
            "euracan_domain": (row.domain,) if row.domain else (),
            "working_group": (row.working_group,) if row.working_group else (),
            "institution": row.institutions,
            "expertise": ("panel",),
        },
        locations=_points(row.locations),
        related=row.orphacodes,
    )


def working_group_document(row: WorkingGroupIndexRow) -> SearchDocument:
    """A working group, found by name in both languages and by its abbreviation."""
    names = _unique([row.name.nl, row.name.en, row.abbreviation])
    about_nl, about_en = descriptions(row.kind, row.scope.nl, row.scope.en)
    return SearchDocument(
        lay_nl=_unique([about_nl]),
        lay_en=_unique([about_en]),
        id=f"working_group:{row.slug}",
        kind="working_group",
        entity_id=row.slug,
        title_nl=row.name.nl or row.name.en or row.slug,
        title_en=row.name.en or row.name.nl or row.slug,
        names_nl=names,
        names_en=names,
        codes=_unique([row.abbreviation]),
        text_nl=" ".join(_unique([row.domain_label.nl, row.scope.nl, row.description.nl])),
        text_en=" ".join(_unique([row.domain_label.en, row.scope.en, row.description.en])),
        facets={
            "group_kind": (row.kind,),
            "euracan_domain": (row.domain,) if row.domain else (),
            "institution": row.institutions,
            "expertise": ("working_group_centre",) if row.institutions else (),
        },
        related=row.orphacodes,
    )


def network_document(row: NetworkIndexRow) -> SearchDocument:
    """A regional oncology network or other collaboration, with its members' locations."""
    names = _unique([row.name, *row.aliases])
    about_nl, about_en = descriptions(row.kind, row.region.nl, row.region.en)
    return SearchDocument(
        lay_nl=_unique([about_nl]),
        lay_en=_unique([about_en]),
        id=f"network:{row.slug}",
        kind="network",
        entity_id=row.slug,
        title_nl=row.name,
        title_en=row.name,
        names_nl=names,
        names_en=names,
        codes=_abbreviations(row.aliases),
        text_nl=" ".join(_unique([row.region.nl, row.description.nl])),
        text_en=" ".join(_unique([row.region.en, row.description.en])),
        facets={"network_kind": (row.kind,), "institution": row.institutions},
        locations=_points(row.locations),
    )


def with_aliases(doc: SearchDocument, aliases: Sequence[AliasView]) -> SearchDocument:
    """Fold other names people use ("Dijkzigt") into a document's names, per language."""
    if not aliases:
        return doc
    nl = [a.alias for a in aliases if a.lang in (None, "nl")]
    en = [a.alias for a in aliases if a.lang in (None, "en")]
    return replace(
        doc,
        names_nl=_unique([*doc.names_nl, *nl]),
        names_en=_unique([*doc.names_en, *en]),
        codes=_unique([*doc.codes, *_abbreviations(a.alias for a in aliases)]),
    )


def expertise_documents(expertise: ExpertiseQueries) -> Iterator[SearchDocument]:
    """Institutions, panels, working groups and networks."""
    for inst in expertise.institutions_for_index():
        yield institution_document(inst)
    for panel in expertise.panels_for_index():
        yield panel_document(panel)
    for group in expertise.working_groups_for_index():
        yield working_group_document(group)
    for network in expertise.networks_for_index():
        yield network_document(network)


def all_documents(
    queries: CatalogueQueries, expertise: ExpertiseQueries | None = None
) -> Iterator[SearchDocument]:
    """Every search document of the catalogue."""
    expertise = expertise or ExpertiseQueries(queries._sessions)  # same database
    lay_terms = queries.lay_terms()
    summaries = all_summaries(queries._sessions)  # the editors' plain-language summaries
    facets = expertise.condition_facets_for_index()
    conditions = [
        with_expertise(
            condition_document(row, lay_terms.get(row.orphacode, ()), summaries.get(row.orphacode)),
            facets.get(row.orphacode),
        )
        for row in queries.conditions_for_index()
    ]
    yield from mark_benign(conditions)
    aliases = aliases_by_entity(queries._sessions)
    for doc in expertise_documents(expertise):
        yield with_aliases(doc, aliases.get(doc.id, ()))
