"""The search interface that every engine implements, and its neutral types.

Two engines implement :class:`SearchEngine`: the embedded SQLite FTS5 engine
(default; development, tests, CI, small deployments) and Meilisearch
(production scale). Both pass the same contract test suite
(``tests/unit/search/test_contract.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from directory.vocabulary import SEARCH_KINDS, SEARCH_SORTS, SearchKind, SearchSort

KINDS = SEARCH_KINDS
MAX_QUERY_CHARS = 500  # longer input is cut; searching never fails on length
MAX_LIMIT = 100


SORTS = SEARCH_SORTS


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float


@dataclass(frozen=True)
class Location:
    """A place the user gave, as understood: for "9712" the centre of postcode 9712."""

    point: GeoPoint
    label: str  # as given: "9712 AB", "Groningen", "53.2194,6.5665"
    source: str  # postcode | place | coordinates
    place: str = ""  # the place a postcode belongs to


@dataclass(frozen=True)
class RelatedRef:
    """Another catalogue entity a hit is related to (e.g. a group its disease is in)."""

    kind: str
    entity_id: str
    title: str
    title_lang: str
    orphacode: int | None = None


@dataclass(frozen=True)
class CodeMapping:
    """A code of another terminology (ICD-10) mapped to a document's ORPHAcode.

    ``relation`` says how the code relates to the ORPHA concept: ``exact``, ``broader``
    (the code covers more than this concept, e.g. C50 breast for a rare breast
    carcinoma), ``narrower`` (the code is one part of it), or ``""`` when unknown.
    """

    system: str  # "ICD-10"
    code: str  # normalised: "C49.2", "C49"
    relation: str = ""
    origin: str = "orphanet"  # orphanet | editorial


@dataclass(frozen=True)
class SearchDocument:
    """One searchable entity, with Dutch, English and language-neutral fields."""

    id: str  # "<kind>:<entity_id>", unique across kinds
    kind: SearchKind
    entity_id: str
    title_nl: str
    title_en: str
    title_nl_lang: str = "nl"  # the language the Dutch title is really in
    title_en_lang: str = "en"  # and the English one (a Dutch-only record has a Dutch title)
    orphacode: int | None = None
    names_nl: tuple[str, ...] = ()
    names_en: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # ORPHA:178, ICD-10 C41.9, abbreviations, ...
    text_nl: str = ""
    text_en: str = ""
    level: str | None = None
    status: str = "active"
    boost: float = 1.0  # > 1 for records that should win ties (e.g. active, with expertise)
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    locations: tuple[GeoPoint, ...] = ()
    related: tuple[int, ...] = ()  # ORPHAcodes of parents and children (hierarchy)
    parents: tuple[int, ...] = ()  # ORPHAcodes of the groups this condition is in
    children: tuple[int, ...] = ()  # ORPHAcodes of the members of this group
    lay_nl: tuple[str, ...] = ()  # words patients type (lay terms), Dutch
    lay_en: tuple[str, ...] = ()  # and English
    mappings: tuple[CodeMapping, ...] = ()  # ICD-10 codes with their relation
    successors: tuple[int, ...] = ()  # an inactive code's successors (shown instead of it)
    benign: bool = False  # a benign condition (or a group of benign ones)

    def title(self, lang: str) -> str:
        return self.title_nl if lang == "nl" else self.title_en

    def title_lang(self, lang: str) -> str:
        return self.title_nl_lang if lang == "nl" else self.title_en_lang

    def icd10(self) -> tuple[CodeMapping, ...]:
        """The ICD-10 codes, normalised ("C41.9"), with their relation (from ``codes``,
        "ICD-10 C41.9", when the document has no ``mappings``)."""
        found = [m for m in self.mappings if m.system.upper().startswith("ICD")]
        if not found:
            found = [
                CodeMapping(system, value)
                for system, _, value in (c.partition(" ") for c in self.codes)
                if system.upper().startswith("ICD") and value
            ]
        return tuple(
            CodeMapping(
                m.system, m.code.upper().replace(",", ".").rstrip("."), m.relation, m.origin
            )
            for m in found
        )


@dataclass(frozen=True)
class SearchQuery:
    text: str
    lang: str = "nl"
    kinds: tuple[SearchKind, ...] = ()  # empty: all kinds
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # facet -> values
    near: GeoPoint | None = None
    sort: SearchSort = "relevance"
    limit: int = 10
    offset: int = 0


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: SearchKind
    entity_id: str
    title: str
    title_lang: str
    orphacode: int | None
    score: float
    matched: tuple[str, ...] = ()  # why it matched: the names or codes that matched
    distance_km: float | None = None
    # How it matched, in words an API client can act on: name, synonym, lay_term, code,
    # definition, typo, translation, compound, member_of_group, location.
    reasons: tuple[str, ...] = ()
    # For a condition: the groups it belongs to, nearest first. Expertise for a
    # group applies to its members, so these are worth showing with the hit.
    groups: tuple[RelatedRef, ...] = ()
    member_of: RelatedRef | None = None  # shown because it is a member of this group hit
    benign: bool = False  # a benign condition: the page labels it as such
    # "active", or "closed" for a closed hospital found by its name (the page says so;
    # inactive conditions are never hits, their successors are).
    status: str = "active"


@dataclass(frozen=True)
class Reading:
    """How the query was read, for the page to say ("Gezocht op: sarcoom, been").

    Both engines fill it the same way (from :func:`search.query.understand`), except
    ``ignored``, which needs the engine's vocabulary.
    """

    words: tuple[str, ...] = ()  # the words searched for, as typed (folded)
    ignored: tuple[str, ...] = ()  # words no document contains, left out of the search
    context: tuple[str, ...] = ()  # words that say who it is for: "zoon", "7"
    audience: tuple[str, ...] = ()  # children | pregnancy
    ambiguous: tuple[str, ...] = ()  # words with two meanings; both were searched
    common_cancer: str | None = None  # a common cancer the query names: breast, lung, ...
    language: str = "nl"  # the language the query was written in
    symptoms: tuple[str, ...] = ()  # complaints only: nothing was searched, see a GP
    common_benign: tuple[str, ...] = ()  # common benign growths named: no rare cancer


@dataclass(frozen=True)
class SearchResults:
    hits: tuple[SearchHit, ...]
    total: int
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    corrected: str | None = None  # "did you mean": the query as the engine understood it
    location: Location | None = None  # the location used for distances, if any
    reading: Reading = field(default_factory=Reading)


@runtime_checkable
class SearchEngine(Protocol):
    """What the web layer and the CLI need from a search engine."""

    def rebuild(
        self, documents: Iterable[SearchDocument], catalogue_version: int | None = None
    ) -> int:
        """Build a complete new index from ``documents`` and swap it in atomically.

        Searches keep being answered from the old index until the swap.
        ``catalogue_version`` is the version of the catalogue the documents were read
        from (read before them); the index keeps it. Returns the number of documents.
        """
        ...

    def catalogue_version(self) -> int | None:
        """The catalogue version the live index was built from (None: unknown, or no index)."""
        ...

    def search(self, query: SearchQuery) -> SearchResults:
        """Answer a query. Never raises on user input: returns hits or none."""
        ...

    async def search_async(self, query: SearchQuery) -> SearchResults:
        """:meth:`search` for async callers: never blocks the event loop waiting on I/O."""
        ...

    def count(self) -> int:
        """Number of documents in the live index (0 if there is none)."""
        ...

    def warm(self) -> None:
        """Load what the first searches would otherwise load (after a start or a swap)."""
        ...

    def locate(self, text: str) -> Location:
        """Read a postcode, place name or ``lat,lon`` as a location.

        Raises :class:`search.geo.NearError` saying what is wrong with ``text``.
        """
        ...
