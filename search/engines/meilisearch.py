"""The Meilisearch adapter: the same :class:`~search.engine.SearchEngine` on a Meilisearch server.

Uses the official, synchronous ``meilisearch`` client, always with an explicit
timeout, never directly from ``async`` code (the web views are plain functions
that Starlette runs in its threadpool; :meth:`MeilisearchEngine.search_async`
does the same for async callers).

How the catalogue maps onto Meilisearch (see ``docs/search.md``):

* **One Meilisearch document per site.** A document with several locations
  (an institution with several hospitals) becomes one Meilisearch document per
  location, each with its ``_geo``; ``distinctAttribute`` is the entity id, so
  a search returns each entity once (with a geo sort: its nearest site).
* **Keys.** Besides the Dutch and English names, every document carries the
  spelling *keys* of its words, of adjacent words joined and of compound parts
  (:mod:`search.variants`); queries are sent as keys too. Meilisearch's own typo
  tolerance, prefix search and word concatenation then work on top of the same
  normalisation the embedded engine uses (c/k, ph/f, tumour/tumor, ...).
* **Settings:** searchable, filterable and sortable attributes,
  ``localizedAttributes`` (``*_nl`` Dutch, ``*_en`` English), synonyms from the
  nl/en lexicon (as keys), stop words, typo tolerance (Meilisearch defaults: one
  typo from 5 letters, two from 9), ``distinctAttribute``, ranking rules ending
  with the record's boost.
* **Rebuild:** a new index is filled (documents in batches; every task's final
  status is checked and a failure raised) and then swapped with the live one,
  so searches never go empty; the old index is deleted afterwards.
* **Issue 11, with Meilisearch's own features:** the words the catalogue and the
  lexicon know are ``typoTolerance.disableOnWords`` (a known word is never corrected
  into another); ``rankingRules`` start with ``words`` then ``typo`` (exact above
  typo); the query is read by :func:`search.query.understand` (question words and
  ages dropped, compounds split into the lexicon's parts so a typo stays inside a
  part); known words are sent first and unknown ones last, and
  ``matchingStrategy: "last"`` drops from the end, so unknown words go before known
  ones; a short last word is followed by a space so it is not completed; obsolete
  codes are filtered out of text searches and their names are searchable on their
  successors; the audience (children, pregnancy) is a filterable field.
"""

from __future__ import annotations

import contextlib
import math
import re
import time
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import anyio.to_thread
from meilisearch import Client
from meilisearch.errors import MeilisearchError

