"""The embedded search engine: an SQLite file with FTS5, a typo vocabulary and a ranker.

Building: a rebuild writes a complete new index file next to the live one and
swaps it in with an atomic rename, so searches never see an empty or half-built
index; readers notice the swap (the file's inode changes) and reopen. What the file
holds and how it is written: :mod:`search.engines.index_file`; what a reader keeps
of it in memory: :mod:`search.engines.index_reader`.

Searching: the query is understood (:mod:`search.query`), each word gets its
typo and compound alternatives from the vocabulary (:mod:`search.engines.planning`),
FTS5 finds candidates (all words, then any word; :mod:`search.engines.matching`),
and :mod:`search.engines.ranking` orders them. Codes (ORPHA, ICD-10) and places are
looked up here. A query that names a group (e.g. "bottumoren") also brings its
members, and obsolete codes give way to their successors
(:mod:`search.engines.candidates`); every condition hit carries the groups it belongs
to, because expertise for a group applies to its members.
"""

from __future__ import annotations

import heapq
import math
import os
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from itertools import chain
from pathlib import Path

from directory.places.geo import GazetteerView
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
from search.engines.candidates import (
    CODE_TIER,
    Candidate,
    for_audience,
    passes,
    with_group_members,
    with_successors,
)
from search.engines.index_file import (
    SCHEMA,
    read_catalogue_version,
    remove_abandoned_builds,
    write_catalogue_version,
    write_index,
)
from search.engines.index_reader import (
    CACHE_DOCS,
    DocInfo,
    IndexReader,
)
from search.engines.matching import similar_names, text_candidates
from search.engines.planning import plan_query
from search.engines.ranking import (
    W_TERM,
    TermPlan,
    panel_first,
)
from search.geo import haversine_km, nearest_km, parse_near
from search.lexicon import (
    HOSPITAL_WORDS,
    INSTITUTION_WORDS,
)
from search.query import (
    reading_of,
    understand,
)
from search.text import clean_query

__all__ = ["EmbeddedEngine", "haversine_km"]

CODE_SCORE = 2000.0
NEARBY_SCORE = 1000.0
NEARBY_CANDIDATES = 60  # institutions looked at for "ziekenhuis bij ..." and "9712" alone
ICD_SCORE = 1500.0
MAX_GROUPS = 4
# ICD-10 lookups: how well the code's relation to the ORPHA concept answers the query.
ICD_RELATION_SCORE = {"exact": 0.0, "narrower": -20.0, "": -30.0, "broader": -50.0}
ICD_SUBCODE = -100.0  # a category typed ("C41"), a subcode stored ("C41.9")
ICD_CATEGORY = -60.0  # a subcode typed ("C49.2"), only its category stored ("C49")
ICD_SIBLING = -120.0  # a subcode typed ("C80.9"), only others of its category ("C80.0")


