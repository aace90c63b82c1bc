"""The Meilisearch adapter: the same :class:`~search.engine.SearchEngine` on a Meilisearch server.

Uses the official, synchronous ``meilisearch`` client, always with an explicit
timeout, never directly from ``async`` code (the web views are plain functions
that Starlette runs in its threadpool; :meth:`MeilisearchEngine.search_async`
does the same for async callers).

The pure parts are tested without a server: the settings and the documents are made
in :mod:`search.engines.meilisearch_index`, the requests and the hits translated in
:mod:`search.engines.meilisearch_requests`; this module sends them and handles the
tasks, the index swap and the answers.

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
import time
import uuid
from collections.abc import Iterable
from typing import Any

import anyio.to_thread
from meilisearch import Client
from meilisearch.errors import MeilisearchError

from config.settings import Settings
from directory.places.geo import GazetteerView
from search.engine import (
    MAX_LIMIT,
    Location,
    RelatedRef,
    SearchDocument,
    SearchQuery,
    SearchResults,
)
from search.engines.meilisearch_index import (
    MAX_HITS,
    PRIMARY_KEY,
    index_settings,
    meili_documents,
    vocabulary,
)
from search.engines.meilisearch_requests import (
    filter_in,
    hit_title,
    icd_rank,
    inside_group,
    local_score,
    meili_hit,
    query_filters,
    query_words,
    translate_query,
)
from search.engines.ranking import (
    DocScore,
    SpanPlan,
    TermPlan,
    panel_first,
)
from search.geo import parse_near
from search.query import (
    Understanding,
    reading_of,
    understand,
)
from search.variants import word_key

BATCH_SIZE = 1000
MEMBER_GAP = 45.0
AUDIENCE_HITS = 5  # the places for a child or a pregnancy fetched for the second place
VOCABULARY_TTL = 60.0  # seconds a search process keeps the index's known words


class MeilisearchIndexError(RuntimeError):
    """A Meilisearch task failed or timed out; the live index was not changed."""


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
            raw_hits.sort(key=lambda h: icd_rank(h, u.icd10))
        terms = [TermPlan(t.alternatives, t.optional) for t in u.terms]
        spans = [SpanPlan(s.first, s.last, s.alternative) for s in u.spans]
        scored = [(h, local_score(h, terms, spans)) for h in raw_hits]
        member_of: dict[str, RelatedRef] = {}
        if scored and terms and query.sort != "distance":
            scored, member_of = self._with_members(scored, query)
            if u.asks_for_panel:
                scored = panel_first(scored, lambda hd: str(hd[0]["kind"]), lambda hd: hd[1].words)
            for audience in u.audience:
                scored = self._for_audience(scored, audience, query)
        origin = location.point if location else None
        hits = [
            meili_hit(h, ds, query.lang, origin, member_of.get(h["entity"]))
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
        title, title_lang = hit_title(top, lang)
        ref = RelatedRef("condition", top["entity_id"], title, title_lang, top.get("orphacode"))
        present = {h["entity"] for h, _ in scored}
        members = [h for h in found.get("hits", []) if h["entity"] not in present]
        members.sort(key=lambda h: hit_title(h, lang)[0].lower())
        empty = DocScore(top_score.score - MEMBER_GAP, None, [], ["member_of_group"], False, False)
        inserted = [(h, empty) for h in members]
        deeper, rest = inside_group(scored[1:], top.get("orphacode"))
        refs = {h["entity"]: ref for h in members} | {h["entity"]: ref for h, _ in deeper}
        return [scored[0], *deeper, *inserted, *rest], refs