from config.settings import Settings
from directory.places.geo import GazetteerView
from directory.vocabulary import SearchKind
from search.engine import (
    MAX_LIMIT,
    GeoPoint,
    Location,
    RelatedRef,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.engines.ranking import (
    CODE,
    LAY,
    NAME,
    TITLE,
    DocScore,
    Field,
    SpanPlan,
    TermPlan,
    compound_heads,
    doc_index,
    field_extras,
    make_field,
    name_fields,
    score_doc,
)
from search.geo import nearest_km, parse_near
from search.hierarchy import ancestors, expertise_locations
from search.lexicon import (
    ABBREVIATIONS,
    BODY_SITES,
    HOSPITAL_WORDS,
    INSTITUTION_WORDS,
    RELATED,
    STOPWORDS,
    TRANSLATIONS,
)
from search.query import (
    CHILDREN,
    MIN_PREFIX,
    PREGNANCY,
    Term,
    Understanding,
    reading_of,
    understand,
)
from search.variants import word_key

PRIMARY_KEY = "uid"
FACETS = ("kind", "level", "status", "euracan_domain", "network", "institution", "expertise")
FILTERABLE = (
    *FACETS,
    "entity",
    "orphacode",
    "icd10",
    "is_primary",
    "audience",
    "benign",
    "_geo",
)
SORTABLE = ("_geo", "boost")
SEARCHABLE = (
    "keys_names",
    "keys_lay",
    "keys_codes",
    "keys_former",
    "title_nl",
    "title_en",
    "names_nl",
    "names_en",
    "lay_nl",
    "lay_en",
    "codes",
    "text_nl",
    "text_en",
)
RANKING_RULES = ("words", "typo", "proximity", "attribute", "sort", "exactness", "boost:desc")
LOCALES = {"nl": "nld", "en": "eng"}
BATCH_SIZE = 1000
MAX_HITS = 1000  # Meilisearch's maxTotalHits: how deep pagination can go
MEMBER_GAP = 45.0
NEARBY_RADIUS_M = 400_000
MAX_GROUPS = 4
RELATION_ORDER = {"exact": 0, "narrower": 1, "": 2, "broader": 3}
AUDIENCE_HITS = 5  # the places for a child or a pregnancy fetched for the second place
VOCABULARY_TTL = 60.0  # seconds a search process keeps the index's known words
# Words of the lexicon (single words), as keys: known to every index.
LEXICON_KEYS = frozenset(
    word_key(w) for w in (*TRANSLATIONS, *BODY_SITES, *ABBREVIATIONS, *RELATED) if " " not in w
)
PREGNANCY_KEYS = frozenset(word_key(w) for w in ("zwangerschap", "pregnancy"))

_FILTER_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class MeilisearchIndexError(RuntimeError):
    """A Meilisearch task failed or timed out; the live index was not changed."""


# -- settings and documents (pure: tested without a server) -------------------------------


def synonyms() -> dict[str, list[str]]:
    """Index synonyms from the Dutch <-> English lexicon, as keys (queries are sent as keys).

    A multi-word side stays a phrase ("weke delen" <-> "soft tissue"); Meilisearch
    applies synonyms of up to three words.
    """
    out: dict[str, set[str]] = {}
    for phrase, others in TRANSLATIONS.items():
        key = " ".join(word_key(w) for w in phrase.split())
        if len(phrase.split()) > 3:
            continue
        for other in others:
            other_key = " ".join(word_key(w) for w in other.split())
            if other_key != key and len(other.split()) <= 3:
                out.setdefault(key, set()).add(other_key)
    # Abbreviations the catalogue does not use, one way: "hipec" -> "peritoneum".
    for abbreviation, meanings in ABBREVIATIONS.items():
        key = word_key(abbreviation)
        out.setdefault(key, set()).update(
            " ".join(word_key(w) for w in m.split()) for m in meanings
        )
    return {k: sorted(v) for k, v in sorted(out.items())}


def vocabulary(docs: Sequence[SearchDocument]) -> list[str]:
    """The words Meilisearch must never correct into others: every key of the documents'
    names and lay terms (with compound parts), and the lexicon's words."""
    heads = compound_heads(docs)
    known = set(LEXICON_KEYS)
    for doc in docs:
        for f in name_fields(doc, heads):
            known.update(k for k in f.index if " " not in k and not k.isdigit())
    return sorted(k for k in known if len(k) >= 2)


def index_settings(known_words: Sequence[str] = ()) -> dict[str, Any]:
    """The index settings, as the Meilisearch settings API expects them.

    ``known_words`` (:func:`vocabulary`) become ``typoTolerance.disableOnWords``: as in
    the embedded engine, a word the catalogue or the lexicon knows is never matched as a
    typo of another ("maagkanker" is not "oogkanker").
    """
    return {
        "searchableAttributes": list(SEARCHABLE),
        "filterableAttributes": list(FILTERABLE),
        "sortableAttributes": list(SORTABLE),
        "displayedAttributes": ["*"],
        "distinctAttribute": "entity",
        "rankingRules": list(RANKING_RULES),
        "localizedAttributes": [
            {"attributePatterns": ["*_nl"], "locales": [LOCALES["nl"]]},
            {"attributePatterns": ["*_en"], "locales": [LOCALES["en"]]},
        ],
        "stopWords": sorted(STOPWORDS),
        "synonyms": synonyms(),
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnAttributes": ["codes", "keys_codes"],
            "disableOnNumbers": True,
            "disableOnWords": list(known_words),
        },
        "pagination": {"maxTotalHits": MAX_HITS},
        "faceting": {"maxValuesPerFacet": 200},
    }