class EmbeddedEngine:
    """SQLite FTS5 implementation of :class:`search.engine.SearchEngine`."""

    def __init__(
        self, path: Path, gazetteer: GazetteerView | None = None, *, cache_size: int = 2048
    ) -> None:
        self.path = Path(path)
        self.gazetteer = gazetteer or GazetteerView()
        self.cache_size = max(0, cache_size)
        self._local = threading.local()
        self._index: IndexReader | None = None
        self._index_lock = threading.Lock()

    # -- building ----------------------------------------------------------------

    def rebuild(
        self, documents: Iterable[SearchDocument], catalogue_version: int | None = None
    ) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned_builds(self.path)
        tmp = self.path.with_name(f"{self.path.name}.new-{os.getpid()}-{threading.get_ident()}")
        tmp.unlink(missing_ok=True)
        try:
            docs = list(documents)
            con = sqlite3.connect(tmp)
            try:
                con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
                write_index(con, docs)
                write_catalogue_version(con, catalogue_version)
                con.commit()
            finally:
                con.close()
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return len(docs)

    # -- reading -----------------------------------------------------------------

    def _open(self) -> tuple[sqlite3.Connection, IndexReader] | None:
        try:
            ino = os.stat(self.path).st_ino
        except FileNotFoundError:
            return None
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None or getattr(self._local, "ino", None) != ino:
            if con is not None:
                con.close()
            try:
                con = sqlite3.connect(
                    f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False
                )
                con.execute("SELECT 1 FROM meta LIMIT 1")
            except sqlite3.Error:
                return None  # not (yet) an index of ours: nothing to search
            self._local.con, self._local.ino = con, ino
        index = self._index
        if index is None or index.ino != ino:
            with self._index_lock:
                index = self._index
                if index is None or index.ino != ino:
                    index = IndexReader(ino, con)
                    self._index = index
        return con, index

    def count(self) -> int:
        opened = self._open()
        return opened[1].count if opened else 0

    def catalogue_version(self) -> int | None:
        opened = self._open()
        return read_catalogue_version(opened[0]) if opened else None

    def warm(self) -> None:
        """Read every document of the live index into the document cache.

        Without this the first searches after a start or a swap each read and decode
        the documents they score (100-250 ms for a word in many names).
        """
        opened = self._open()
        if opened is not None:
            con, index = opened
            rowids = [r for (r,) in con.execute("SELECT rowid FROM docs ORDER BY rowid")]
            index.docs(con, rowids[:CACHE_DOCS])

    def locate(self, text: str) -> Location:
        return parse_near(text, self.gazetteer)

    async def search_async(self, query: SearchQuery) -> SearchResults:
        """Answered right here, in the event loop's thread.

        A search is about a millisecond of CPU-bound Python that holds the GIL (the
        index file is read-only and in the page cache). A worker thread would not run
        it alongside anything, and handing it over costs more than the search: with
        32 clients, no results cache and one worker, the thread pool answered about
        680 requests a second at 1.7 ms of CPU each, this about 1,180 at 0.85 ms.
        """
        return self.search(query)

    def search(self, query: SearchQuery) -> SearchResults:
        opened = self._open()
        if opened is None:
            return SearchResults(hits=(), total=0)
        con, index = opened
        if not self.cache_size:
            return self._search(con, index, query)
        key = _cache_key(query)
        with index.lock:
            cached = index.results.get(key)
            if cached is not None:
                index.results.move_to_end(key)
                return cached
        results = self._search(con, index, query)
        with index.lock:
            index.results[key] = results
            while len(index.results) > self.cache_size:
                index.results.popitem(last=False)
        return results

    def _search(
        self, con: sqlite3.Connection, index: IndexReader, query: SearchQuery
    ) -> SearchResults:
        u = understand(query.text, self.gazetteer, query.lang)
        limit = max(0, min(query.limit, MAX_LIMIT))
        offset = max(0, query.offset)
        location = u.location
        if query.near is not None:
            location = Location(
                query.near, f"{query.near.lat:.4f},{query.near.lon:.4f}", "coordinates"
            )
        plan = plan_query(con, index, u)
        terms, spans = plan.terms, plan.spans
        cands: dict[int, Candidate] = {}
        text_tiers: dict[int, tuple[int, int]] = {}  # how well each hit's words match

        def add(c: Candidate) -> None:
            prev = cands.get(c.rowid)
            if prev is None or prev.rank_key() > c.rank_key():
                cands[c.rowid] = c

        code_found = False
        for code in u.orphacodes:
            for rowid in index.by_code.get(code, ()):
                code_found = True
                add(
                    Candidate(
                        rowid, CODE_SCORE, ["code"], [f"ORPHA:{code}"], exact=True, tier=CODE_TIER
                    )
                )
        if u.orphacodes and not code_found and u.number_location and location is None:
            location = u.number_location
        icd_rows: list[int] = []
        for icd in u.icd10:
            for doc, stored, relation in self._icd_rows(con, icd):
                icd_rows.append(doc)
                icd_score = ICD_SCORE + ICD_RELATION_SCORE.get(relation, -30.0)
                if stored != icd:
                    if stored.startswith(icd):
                        icd_score += ICD_SUBCODE
                    else:
                        icd_score += ICD_CATEGORY if "." not in stored else ICD_SIBLING
                add(
                    Candidate(
                        doc, icd_score, ["code"], [f"ICD-10 {stored}"], exact=True, tier=CODE_TIER
                    )
                )
        icd_codes = {
            info.orphacode for info in index.docs(con, icd_rows).values() if info.orphacode
        }
        required = [t for t in u.terms if not t.optional]
        nearby = (
            location is not None
            and bool(required)
            and all(t.word in INSTITUTION_WORDS for t in required)
        )
        specific = [i for i, t in enumerate(u.terms) if t.word not in HOSPITAL_WORDS]
        if nearby:
            # Every institution is a hospital: only words such as "umc" narrow the choice,
            # and a child ("kinderziekenhuis", "my son") asks for a children's hospital.
            terms = [
                TermPlan(terms[i].alternatives, False, 1.0) if u.terms[i].context else terms[i]
                for i in specific
            ]
            spans = []
        if terms:
            for c in text_candidates(con, index, terms, spans, query.kinds):
                text_tiers[c.rowid] = c.tier
                add(c)
            if not nearby and not u.icd10 and not u.orphacodes:
                for c in similar_names(con, index, u, cands, plan.ignored):
                    add(c)
        elif location is not None and not code_found and not u.icd10 and not nearby:
            # Only a place ("9712", or near= without words): what is nearby.
            for rowid in _nearest(index, location.point):
                add(Candidate(rowid, 0.0, ["location"]))
        if nearby:
            # "ziekenhuis bij Leeuwarden": the nearest institutions are candidates.
            assert location is not None  # nearby implies a location
            for rowid in _nearest(index, location.point):
                if rowid not in cands:
                    add(Candidate(rowid, 0.0, ["location"]))
        infos = index.docs(con, cands)
        if icd_codes and terms:
            # "C71.9 glioblastoom": a hit with every word in the code's group answers both.
            n_required = sum(1 for t in terms if not t.optional)
            for c in cands.values():
                info = infos.get(c.rowid)
                tier = text_tiers.get(c.rowid)
                if info is None or tier is None or tier[0] < 2 * n_required:
                    continue  # not every word, in the names
                if c.tier == CODE_TIER:
                    # The code's own hit with every word ("O01.0 mola": the complete
                    # mole) comes before the other members of its group (the partial),
                    # whatever its relation ("C22.1 cholangiocarcinoma" is narrower);
                    # the relations still order the code's own hits among themselves.
                    c.score = ICD_SCORE + 61.0 + (c.score - ICD_SCORE) / 10.0
                elif icd_codes & {info.orphacode, *info.ancestors}:
                    c.tier, c.score = CODE_TIER, ICD_SCORE + 50.0 + c.score / 1000.0
        kept = [c for c in cands.values() if c.rowid in infos and passes(infos[c.rowid], query)]
        kept = with_successors(con, index, kept, infos, query)
        kept = with_group_members(con, index, kept, infos, query)
        origin = location.point if location else None
        for c in kept:
            info = infos[c.rowid]
            # Distances of institutions order and break ties; of other hits they are
            # only needed to sort by distance or to show on the page (below).
            if (
                origin is not None
                and info.locations
                and (info.kind == "institution" or query.sort == "distance")
            ):
                km = nearest_km(origin, info.locations)
                c.distance_km = km
                if km is None or info.kind != "institution" or query.sort == "distance":
                    continue
                if nearby:
                    # Institutions first: those the words name ("umc"), then by distance.
                    named = bool(specific) and c.score > W_TERM
                    c.score = NEARBY_SCORE + (100.0 if named else 0.0) - km / 10.0
                    c.tier = CODE_TIER
                else:
                    c.score += max(0.0, 6.0 - km / 25.0)  # breaks ties between hospitals only
        lang = query.lang
        if query.sort == "distance" and origin is not None:
            kept.sort(
                key=lambda c: (
                    c.distance_km is None,
                    c.distance_km if c.distance_km is not None else 0.0,
                    *c.rank_key(),
                    _sort_title(infos[c.rowid], lang),
                )
            )
        else:
            kept.sort(key=lambda c: (*c.rank_key(), _sort_title(infos[c.rowid], lang), c.rowid))
            if u.asks_for_panel:
                kept = panel_first(
                    kept,
                    lambda c: infos[c.rowid].kind,
                    lambda c: c.tier[0],
                    lambda c: c.member_of is not None,
                )
            for audience in u.audience:
                kept = for_audience(con, index, audience, kept, infos, query)
        facets = _facet_counts(kept, infos)
        page = kept[offset : offset + limit]
        if origin is not None:
            for c in page:
                info = infos[c.rowid]
                if c.distance_km is None and info.locations:
                    c.distance_km = nearest_km(origin, info.locations)
        hits = tuple(self._hit(con, index, infos[c.rowid], c, lang) for c in page)
        corrected = None
        if plan.corrections and kept and any(c.typos for c in kept[:3]):
            words = list(u.words)
            for i, surface in plan.corrections.items():
                words[i] = surface
            corrected = " ".join(words)
        return SearchResults(
            hits=hits,
            total=len(kept),
            facets=facets,
            corrected=corrected,
            location=location,
            reading=reading_of(u, plan.ignored),
        )

    @staticmethod
    def _icd_rows(con: sqlite3.Connection, icd: str) -> list[tuple[int, str, str]]:
        """Documents with this ICD-10 code, its subcodes, or (for a subcode) its category."""
        pattern = icd + ("%" if "." in icd else ".%")
        category = icd.split(".")[0]
        try:
            rows: list[tuple[int, str, str]] = con.execute(
                "SELECT doc, code, relation FROM doc_codes WHERE code = ? OR code LIKE ? "
                "OR code = ?",
                (icd, pattern, category),
            ).fetchall()
            if not rows and "." in icd:
                # A subcode no document holds, nor its category: the other subcodes of
                # the category ("C80.9", primary site unspecified, finds C80.0, cancer of
                # unknown primary), as Meilisearch's filter on the category finds them.
                rows = con.execute(
                    "SELECT doc, code, relation FROM doc_codes WHERE code LIKE ?",
                    (category + ".%",),
                ).fetchall()
            return rows
        except sqlite3.OperationalError:  # an index file from before format 5
            pairs = con.execute(
                "SELECT doc, code FROM doc_codes WHERE code = ? OR code LIKE ? OR code = ?",
                (icd, pattern, category),
            ).fetchall()
            return [(doc, code, "") for doc, code in pairs]

    # -- hits -------------------------------------------------------------------------

    def _hit(
        self, con: sqlite3.Connection, index: IndexReader, info: DocInfo, c: Candidate, lang: str
    ) -> SearchHit:
        title, title_lang = info.title(lang)
        return SearchHit(
            id=info.id,
            kind=info.kind,
            entity_id=info.entity_id,
            title=title,
            title_lang=title_lang,
            orphacode=info.orphacode,
            score=round(c.score, 4),
            matched=_distinct_ignoring_case(c.matched)[:4],
            distance_km=round(c.distance_km, 3) if c.distance_km is not None else None,
            reasons=tuple(dict.fromkeys(c.reasons)),
            groups=self._groups(con, index, info, lang),
            member_of=c.member_of,
            benign=info.benign,
            status=info.status,
        )

    @staticmethod
    def _groups(
        con: sqlite3.Connection, index: IndexReader, info: DocInfo, lang: str
    ) -> tuple[RelatedRef, ...]:
        """The groups a hit belongs to, in its language; kept per index file."""
        if not info.ancestors:
            return ()
        key = (info.rowid, lang)
        cached = index.groups.get(key)
        if cached is not None:
            return cached
        groups: list[RelatedRef] = []
        rows = [r for code in info.ancestors for r in index.by_code.get(code, ())[:1]]
        found = index.docs(con, rows)
        for code in info.ancestors:
            for r in index.by_code.get(code, ())[:1]:
                g = found.get(r)
                if g is not None:
                    g_title, g_lang = g.title(lang)
                    groups.append(RelatedRef("condition", g.entity_id, g_title, g_lang, code))
            if len(groups) >= MAX_GROUPS:
                break
        result = tuple(groups)
        if len(found) == len(set(rows)):  # only complete answers are kept
            index.groups[key] = result
        return result


