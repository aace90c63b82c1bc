"""Typed, immutable records that importers hand to the catalogue service.

Importers turn a source file into these records (pure code, no database); the
catalogue service (:mod:`directory.conditions.services`) is the only code that writes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

Lang = str  # ISO 639-1 code: "nl", "en", "fr", ...

# Orphanet DisorderType ids -> our classification level, for codes whose
# nomenclature entry (which carries ClassificationLevel) we do not have.
DISORDER_TYPE_LEVEL = {
    36561: "group",  # Category
    21436: "group",  # Clinical group
    21394: "disorder",  # Disease
    21401: "disorder",  # Malformation syndrome
    21408: "disorder",  # Biological anomaly
    21415: "disorder",  # Morphological anomaly
    21422: "disorder",  # Clinical syndrome
    21429: "disorder",  # Particular clinical situation in a disease or syndrome
    21443: "subtype",  # Etiological subtype
    21450: "subtype",  # Clinical subtype
    21457: "subtype",  # Histopathological subtype
}

# Orphanet ClassificationLevel ids (language independent).
CLASSIFICATION_LEVEL = {36540: "group", 36547: "disorder", 36554: "subtype"}


@dataclass(frozen=True)
class ReleaseInfo:
    """Identity, licence and attribution of one source file."""

    source: str
    version: str
    release_date: dt.date | None
    language: Lang | None
    licence: str
    attribution: str
    file_name: str
    sha256: str
    url: str | None = None


@dataclass(frozen=True)
class Redirect:
    from_code: int
    to_code: int
    kind: str  # moved_to | referred_to


@dataclass(frozen=True)
class CrossRef:
    system: str
    code: str
    relation: str | None = None
    validation: str | None = None


@dataclass(frozen=True)
class NomenclatureEntry:
    orphacode: int
    name: str
    synonyms: tuple[str, ...]
    disorder_type: str | None
    disorder_type_id: int | None
    level: str | None
    status: str  # active | obsolete | deprecated
    definition: str | None
    redirects: tuple[Redirect, ...] = ()
    xrefs: tuple[CrossRef, ...] | None = None  # None: the file has no cross-references


@dataclass(frozen=True)
class NomenclatureRelease:
    release: ReleaseInfo
    lang: Lang
    entries: tuple[NomenclatureEntry, ...]


@dataclass(frozen=True)
class ClassificationNode:
    orphacode: int
    name: str
    disorder_type: str | None
    disorder_type_id: int | None


@dataclass(frozen=True)
class ClassificationEdgeRecord:
    parent: int
    child: int
    position: int


@dataclass(frozen=True)
class ClassificationRelease:
    release: ReleaseInfo
    lang: Lang
    classification_id: int
    orphanumber: int | None
    name: str
    nodes: tuple[ClassificationNode, ...]  # one per distinct ORPHAcode
    edges: tuple[ClassificationEdgeRecord, ...]  # distinct (parent, child) pairs


@dataclass(frozen=True)
class EditorialName:
    orphacode: int
    preferred: str
    synonyms: tuple[str, ...]
    proposed: bool = False  # a translation no editor has approved yet


@dataclass(frozen=True)
class EditorialNames:
    """Names written by Expertisewijzer's editors (not Orphanet's official ones)."""

    release: ReleaseInfo
    lang: Lang
    entries: tuple[EditorialName, ...]


@dataclass(frozen=True)
class ProposedSummaryRecord:
    orphacode: int
    summary_nl: str
    summary_en: str
    based_on: str
    line: int


@dataclass(frozen=True)
class ProposedSummaries:
    """Plain-language summaries the editors drafted (shown marked until approved)."""

    release: ReleaseInfo
    entries: tuple[ProposedSummaryRecord, ...]


def mapping_relation(raw: str | None) -> str | None:
    """How a mapped code relates to the ORPHA concept: exact, broader, narrower or "".

    Reads Orphanet's DisorderMappingRelation names in any language ("E (Exact
    mapping: ...)", "NTBT (ORPHA code's Narrower Term maps to a Broader Term)",
    "BTNT (...)", "ND (...)") and the editorial words. NTBT means the other code is
    broader than the ORPHA concept, BTNT that it is narrower. ``None`` for "W"
    (Orphanet marked the mapping wrong): such a mapping must not be used.
    """
    if not raw:
        return ""
    token = raw.strip().split(" ", 1)[0].split("(", 1)[0].strip().upper()
    return {
        "E": "exact",
        "EXACT": "exact",
        "NTBT": "broader",
        "BROADER": "broader",
        "BTNT": "narrower",
        "NARROWER": "narrower",
        "W": None,
    }.get(token, "")