def _keys_text(fields: Iterable[Field]) -> str:
    return " ".join(dict.fromkeys(k for f in fields for k in f.index))


def meili_documents(docs: Sequence[SearchDocument]) -> list[dict[str, Any]]:
    """Our documents as Meilisearch documents: one per location (site), keys included."""
    heads = compound_heads(docs)
    groups = ancestors(docs)
    inherited = expertise_locations(docs)
    titles = {
        d.orphacode: (d.title_nl, d.title_nl_lang, d.title_en)
        for d in docs
        if d.kind == "condition" and d.orphacode is not None
    }
    # The names of an obsolete code are searchable on its successors (the code itself is
    # never a text result).
    former: dict[int, list[str]] = {}
    for doc in docs:
        if doc.status != "active" and doc.successors:
            keys = _keys_text(f for f in name_fields(doc, heads) if f.kind in (TITLE, NAME))
            for code in doc.successors:
                former.setdefault(code, []).append(keys)
    out: list[dict[str, Any]] = []
    for doc in docs:
        fields = name_fields(doc, heads)
        locations = doc.locations or inherited.get(doc.id, ())
        icd10: list[str] = []
        relations: dict[str, str] = {}
        for m in doc.icd10():
            icd10 += [m.code, m.code.split(".")[0]]
            best = relations.get(m.code)
            if best is None or RELATION_ORDER[m.relation] < RELATION_ORDER[best]:
                relations[m.code] = m.relation
        base: dict[str, Any] = {
            "entity": doc.id,
            "kind": doc.kind,
            "entity_id": doc.entity_id,
            "orphacode": doc.orphacode,
            "title_nl": doc.title_nl,
            "title_nl_lang": doc.title_nl_lang,
            "title_en": doc.title_en,
            "title_en_lang": doc.title_en_lang,
            "names_nl": list(doc.names_nl),
            "names_en": list(doc.names_en),
            "lay_nl": list(doc.lay_nl),
            "lay_en": list(doc.lay_en),
            "codes": list(doc.codes),
            "icd10": sorted(set(icd10)),
            "text_nl": doc.text_nl,
            "text_en": doc.text_en,
            "level": doc.level,
            "status": doc.status,
            "boost": doc.boost,
            "keys_names": _keys_text(f for f in fields if f.kind in (TITLE, NAME)),
            "keys_lay": _keys_text(f for f in fields if f.kind == LAY),
            "keys_codes": _keys_text(f for f in fields if f.kind == CODE),
            "keys_former": " ".join(former.get(doc.orphacode, ())) if doc.orphacode else "",
            "icd10_relation": relations,
            "benign": doc.benign,
            "audience": _audience(doc, fields),
            "successors": list(doc.successors),
            "fields": [[f.kind, f.text, list(f.keys), field_extras(f)] for f in fields],
            "locations": [[p.lat, p.lon] for p in locations],
            "children": list(doc.children),
            "groups": [
                {
                    "orphacode": code,
                    "title_nl": titles[code][0],
                    "title_nl_lang": titles[code][1],
                    "title_en": titles[code][2],
                }
                for code in (groups.get(doc.orphacode, ()) if doc.orphacode else ())
                if code in titles
            ][:MAX_GROUPS],
        }
        for facet, values in doc.facets.items():
            if facet in FACETS and facet != "kind" and values:
                base[facet] = list(values)
        if not locations:
            out.append({**base, PRIMARY_KEY: _uid(doc.id, 0), "is_primary": True})
            continue
        for n, point in enumerate(locations):
            out.append(
                {
                    **base,
                    PRIMARY_KEY: _uid(doc.id, n),
                    "is_primary": n == 0,
                    "_geo": {"lat": point.lat, "lng": point.lon},
                }
            )
    return out