def _nearest(index: IndexReader, origin: GeoPoint, n: int = NEARBY_CANDIDATES) -> list[int]:
    """The ``n`` institutions with a site nearest to ``origin`` (flat-earth estimate,
    fine for ordering within the Netherlands; exact distances come later)."""
    scale = math.cos(math.radians(origin.lat))
    best: dict[int, float] = {}
    for doc, lat, lon in index.sites:
        d2 = (lat - origin.lat) ** 2 + ((lon - origin.lon) * scale) ** 2
        if d2 < best.get(doc, math.inf):
            best[doc] = d2
    return heapq.nsmallest(n, best, key=best.__getitem__)


def _cache_key(query: SearchQuery) -> Hashable:
    return (
        clean_query(query.text),
        query.lang,
        query.kinds,
        tuple(sorted((k, tuple(v)) for k, v in query.filters.items())),
        query.near,
        query.sort,
        query.limit,
        query.offset,
    )


def _sort_title(info: DocInfo, lang: str) -> str:
    return info.sort_nl if lang == "nl" else info.sort_en


def _facet_counts(
    kept: Sequence[Candidate], infos: dict[int, DocInfo]
) -> dict[str, dict[str, int]]:
    pairs = Counter(chain.from_iterable(infos[c.rowid].facet_pairs for c in kept))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for (facet, value), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        counts[facet][value] = n
    return dict(counts)


def _distinct_ignoring_case(texts: list[str]) -> tuple[str, ...]:
    """Matched names once each: "Botkanker" and "botkanker" are the same to a reader."""
    seen: dict[str, str] = {}
    for text in texts:
        seen.setdefault(text.casefold(), text)
    return tuple(seen.values())