def _audience(doc: SearchDocument, fields: Sequence[Field]) -> list[str]:
    """Who a document is the place for, as the embedded engine decides it."""
    out = []
    if doc.kind == "institution" and "childrens_cancer_centre" in doc.facets.get(
        "institution_kind", ()
    ):
        out.append(CHILDREN)
    if doc.kind != "condition" and any(
        PREGNANCY_KEYS & set(f.keys) for f in fields if f.kind in (TITLE, NAME)
    ):
        out.append(PREGNANCY)
    return out


def _uid(doc_id: str, site: int) -> str:
    # Meilisearch ids allow a-z A-Z 0-9 - and _ only.
    return re.sub(r"[^A-Za-z0-9_-]", "_", doc_id) + (f"-site{site}" if site else "")


def quote_filter_value(value: str | int | float) -> str:
    """A value in a Meilisearch filter expression: numbers as they are, text quoted.

    Inside double quotes only ``\\`` and ``"`` are special (escaped with a backslash);
    operators such as ``OR``, ``AND``, ``NOT``, ``TO`` and brackets inside a quoted
    value are plain text.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("a filter value must be a finite number")
        return repr(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_in(attribute: str, values: Sequence[str | int]) -> str:
    if not _FILTER_NAME.match(attribute):
        raise ValueError(f"not a filterable attribute name: {attribute!r}")
    return f"{attribute} IN [{', '.join(quote_filter_value(v) for v in values)}]"


def query_filters(query: SearchQuery) -> list[str]:
    """The query's kinds and facet filters, ANDed (a list), values ORed (IN)."""
    out: list[str] = []
    if query.kinds:
        out.append(filter_in("kind", query.kinds))
    for facet, values in sorted(query.filters.items()):
        if values and facet in FACETS:
            out.append(filter_in(facet, values))
    return out


@dataclass(frozen=True)
class MeiliRequest:
    """One search request: the ``q`` string and the other parameters."""

    q: str
    params: dict[str, Any] = field(default_factory=dict)


def query_words(
    u: Understanding, known: Collection[str] = frozenset()
) -> tuple[list[str], tuple[str, ...]]:
    """The words to send, as keys, and the words no index knows.

    Known words (``known``: :func:`vocabulary`, and the lexicon) come first, unknown
    ones last: ``matchingStrategy: "last"`` drops words from the end, so a word no
    document contains goes before a known one. A compound the lexicon can split is sent
    as its parts ("maagkanker" -> "mag kanker"), so a typo can only be inside a part.
    """
    first: list[str] = []
    last: list[str] = []
    unknown: list[str] = []
    for t in u.terms:
        if t.optional or t.context:
            continue
        keys = _lexicon_parts(t) or [t.key]
        if all(k in known or k in LEXICON_KEYS for k in keys):
            first += keys
        else:
            last += keys
            unknown.append(t.word)
    return first + last, tuple(unknown)


def _lexicon_parts(t: Term) -> list[str]:
    """A word made of the lexicon's words ("maagkanker"), as their keys; else nothing."""
    word = t.word
    for cut in range(3, len(word) - 3):
        head, modifier = word[cut:], word[:cut]
        if word_key(head) in LEXICON_KEYS and word_key(modifier) in LEXICON_KEYS:
            return [word_key(modifier), word_key(head)]
    return []


def translate_query(
    u: Understanding,
    query: SearchQuery,
    location: Location | None,
    *,
    depth: int,
    known: Collection[str] = frozenset(),
) -> MeiliRequest:
    """Translate an understood query into a Meilisearch search request.

    ``depth`` is how many hits to fetch from the start (offset + limit, plus room
    for group members). Codes become filters; words are sent as their keys, known
    ones first (:func:`query_words`).
    """
    filters = query_filters(query)
    words, _unknown = query_words(u, known)
    required = [t for t in u.terms if not t.optional and not t.context]
    nearby = (
        location is not None
        and bool(required)
        and all(t.word in INSTITUTION_WORDS for t in required)
    )
    if nearby:
        # "ziekenhuis bij Leeuwarden": institutions, nearest first; "umc" still narrows.
        words = [t.key for t in required if t.word not in HOSPITAL_WORDS]
        filters.append(filter_in("kind", ["institution"]))
    q = " ".join(words)
    code_filters: list[str] = []
    if u.orphacodes:
        code_filters.append(filter_in("orphacode", list(u.orphacodes)))
    if u.icd10:
        # A subcode also finds a mapping of its category ("C49.2" -> "C49").
        codes = list(dict.fromkeys(c for code in u.icd10 for c in (code, code.split(".")[0])))
        code_filters.append(filter_in("icd10", codes))
    if code_filters:
        filters.append(" OR ".join(f"({f})" for f in code_filters))
        q = ""  # a code names its record: the words only narrowed it down
    elif not q and location is not None:
        # Only a place: what is nearby (documents with a location; the Netherlands
        # fits well within this radius).
        p = location.point
        filters.append(f"_geoRadius({p.lat}, {p.lon}, {NEARBY_RADIUS_M})")
    if q:
        # Obsolete and deprecated codes are no text results; their successors carry
        # their names (``keys_former``).
        filters.append('status = "active"')
        if len(words[-1]) < MIN_PREFIX:
            q += " "  # a query ending in a space: the last word is not completed
    params: dict[str, Any] = {
        "limit": max(0, depth),
        "offset": 0,
        "facets": list(FACETS),
        "attributesToRetrieve": ["*"],
        "showRankingScore": True,
        "matchingStrategy": "last",
    }
    if filters:
        params["filter"] = filters
    if location is not None and (query.sort == "distance" or not q or nearby):
        p = location.point
        params["sort"] = [f"_geoPoint({p.lat}, {p.lon}):asc"]
    return MeiliRequest(q, params)


# -- the engine ------------------------------------------------------------------------------


class MeilisearchEngine:
    """:class:`search.engine.SearchEngine` on Meilisearch."""

    def __init__(
        self,
        client: Client,
        index_name: str,
        gazetteer: GazetteerView | None = None,
        *,
        timeout: float = 10.0,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.client = client
        self.index_name = index_name
        self.gazetteer = gazetteer or GazetteerView()
        self.timeout_ms = int(timeout * 1000)
        self.batch_size = batch_size
        self._known: tuple[float, frozenset[str]] = (-math.inf, frozenset())

    @classmethod
    def from_settings(
        cls, settings: Settings, gazetteer: GazetteerView | None = None
    ) -> MeilisearchEngine:
        client = Client(
            settings.meilisearch_url,
            settings.meilisearch_api_key or None,
            timeout=max(1, math.ceil(settings.meilisearch_timeout)),
        )
        return cls(
            client, settings.meilisearch_index, gazetteer, timeout=settings.meilisearch_timeout
        )

    # -- tasks -------------------------------------------------------------------------------

    def _wait(self, task_uid: int, what: str) -> None:
        """Wait for a task and raise unless it succeeded."""
        try:
            task = self.client.wait_for_task(
                task_uid, timeout_in_ms=self.timeout_ms * 6, interval_in_ms=50
            )
        except MeilisearchError as exc:
            raise MeilisearchIndexError(f"{what}: task {task_uid} did not finish: {exc}") from exc
        if task.status != "succeeded":
            raise MeilisearchIndexError(f"{what}: task {task_uid} {task.status}: {task.error}")

    # -- building ----------------------------------------------------------------------------

    def rebuild(
        self, documents: Iterable[SearchDocument], catalogue_version: int | None = None
    ) -> int:
        """Fill a new index, then swap it with the live one (searches never go empty)."""
        docs = list(documents)
        payload = meili_documents(docs)
        new_name = f"{self.index_name}__{uuid.uuid4().hex[:12]}"
        try:
            self._wait(
                self.client.create_index(new_name, {"primaryKey": PRIMARY_KEY}).task_uid,
                f"create index {new_name}",
            )
            index = self.client.index(new_name)
            settings = index_settings(vocabulary(docs))
            self._wait(index.update_settings(settings).task_uid, "update settings")
            for start in range(0, len(payload), self.batch_size):
                batch = payload[start : start + self.batch_size]
                task = index.add_documents(batch, primary_key=PRIMARY_KEY)
                self._wait(task.task_uid, f"add documents {start}..{start + len(batch)}")
            if not self._exists(self.index_name):
                self._wait(
                    self.client.create_index(self.index_name, {"primaryKey": PRIMARY_KEY}).task_uid,
                    f"create index {self.index_name}",
                )
            self._wait(
                self.client.swap_indexes([{"indexes": [self.index_name, new_name]}]).task_uid,
                "swap indexes",
            )
        except (MeilisearchError, MeilisearchIndexError):
            self._drop(new_name)
            raise
        self._drop(new_name)  # now holds the previous live documents
        self._write_catalogue_version(catalogue_version)
        return len(docs)

    def _exists(self, name: str) -> bool:
        try:
            self.client.get_raw_index(name)
        except MeilisearchError:
            return False
        return True

    def _drop(self, name: str) -> None:
        # A leftover index is harmless: the next rebuild uses a new name.
        with contextlib.suppress(MeilisearchError, MeilisearchIndexError):
            self._wait(self.client.delete_index(name).task_uid, f"delete index {name}")

    # -- the catalogue version the live index was built from ----------------------------------
    # Meilisearch indexes carry no metadata, so it is one document in a small index of its
    # own, written after the swap: a crash in between leaves the older version there, and
    # the next check rebuilds once more, never once less (search/reindex.py).

    @property
    def version_index(self) -> str:
        return f"{self.index_name}-catalogue"

    def _write_catalogue_version(self, version: int | None) -> None:
        if version is None:
            return
        task = self.client.index(self.version_index).add_documents(
            [{"id": "catalogue", "version": version}], primary_key="id"
        )
        self._wait(task.task_uid, "record the catalogue version")

    def catalogue_version(self) -> int | None:
        try:
            found = dict(self.client.index(self.version_index).get_document("catalogue"))
        except MeilisearchError:
            return None
        version = found.get("version")
        return version if isinstance(version, int) else None

    # -- reading -----------------------------------------------------------------------------

    def count(self) -> int:
        try:
            found = self.client.index(self.index_name).search(
                "", {"filter": "is_primary = true", "hitsPerPage": 1, "page": 1}
            )
        except MeilisearchError:
            return 0
        return int(found.get("totalHits", 0))

    def locate(self, text: str) -> Location:
        return parse_near(text, self.gazetteer)

    def warm(self) -> None:
        """Nothing to load: the Meilisearch server keeps its index warm itself."""

    async def search_async(self, query: SearchQuery) -> SearchResults:
        """For async callers: the blocking client call runs in a worker thread."""
        return await anyio.to_thread.run_sync(self.search, query)

    def known_words(self) -> frozenset[str]:
        """The live index's ``disableOnWords`` (the words it knows), kept for a minute."""
        at, words = self._known
        if time.monotonic() - at < VOCABULARY_TTL:
            return words
        try:
            typo = self.client.index(self.index_name).get_typo_tolerance()
            words = frozenset(getattr(typo, "disable_on_words", None) or ())
        except MeilisearchError:
            words = frozenset()
        self._known = (time.monotonic(), words)
        return words

    def search(self, query: SearchQuery) -> SearchResults:
        u = understand(query.text, self.gazetteer, query.lang)
        limit = max(0, min(query.limit, MAX_LIMIT))
        offset = max(0, min(query.offset, MAX_HITS))
        location = u.location
        if query.near is not None:
            location = Location(
                query.near, f"{query.near.lat:.4f},{query.near.lon:.4f}", "coordinates"
            )
        if u.orphacodes and u.number_location and location is None:
            location = u.number_location if not self._has_code(u.orphacodes[0]) else None
            if location is not None:
                u = Understanding(u.text, (), (), (), (), location)
        if not (u.terms or u.orphacodes or u.icd10 or location):
            return SearchResults(hits=(), total=0, reading=reading_of(u))
        known = self.known_words() if u.terms else frozenset()
        _words, unknown = query_words(u, known)
        request = translate_query(
            u, query, location, depth=min(MAX_HITS, offset + limit + 50), known=known
        )
        try:
            found = self.client.index(self.index_name).search(request.q, request.params)
        except MeilisearchError:
            return SearchResults(hits=(), total=0, reading=reading_of(u))
        raw_hits: list[dict[str, Any]] = list(found.get("hits", []))
        if u.icd10 and not request.q:
            # Exact mappings first, then narrower, broader, unknown; the code typed first.
            raw_hits.sort(key=lambda h: _icd_rank(h, u.icd10))
        terms = [TermPlan(t.alternatives, t.optional) for t in u.terms]
        spans = [SpanPlan(s.first, s.last, s.alternative) for s in u.spans]
        scored = [(h, _local_score(h, terms, spans)) for h in raw_hits]
        member_of: dict[str, RelatedRef] = {}
        if scored and terms and query.sort != "distance":
            scored, member_of = self._with_members(scored, query)
            for audience in u.audience:
                scored = self._for_audience(scored, audience, query)
        origin = location.point if location else None
        hits = [
            _hit(h, ds, query.lang, origin, member_of.get(h["entity"]))
            for h, ds in scored[offset : offset + limit]
        ]
        total = int(found.get("estimatedTotalHits", len(raw_hits))) + len(member_of)
        facets = {
            k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0])))
            for k, v in found.get("facetDistribution", {}).items()
            if v
        }
        # A word no index knows and no hit's names match was left out by the strategy.
        ignored = tuple(
            w
            for w in unknown
            if len(u.required) > 1
            and not any(word_key(w) in h.get("keys_names", "").split() for h in raw_hits)
        )
        return SearchResults(
            hits=tuple(hits),
            total=total,
            facets=facets,
            location=location,
            corrected=None,
            reading=reading_of(u, ignored if len(ignored) < len(u.required) else ()),
        )

    def _for_audience(
        self, scored: list[tuple[dict[str, Any], DocScore]], audience: str, query: SearchQuery
    ) -> list[tuple[dict[str, Any], DocScore]]:
        """The place for a child or a pregnancy second (as the embedded engine does)."""
        if any(audience in h.get("audience", ()) for h, _ in scored[:2]):
            return scored
        filters = [*query_filters(query), filter_in("audience", [audience]), "is_primary = true"]
        try:
            found = self.client.index(self.index_name).search(
                "", {"filter": filters, "limit": AUDIENCE_HITS, "attributesToRetrieve": ["*"]}
            )
        except MeilisearchError:
            return scored
        places = list(found.get("hits", []))
        entities = {h["entity"] for h in places}
        rest = [(h, ds) for h, ds in scored if h["entity"] not in entities]
        added = [(h, DocScore(0.0, None, [], ["audience"], False, False)) for h in places]
        return rest[:1] + added + rest[1:]

    def _has_code(self, code: int) -> bool:
        try:
            found = self.client.index(self.index_name).search(
                "", {"filter": filter_in("orphacode", [code]), "limit": 1}
            )
        except MeilisearchError:
            return False
        return bool(found.get("hits"))

    def _with_members(
        self, scored: list[tuple[dict[str, Any], DocScore]], query: SearchQuery
    ) -> tuple[list[tuple[dict[str, Any], DocScore]], dict[str, RelatedRef]]:
        """A query that names a group also brings the group's members, right below it."""
        top, top_score = scored[0]
        if top.get("kind") != "condition" or top.get("level") != "group" or not top_score.exact:
            return scored, {}
        children = top.get("children") or []
        if not children:
            return scored, {}
        filters = [*query_filters(query), filter_in("orphacode", children), 'status = "active"']
        try:
            found = self.client.index(self.index_name).search(
                "", {"filter": filters, "limit": MAX_HITS, "attributesToRetrieve": ["*"]}
            )
        except MeilisearchError:
            return scored, {}
        lang = query.lang
        title, title_lang = _title(top, lang)
        ref = RelatedRef("condition", top["entity_id"], title, title_lang, top.get("orphacode"))
        present = {h["entity"] for h, _ in scored}
        members = [h for h in found.get("hits", []) if h["entity"] not in present]
        members.sort(key=lambda h: _title(h, lang)[0].lower())
        empty = DocScore(top_score.score - MEMBER_GAP, None, [], ["member_of_group"], False, False)
        inserted = [(h, empty) for h in members]
        return [scored[0], *inserted, *scored[1:]], {h["entity"]: ref for h in members}


def _icd_rank(h: Mapping[str, Any], typed: Sequence[str]) -> tuple[int, int]:
    relations: Mapping[str, str] = h.get("icd10_relation") or {}
    best = (9, 9)
    for n, code in enumerate(typed):
        for stored, relation in relations.items():
            if stored == code or stored.startswith(code + ".") or code.startswith(stored + "."):
                exactness = 0 if stored == code else 1
                best = min(best, (RELATION_ORDER.get(relation, 2) + 4 * exactness, n))
    return best


def _title(h: Mapping[str, Any], lang: str) -> tuple[str, str]:
    if lang == "nl":
        return str(h.get("title_nl", "")), str(h.get("title_nl_lang", "nl"))
    return str(h.get("title_en", "")), str(h.get("title_en_lang", "en"))


def _local_score(h: Mapping[str, Any], terms: list[TermPlan], spans: list[SpanPlan]) -> DocScore:
    """Why a Meilisearch hit matched, worked out with the embedded engine's ranking."""
    fields = [make_field(k, t, keys, extras) for k, t, keys, extras in h.get("fields", [])]
    return score_doc(doc_index(fields), terms, spans, matched_elsewhere=True)


def _hit(
    h: Mapping[str, Any],
    ds: DocScore,
    lang: str,
    origin: GeoPoint | None,
    member_of: RelatedRef | None,
) -> SearchHit:
    title, title_lang = _title(h, lang)
    points = [GeoPoint(lat, lon) for lat, lon in h.get("locations", [])]
    distance = nearest_km(origin, points) if origin is not None else None
    groups = tuple(
        RelatedRef(
            "condition",
            str(g["orphacode"]),
            g["title_nl"] if lang == "nl" else g["title_en"],
            g["title_nl_lang"] if lang == "nl" else "en",
            g["orphacode"],
        )
        for g in h.get("groups", [])
    )
    reasons = list(ds.reasons) if ds.best is not None else ["definition"]
    if member_of is not None:
        reasons = ["member_of_group"]
    return SearchHit(
        id=str(h["entity"]),
        kind=cast("SearchKind", str(h["kind"])),  # the index holds documents' kinds
        entity_id=str(h["entity_id"]),
        title=title,
        title_lang=title_lang,
        orphacode=h.get("orphacode"),
        score=float(h.get("_rankingScore", 0.0)),
        matched=tuple(m.field.text for m in ds.matched_fields[:3]),
        distance_km=round(distance, 3) if distance is not None else None,
        reasons=tuple(dict.fromkeys(reasons)),
        groups=groups,
        member_of=member_of,
        benign=bool(h.get("benign", False)),
    )
