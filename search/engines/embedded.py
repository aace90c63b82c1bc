"""The embedded search engine: an SQLite file with FTS5, a typo vocabulary and a ranker.

Building: a rebuild writes a complete new index file next to the live one and
swaps it in with an atomic rename, so searches never see an empty or half-built
index; readers notice the swap (the file's inode changes) and reopen. The file
holds:

* ``docs``: one row per document with what the ranking and the hits need
  (names as keyed fields, facets, locations, groups and members);
* ``fts``: an FTS5 table over the *keys* of the words (see
  :mod:`search.variants`), with adjacent words joined and compounds split, so
  spelling variants and compounds meet in the index;
* ``vocab`` and ``deletes``: the words of names and lay terms, and every word
  with one or two letters deleted, for typo candidates (symmetric deletion,
  :mod:`search.typo`);
* ``near_words``: for every vocabulary word that is not common, its typo
  alternatives (the nearest vocabulary words), worked out when the index is
  built: a query word the vocabulary knows costs one dictionary lookup, and only
  unknown words (real typos) are looked up in ``deletes`` while searching;
* ``doc_codes``: ICD-10 and other codes, for exact and prefix lookups.

Searching: the query is understood (:mod:`search.query`), typo and compound
alternatives are added from the vocabulary, FTS5 finds candidates (all words,
then any word), and :mod:`search.engines.ranking` orders them. A query that names
a group (e.g. "bottumoren") also brings its members; every condition hit carries
the groups it belongs to, because expertise for a group applies to its members.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import json
import math
import os
import sqlite3
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from directory.places.geo import GazetteerView
from directory.text import fold
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
    W_TERM,
    DocIndex,
    DocScore,
    Field,
    SpanPlan,
    TermPlan,
    compound_heads,
    doc_index,
    field_extras,
    make_field,
    name_fields,
    rarity,
    score_doc,
)
from search.geo import haversine_km, nearest_km, parse_near
from search.hierarchy import ancestors, expertise_locations
from search.lexicon import (
    ABBREVIATIONS,
    BODY_SITES,
    HOSPITAL_WORDS,
    INSTITUTION_WORDS,
    RELATED,
    TRANSLATIONS,
    translations,
)
from search.query import (
    CHILDREN,
    COST_COMPOUND,
    COST_PREFIX,
    PREGNANCY,
    Alternative,
    Understanding,
    reading_of,
    understand,
)
from search.text import clean_query
from search.typo import deletions, distance, index_depth, typo_budget
from search.variants import MIN_HEAD, MIN_MODIFIER, split_words, word_key

__all__ = ["EmbeddedEngine", "haversine_km"]

SCHEMA = """
CREATE TABLE docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    orphacode INTEGER,
    level TEXT,
    status TEXT NOT NULL,
    boost REAL NOT NULL,
    title_nl TEXT NOT NULL,
    title_nl_lang TEXT NOT NULL,
    title_en TEXT NOT NULL,
    has_location INTEGER NOT NULL,
    info TEXT NOT NULL
);
CREATE INDEX docs_orphacode ON docs(orphacode);
CREATE TABLE doc_codes (code TEXT NOT NULL, doc INTEGER NOT NULL, relation TEXT NOT NULL);
CREATE TABLE doc_points (doc INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
CREATE INDEX doc_codes_code ON doc_codes(code);
CREATE VIRTUAL TABLE fts USING fts5(
    names, lay, codes, body, content = '', tokenize = 'unicode61', prefix = '2 3 4'
);
CREATE VIRTUAL TABLE tri USING fts5(names, content = '', tokenize = 'trigram');
CREATE TABLE tri_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE vocab (key TEXT PRIMARY KEY, df INTEGER NOT NULL, surface TEXT NOT NULL,
    surface_nl TEXT NOT NULL, surface_en TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE fts_words (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE deletes (del TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (del, key))
    WITHOUT ROWID;
CREATE TABLE near_words (key TEXT NOT NULL, budget INTEGER NOT NULL, near TEXT NOT NULL,
    PRIMARY KEY (key, budget)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# bm25 weights per FTS column: names, lay terms, codes, definitions.
BM25_WEIGHTS = "10.0, 7.0, 8.0, 0.5"
RANK = f"bm25({BM25_WEIGHTS})"  # stored as the table's default rank, for ad-hoc queries
# Searches call bm25() themselves and let SQLite sort: FTS5's own "ORDER BY rank"
# takes about 1.7 times as long for the same rows in the same order (SQLite 3.40).
_BM25 = f"bm25(fts, {BM25_WEIGHTS})"
FORMAT_VERSION = "5"
_TRI = "SELECT rowid FROM tri WHERE tri MATCH ? ORDER BY bm25(tri), rowid LIMIT ?"

_DOC_COLUMNS = (
    "rowid, id, kind, entity_id, orphacode, level, status, boost, title_nl, title_nl_lang, "
    "title_en, info"
)
# Built from constants only; the search text is always a parameter.
_FTS_BY_KIND = f"SELECT fts.rowid, {_BM25} AS score FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?"  # noqa: S608, E501 (constants only)
_FTS_ALL = (
    f"SELECT rowid, {_BM25} AS score FROM fts WHERE fts MATCH ? ORDER BY score, rowid LIMIT ?"  # noqa: S608 (constants only)
)
CANDIDATES = 400  # candidates FTS hands to the ranker, best bm25 first
# The same for hits with only some of the words, per relaxed FTS query. The level that
# leaves one word out runs one query per word: at 150 each, a five-word sentence ranked
# up to 750 candidates; at 60 the labelled set's hits are the same and a search about
# 0.1 ms less CPU at p95 (2026-12, this machine).
SOME_WORDS_CANDIDATES = 60
FULL_RANK = 100  # of those, how many get the full ranking (the rest follow by bm25)
PARTIAL_RANK = 30  # the same for candidates that match only some of the words
CODE_SCORE = 2000.0
NEARBY_SCORE = 1000.0
NEARBY_CANDIDATES = 60  # institutions looked at for "ziekenhuis bij ..." and "9712" alone
ICD_SCORE = 1500.0
MEMBER_GAP = 45.0  # members of a group query rank this far below the group
MAX_GROUPS = 4
CACHE_DOCS = 30_000
MAX_TYPO_CANDIDATES = 6
COMMON_WORD_DF = 8  # a word in more names than this gets no typo alternatives
ENOUGH_ALL_WORDS = 10  # fewer hits with every word: also look for hits with some words
# Words in more names than this ("kanker", "tumor", "syndroom") are left out of the
# relaxed OR of any word, unless that finds nothing at all; "sarcoom" (64 names) and
# "ziekenhuis" (63) are in.
OR_WORD_DF = 150
CODE_TIER = (99, 0)  # codes and nearby institutions rank above every text match
# Whole-query trigram matching against names, for what keys and typos miss ("neuro
# endokriene tumor" against "neuroendocriene tumor", a spelling two letters off in a
# long name).
TRIGRAM_CANDIDATES = 15
# Only the query's rarest trigrams are looked up: every trigram's documents are read,
# and common ones ("oom", "tum") are in thousands of names at 20x (a whole-query OR took
# up to 38 ms there). A name sharing half the query's trigrams has some of the rare ones.
TRIGRAM_PROBES = 8
TRIGRAM_SIMILARITY = 0.5  # share of trigrams (Jaccard) a name must have in common
MIN_TRIGRAM_TEXT = 6
MAX_TRIGRAM_TEXT = 30  # letters: names people type are shorter
# ICD-10 lookups: how well the code's relation to the ORPHA concept answers the query.
ICD_RELATION_SCORE = {"exact": 0.0, "narrower": -20.0, "": -30.0, "broader": -50.0}
ICD_SUBCODE = -100.0  # a category typed ("C41"), a subcode stored ("C41.9")
ICD_CATEGORY = -60.0  # a subcode typed ("C49.2"), only its category stored ("C49")
HEAD_ONLY_COST = 1.5  # "bovenbeen" read as "been": below a whole word one typo away
MAX_COMBINATIONS = 6  # alternatives of a compound of known parts (each part translated)
CHILDREN_CENTRE = ("institution_kind", "childrens_cancer_centre")
PREGNANCY_KEYS = frozenset(word_key(w) for w in ("zwangerschap", "pregnancy"))
# Every word the lexicon knows, as keys: such a word is never "corrected" into another.
LEXICON_KEYS = frozenset(
    word_key(w) for w in chain(TRANSLATIONS, BODY_SITES, ABBREVIATIONS, RELATED) if " " not in w
)
LEXICON_WORDS = frozenset(
    w for w in chain(TRANSLATIONS, BODY_SITES, ABBREVIATIONS, RELATED) if " " not in w
)
LEXICON_KEYS = frozenset(word_key(w) for w in LEXICON_WORDS)
BODY_SITE_WORDS = tuple(sorted(BODY_SITES, key=len, reverse=True))


@dataclass(slots=True)
class DocInfo:
    rowid: int
    id: str
    kind: SearchKind  # the index holds only SearchDocuments' kinds
    entity_id: str
    orphacode: int | None
    level: str | None
    status: str
    boost: float
    title_nl: str
    title_nl_lang: str
    title_en: str
    title_en_lang: str
    index: DocIndex
    facets: dict[str, tuple[str, ...]]
    locations: tuple[GeoPoint, ...]
    ancestors: tuple[int, ...]
    children: tuple[int, ...]
    facet_pairs: tuple[tuple[str, str], ...] = ()  # ("kind", kind) and every facet value
    sort_nl: str = ""  # titles in lower case, for ordering ties
    sort_en: str = ""
    successors: tuple[int, ...] = ()  # an inactive code's successors
    benign: bool = False
    # The trigrams of its names, worked out the first time a query needs them.
    name_trigrams: tuple[tuple[str, frozenset[str]], ...] | None = None

    def title(self, lang: str) -> tuple[str, str]:
        if lang == "nl":
            return self.title_nl, self.title_nl_lang
        return self.title_en, self.title_en_lang


@dataclass(slots=True)
class _Candidate:
    rowid: int
    score: float
    reasons: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    exact: bool = False
    typos: bool = False
    member_of: RelatedRef | None = None
    distance_km: float | None = None
    # (words matched, in halves, -typos): the first two ranking rules; the score orders ties.
    tier: tuple[int, int] = (0, 0)

    def rank_key(self) -> tuple[int, int, float]:
        return (-self.tier[0], -self.tier[1], -self.score)


class _Index:
    """What a reader keeps in memory for one index file (one inode)."""

    def __init__(self, ino: int, con: sqlite3.Connection) -> None:
        self.ino = ino
        self.lock = threading.Lock()
        self.cache: OrderedDict[int, DocInfo] = OrderedDict()
        # Results of recent searches on this index file (a new file starts empty).
        self.results: OrderedDict[Hashable, SearchResults] = OrderedDict()
        # The groups of a hit per (rowid, language): the index file never changes.
        self.groups: dict[tuple[int, str], tuple[RelatedRef, ...]] = {}
        # key -> (names it is in, its most common spelling); and that spelling per language.
        self.surfaces: dict[str, tuple[str, str]] = {}
        try:
            rows = con.execute("SELECT key, df, surface, surface_nl, surface_en FROM vocab")
            self.vocab: dict[str, tuple[int, str]] = {}
            for k, df, surface, nl, en in rows:
                self.vocab[k] = (df, surface)
                self.surfaces[k] = (nl, en)
        except sqlite3.OperationalError:  # an index file from before format 5
            self.vocab = {
                k: (df, s) for k, df, s in con.execute("SELECT key, df, surface FROM vocab")
            }
        try:
            # Every key FTS holds (names with joined words and compound parts, codes,
            # definitions): a word outside it cannot match anything.
            self.fts_words: frozenset[str] = frozenset(
                k for (k,) in con.execute("SELECT key FROM fts_words")
            )
        except sqlite3.OperationalError:
            self.fts_words = frozenset()
        meta = dict(con.execute("SELECT key, value FROM meta"))
        self.abbreviations = frozenset(meta.get("abbreviations", "").split())
        # Per audience (children, pregnancy): the documents that serve it.
        self.audiences: dict[str, tuple[int, ...]] = {
            audience: tuple(int(r) for r in meta.get(f"audience:{audience}", "").split())
            for audience in (CHILDREN, PREGNANCY)
        }
        self.heads = _Heads(self.vocab)
        self.sorted_vocab: tuple[str, ...] = tuple(sorted(self.vocab))
        self.by_code: dict[int, list[int]] = defaultdict(list)
        for rowid, code in con.execute(
            "SELECT rowid, orphacode FROM docs WHERE orphacode IS NOT NULL ORDER BY rowid"
        ):
            self.by_code[code].append(rowid)
        # Sites of institutions: what "9712" alone or "ziekenhuis bij Leeuwarden" lists.
        try:
            self.sites: tuple[tuple[int, float, float], ...] = tuple(
                con.execute("SELECT doc, lat, lon FROM doc_points ORDER BY doc")
            )
        except sqlite3.OperationalError:
            self.sites = ()  # an index file from before sites were stored: rebuild it
        # Typo alternatives of known words, per (key, typo budget): (distance, key) pairs.
        self.near: dict[tuple[str, int], tuple[tuple[int, str], ...]] = {}
        try:
            for key, budget, near in con.execute("SELECT key, budget, near FROM near_words"):
                self.near[key, budget] = _decode_near(near)
        except sqlite3.OperationalError:
            pass  # an index file from before format 4: words are looked up as they come
        self.count = int(meta.get("count", 0))
        self.has_trigrams = meta.get("format", "0") >= "5"

    def known(self, key: str) -> bool:
        """A word of the catalogue (names, lay terms, definitions) or of the lexicon."""
        return key in self.vocab or key in self.fts_words or key in LEXICON_KEYS

    def matchable(self, keys: Sequence[str]) -> bool:
        if not self.fts_words:  # an index file from before format 5: assume so
            return True
        return all(k in self.fts_words for k in keys)

    def surface(self, key: str, lang: str) -> str | None:
        """How to write a vocabulary word in ``lang`` (None: no name in that language has it)."""
        found = self.surfaces.get(key)
        if found is None:
            entry = self.vocab.get(key)
            return entry[1] if entry else None
        return (found[0] if lang == "nl" else found[1]) or None

    def docs(self, con: sqlite3.Connection, rowids: Iterable[int]) -> dict[int, DocInfo]:
        wanted = list(dict.fromkeys(rowids))
        found: dict[int, DocInfo] = {}
        missing: list[int] = []
        with self.lock:
            for r in wanted:
                info = self.cache.get(r)
                if info is None:
                    missing.append(r)
                else:
                    self.cache.move_to_end(r)
                    found[r] = info
        loaded: list[DocInfo] = []
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {_DOC_COLUMNS} FROM docs WHERE rowid IN ({marks})"  # noqa: S608 (only "?" placeholders)
            rows = con.execute(sql, chunk).fetchall()
            loaded += [_doc_info(row) for row in rows]
        if loaded:
            with self.lock:
                for info in loaded:
                    self.cache[info.rowid] = info
                    found[info.rowid] = info
                while len(self.cache) > CACHE_DOCS:
                    self.cache.popitem(last=False)
        return found


class _Heads:
    """What a query word can be split on: words of the catalogue's names and of the lexicon."""

    __slots__ = ("vocab",)

    def __init__(self, vocab: Mapping[str, object]) -> None:
        self.vocab = vocab

    def __contains__(self, key: object) -> bool:
        return key in self.vocab or key in LEXICON_KEYS


def _doc_info(row: Sequence[Any]) -> DocInfo:
    info = json.loads(row[11])
    fields = tuple(make_field(k, t, keys, extras) for k, t, keys, extras in info["fields"])
    return DocInfo(
        rowid=row[0],
        id=row[1],
        kind=row[2],
        entity_id=row[3],
        orphacode=row[4],
        level=row[5],
        status=row[6],
        boost=row[7],
        title_nl=row[8],
        title_nl_lang=row[9],
        title_en=row[10],
        title_en_lang=info.get("title_en_lang", "en"),
        index=doc_index(fields),
        facets={k: tuple(v) for k, v in info["facets"].items()},
        locations=tuple(GeoPoint(lat, lon) for lat, lon in info["locations"]),
        ancestors=tuple(info["ancestors"]),
        children=tuple(info["children"]),
        sort_nl=row[8].lower(),
        sort_en=row[10].lower(),
        facet_pairs=(
            ("kind", row[2]),
            *((k, v) for k, vs in info["facets"].items() for v in vs),
        ),
        successors=tuple(info.get("successors", ())),
        benign=bool(info.get("benign", False)),
    )


def _fts_alt(alt: Alternative) -> str:
    # Keys are folded to [0-9a-z]; quoting keeps FTS5 operators inert anyway.
    quoted = [f'"{k}"' for k in alt.keys if k]
    if not quoted:
        return ""
    if alt.prefix:
        quoted[-1] += "*"
    return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"


class EmbeddedEngine:
    """SQLite FTS5 implementation of :class:`search.engine.SearchEngine`."""

    def __init__(
        self, path: Path, gazetteer: GazetteerView | None = None, *, cache_size: int = 2048
    ) -> None:
        self.path = Path(path)
        self.gazetteer = gazetteer or GazetteerView()
        self.cache_size = max(0, cache_size)
        self._local = threading.local()
        self._index: _Index | None = None
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
                _write_index(con, docs)
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

    def _open(self) -> tuple[sqlite3.Connection, _Index] | None:
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
                    index = _Index(ino, con)
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

    def _search(self, con: sqlite3.Connection, index: _Index, query: SearchQuery) -> SearchResults:
        u = understand(query.text, self.gazetteer, query.lang)
        limit = max(0, min(query.limit, MAX_LIMIT))
        offset = max(0, query.offset)
        location = u.location
        if query.near is not None:
            location = Location(
                query.near, f"{query.near.lat:.4f},{query.near.lon:.4f}", "coordinates"
            )
        plan = self._plan(con, index, u)
        terms, spans = plan.terms, plan.spans
        cands: dict[int, _Candidate] = {}

        def add(c: _Candidate) -> None:
            prev = cands.get(c.rowid)
            if prev is None or prev.rank_key() > c.rank_key():
                cands[c.rowid] = c

        code_found = False
        for code in u.orphacodes:
            for rowid in index.by_code.get(code, ()):
                code_found = True
                add(
                    _Candidate(
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
                    icd_score += ICD_SUBCODE if stored.startswith(icd) else ICD_CATEGORY
                add(
                    _Candidate(
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
            for c in self._text_candidates(con, index, terms, spans, query.kinds):
                add(c)
            if not nearby and not u.icd10 and not u.orphacodes:
                for c in self._similar_names(con, index, u, cands, plan.ignored):
                    add(c)
        elif location is not None and not code_found and not u.icd10 and not nearby:
            # Only a place ("9712", or near= without words): what is nearby.
            for rowid in _nearest(index, location.point):
                add(_Candidate(rowid, 0.0, ["location"]))
        if nearby:
            # "ziekenhuis bij Leeuwarden": the nearest institutions are candidates.
            assert location is not None  # nearby implies a location
            for rowid in _nearest(index, location.point):
                if rowid not in cands:
                    add(_Candidate(rowid, 0.0, ["location"]))
        infos = index.docs(con, cands)
        if icd_codes and terms:
            # "C71.9 glioblastoom": a hit with every word in the code's group answers both.
            n_required = sum(1 for t in terms if not t.optional)
            for c in cands.values():
                info = infos.get(c.rowid)
                if (
                    info is not None
                    and c.tier != CODE_TIER
                    and c.tier[0] >= 2 * n_required  # every word, in the names
                    and icd_codes & {info.orphacode, *info.ancestors}
                ):
                    c.tier, c.score = CODE_TIER, ICD_SCORE + 50.0 + c.score / 1000.0
        kept = [c for c in cands.values() if c.rowid in infos and _passes(infos[c.rowid], query)]
        kept = self._successors(con, index, kept, infos, query)
        kept = self._expand_group(con, index, kept, infos, query)
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
            for audience in u.audience:
                kept = self._for_audience(con, index, audience, kept, infos, query)
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
    def _similar_names(
        con: sqlite3.Connection,
        index: _Index,
        u: Understanding,
        cands: dict[int, _Candidate],
        ignored: tuple[str, ...],
    ) -> list[_Candidate]:
        """Names that look like the whole query (trigrams in common), when words find little.

        FTS5's trigram tokenizer in the same file holds every name without spaces; a
        candidate needs a name sharing at least half its trigrams with the query. It
        ranks just below a name with every word of the query (words left out as unknown
        included: the trigrams cover them), with one typo.
        """
        # Asked only when a word was left out as unknown, or no hit has every word in a
        # name: asked for every query, it cost about 2 ms of CPU at the median of the
        # labelled set (2026-12, this machine).
        if not ignored and any(c.tier[0] >= 2 * len(u.required) for c in cands.values()):
            return []
        tier = (2 * len(u.required) - 1, -1)
        text = "".join(t.word for t in u.terms if not t.optional and not t.context)
        # A whole sentence is no name: its trigrams would only cost time (each trigram's
        # rows are read; on the 20x catalogue a sentence took up to 30 ms more).
        if not MIN_TRIGRAM_TEXT <= len(text) <= MAX_TRIGRAM_TEXT or not index.has_trigrams:
            return []
        wanted = trigrams(text)
        try:
            marks = ",".join("?" * len(wanted))
            sql = f"SELECT term FROM tri_df WHERE term IN ({marks}) ORDER BY df LIMIT ?"  # noqa: S608 (only "?" placeholders)
            probes = [t for (t,) in con.execute(sql, (*sorted(wanted), TRIGRAM_PROBES))]
            if not probes:
                return []
            match = " OR ".join(f'"{g}"' for g in probes)  # [0-9a-z] only
            rows = [r for (r,) in con.execute(_TRI, (match, TRIGRAM_CANDIDATES))]
        except sqlite3.OperationalError:
            return []
        out: list[_Candidate] = []
        for rowid, info in index.docs(con, rows).items():
            best, name = 0.0, ""
            if info.name_trigrams is None:
                info.name_trigrams = tuple(
                    (f.text, frozenset(trigrams(_compact(f.text))))
                    for f in info.index.fields
                    if f.kind != CODE
                )
            for text_, have in info.name_trigrams:
                similarity = len(wanted & have) / len(wanted | have) if have else 0.0
                if similarity > best:
                    best, name = similarity, text_
            if best >= TRIGRAM_SIMILARITY:
                out.append(
                    _Candidate(
                        rowid,
                        60.0 + 100.0 * best,
                        ["typo"],
                        [name],
                        typos=True,
                        tier=tier,
                    )
                )
        return out

    @staticmethod
    def _icd_rows(con: sqlite3.Connection, icd: str) -> list[tuple[int, str, str]]:
        """Documents with this ICD-10 code, its subcodes, or (for a subcode) its category."""
        pattern = icd + ("%" if "." in icd else ".%")
        category = icd.split(".")[0]
        try:
            return con.execute(
                "SELECT doc, code, relation FROM doc_codes WHERE code = ? OR code LIKE ? "
                "OR code = ?",
                (icd, pattern, category),
            ).fetchall()
        except sqlite3.OperationalError:  # an index file from before format 5
            rows = con.execute(
                "SELECT doc, code FROM doc_codes WHERE code = ? OR code LIKE ? OR code = ?",
                (icd, pattern, category),
            ).fetchall()
            return [(doc, code, "") for doc, code in rows]

    # -- query planning ---------------------------------------------------------------

    def _plan(self, con: sqlite3.Connection, index: _Index, u: Understanding) -> _Plan:
        terms: list[TermPlan] = []
        corrections: dict[int, str] = {}
        ignored: list[str] = []
        for i, t in enumerate(u.terms):
            alts = list(t.alternatives)
            if t.context:
                terms.append(TermPlan(tuple(alts), True, 0.0))
                continue
            in_names = t.key in index.vocab
            known = index.known(t.key)
            if not in_names and t.last:
                in_names = known = _completes(index, t.key) or known
            # Short words are only completed when they start a known abbreviation.
            if (
                len(t.word) < MIN_HEAD
                and t.last
                and not in_names
                and any(a.startswith(t.key) for a in index.abbreviations)
            ):
                alts.append(
                    Alternative((t.key,), COST_PREFIX, "prefix", prefix=True, surface=t.word)
                )
            if not in_names and t.key in LEXICON_KEYS:
                # A word of the lexicon ("bekken") is complete: completed, it would find
                # other words ("bekend").
                alts = [a for a in alts if not a.prefix]
            split = False
            parts: list[str] = []
            if not in_names and not t.word.isdigit():
                compound, parts = _compound_alternatives(index, t.word)
                alts += compound
                split = bool(compound)
            typos: list[Alternative] = []
            if not known:
                # A word no name, definition or lexicon knows: a real typo. A correction
                # keeps every organ the word names ("borstkankr" never becomes
                # "botkanker") and every known part of a compound ("maagkanker" never
                # becomes "oogkanker"): a typo may only be inside a part.
                part_keys = [word_key(p) for p in parts]
                typos = [
                    a
                    for a in self._typos(con, index, t.word, t.key)
                    if all(k in a.keys[0] for k in part_keys)
                ]
                typos += self._typos_in_part(con, index, t.word)
            alts += typos
            if typos and not split and t.word not in BODY_SITES:
                surface = index.surface(typos[0].keys[-1], u.language)
                if surface and len(typos[0].keys) == 1:
                    corrections[i] = surface
            df = index.vocab.get(t.key, (0, ""))[0]
            typo_only = bool(typos) and not any(
                a.reason != "typo" and not a.prefix and index.matchable(a.keys) for a in alts
            )
            plan = TermPlan(tuple(alts), t.optional, rarity(df), typo_only)
            if not t.optional and not self._matchable(index, plan):
                ignored.append(t.word)
            terms.append(plan)
        required = [p for p in terms if not p.optional]
        if ignored and len(ignored) < len(required):
            # Relaxation that keeps what it knows: a word no document contains is left
            # out (and the page says so), instead of the known words being dropped.
            keep = [i for i, t in enumerate(u.terms) if t.optional or t.word not in ignored]
            old_to_new = {old: new for new, old in enumerate(keep)}
            terms = [terms[i] for i in keep]
            spans = [
                SpanPlan(old_to_new[s.first], old_to_new[s.last], s.alternative)
                for s in u.spans
                if s.first in old_to_new
                and s.last in old_to_new
                and all(j in old_to_new for j in range(s.first, s.last + 1))
            ]
            corrections = {}
        else:
            ignored = []
            spans = [SpanPlan(s.first, s.last, s.alternative) for s in u.spans]
        return _Plan(terms, spans, corrections, tuple(dict.fromkeys(ignored)))

    @staticmethod
    def _matchable(index: _Index, term: TermPlan) -> bool:
        for a in term.alternatives:
            if a.prefix:
                if _completes(index, a.keys[-1]) and index.matchable(a.keys[:-1]):
                    return True
            elif index.matchable(a.keys):
                return True
        return False

    @staticmethod
    def _typos(con: sqlite3.Connection, index: _Index, word: str, key: str) -> list[Alternative]:
        budget = typo_budget(word)
        if budget == 0 or not key:
            return []
        near = index.near.get((key, budget))
        if near is None:

            def lookup(probes: list[str]) -> Iterable[str]:
                marks = ",".join("?" * len(probes))
                sql = f"SELECT DISTINCT key FROM deletes WHERE del IN ({marks})"  # noqa: S608 (only "?" placeholders)
                return (k for (k,) in con.execute(sql, probes))

            near = near_words(key, budget, lookup, index.vocab)
        organs = [word_key(o) for o in body_sites_in(word)]
        vocab = index.vocab
        return [
            Alternative((cand,), float(d), "typo", surface=vocab.get(cand, (0, cand))[1])
            for d, cand in near
            if all(o in cand for o in organs)
        ]

    def _typos_in_part(
        self, con: sqlite3.Connection, index: _Index, word: str
    ) -> list[Alternative]:
        """A typo after an organ word: "borstkankr" -> "borst" + "kanker" (or "carcinoom")."""
        for organ in BODY_SITE_WORDS:
            rest = word[len(organ) :]
            if not word.startswith(organ) or len(rest) < MIN_HEAD or index.known(word_key(rest)):
                continue
            organ_options = _part_options(index, organ)
            out: list[Alternative] = []
            for fix in self._typos(con, index, rest, word_key(rest)):
                surface = index.vocab.get(fix.keys[0], (0, fix.keys[0]))[1]
                fixes = [(fix.keys, 0.0)] + [
                    (keys, cost)
                    for keys, cost, _r in _part_options(index, surface)
                    if keys != fix.keys
                ]
                for (o_keys, o_cost, _r), (f_keys, f_cost) in itertools.product(
                    organ_options, fixes
                ):
                    out.append(
                        Alternative(
                            (*o_keys, *f_keys), fix.cost + o_cost + f_cost, "typo", surface=word
                        )
                    )
            return out[:MAX_COMBINATIONS]
        return []

    # -- candidates -------------------------------------------------------------------

    def _text_candidates(
        self,
        con: sqlite3.Connection,
        index: _Index,
        terms: list[TermPlan],
        spans: list[SpanPlan],
        kinds: tuple[str, ...],
    ) -> list[_Candidate]:
        groups: list[tuple[int, str]] = []  # (how common the word is, FTS5 expression)
        for i, t in enumerate(terms):
            if t.optional:
                continue
            # A word the vocabulary knows is complete: its prefix would only add
            # longer words, at a price; unknown last words are completed.
            exprs = [
                _fts_alt(a) for a in t.alternatives if not (a.prefix and a.keys[-1] in index.vocab)
            ]
            exprs += [_fts_alt(s.alternative) for s in spans if s.first <= i <= s.last]
            exprs = [e for e in dict.fromkeys(exprs) if e]
            if exprs:
                df = index.vocab.get(t.alternatives[0].keys[0], (0, ""))[0]
                groups.append((df, "(" + " OR ".join(exprs) + ")"))
        if not groups:  # only optional words (cannot happen) or nothing usable
            return []
        n_required = len(groups)
        kinds = tuple(k for k in kinds if k)
        ranked: dict[int, tuple[float, bool]] = {}
        for level, (queries, last_resort) in enumerate(_relaxations(groups)):
            if (level and len(ranked) >= ENOUGH_ALL_WORDS) or (last_resort and ranked):
                break
            for match in queries:
                limit = CANDIDATES if level == 0 else SOME_WORDS_CANDIDATES
                for rowid, rank in self._fts(con, match, kinds, limit):
                    if rowid not in ranked:
                        ranked[rowid] = (rank, level == 0)
        order = sorted(ranked.items(), key=lambda kv: (not kv[1][1], kv[1][0]))
        full = [r for r, (_rank, all_words) in order if all_words][:FULL_RANK]
        full += [r for r, (_rank, all_words) in order if not all_words][:PARTIAL_RANK]
        infos = index.docs(con, full)
        out: list[_Candidate] = []
        for rowid, (rank, all_words) in order:
            info = infos.get(rowid)
            if info is None:
                # Beyond the fully ranked ones: keep bm25's order, below them.
                tier = (n_required if all_words else 0, 0)  # halves: not known to be names
                out.append(
                    _Candidate(rowid, -rank - 1000.0 * (not all_words), ["definition"], tier=tier)
                )
                continue
            ds = score_doc(info.index, terms, spans, matched_elsewhere=all_words)
            out.append(_candidate(info, ds, -rank))
        return out

    @staticmethod
    def _fts(
        con: sqlite3.Connection, match: str, kinds: tuple[str, ...], limit: int
    ) -> list[tuple[int, float]]:
        try:
            if kinds:
                marks = ",".join("?" * len(kinds))
                sql = f"{_FTS_BY_KIND} AND d.kind IN ({marks}) ORDER BY score, rowid LIMIT ?"
                return con.execute(sql, (match, *kinds, limit)).fetchall()
            return con.execute(
                _FTS_ALL,
                (match, limit),
            ).fetchall()
        except sqlite3.OperationalError:
            return []  # a query FTS5 cannot parse finds nothing rather than failing

    def _expand_group(
        self,
        con: sqlite3.Connection,
        index: _Index,
        kept: list[_Candidate],
        infos: dict[int, DocInfo],
        query: SearchQuery,
    ) -> list[_Candidate]:
        """A query that names a group also brings the group's members, right below it."""
        if not kept:
            return kept
        top = min(kept, key=lambda c: c.rank_key())
        info = infos[top.rowid]
        if info.kind != "condition" or info.level != "group" or not top.exact:
            return kept
        member_rows = [r for code in info.children for r in index.by_code.get(code, ())]
        members = index.docs(con, member_rows)
        infos.update(members)
        present = {c.rowid: c for c in kept}
        title, title_lang = info.title(query.lang)
        ref = RelatedRef("condition", info.entity_id, title, title_lang, info.orphacode)
        base = top.score - MEMBER_GAP
        for rowid, member in members.items():
            if not _passes(member, query) or member.status != "active":
                continue
            prev = present.get(rowid)
            # Members that match the words themselves come first among the members.
            own = min(max(prev.score, 0.0), 400.0) / 1000.0 if prev is not None else 0.0
            score = base + own
            if prev is not None:
                if prev.rank_key() > (-top.tier[0], -top.tier[1], -score):
                    prev.score = score
                    prev.tier = top.tier
                    prev.member_of = ref
                    prev.reasons.append("member_of_group")
                continue
            c = _Candidate(rowid, score, ["member_of_group"], member_of=ref, tier=top.tier)
            kept.append(c)
            present[rowid] = c
        return kept

    @staticmethod
    def _successors(
        con: sqlite3.Connection,
        index: _Index,
        kept: list[_Candidate],
        infos: dict[int, DocInfo],
        query: SearchQuery,
    ) -> list[_Candidate]:
        """Obsolete and deprecated codes are never results: their successors take their place.

        An inactive code without a successor is left out, unless it was asked for by its
        ORPHAcode (its page says what became of it).
        """
        if all(infos[c.rowid].status == "active" for c in kept):
            return kept
        out = {c.rowid: c for c in kept if infos[c.rowid].status == "active"}
        inactive = [c for c in kept if infos[c.rowid].status != "active"]
        found = index.docs(
            con,
            (
                r
                for c in inactive
                for code in infos[c.rowid].successors
                for r in index.by_code.get(code, ())[:1]
            ),
        )
        infos.update(found)
        for c in inactive:
            info = infos[c.rowid]
            rows = [r for code in info.successors for r in index.by_code.get(code, ())[:1]]
            heirs = [r for r in rows if r in found and found[r].status == "active"]
            heirs = [r for r in heirs if _passes(found[r], query)]
            if not heirs and c.tier == CODE_TIER and "code" in c.reasons:
                out.setdefault(c.rowid, c)
                continue
            for r in heirs:
                heir = _Candidate(
                    r,
                    c.score,
                    [*c.reasons, "successor"],
                    list(c.matched),
                    exact=c.exact,
                    typos=c.typos,
                    tier=c.tier,
                )
                prev = out.get(r)
                if prev is None or prev.rank_key() > heir.rank_key():
                    out[r] = heir
        return list(out.values())

    @staticmethod
    def _for_audience(
        con: sqlite3.Connection,
        index: _Index,
        audience: str,
        kept: list[_Candidate],
        infos: dict[int, DocInfo],
        query: SearchQuery,
    ) -> list[_Candidate]:
        """A question about a child or a pregnancy: the place for it comes second (or first).

        Children: the children's cancer centre; pregnancy: the panels and groups named
        for cancer in pregnancy. Both are read from the documents when the index is
        built, so nothing here names an institution.
        """
        rowids = index.audiences.get(audience, ())
        centres = index.docs(con, rowids)
        wanted = [r for r in rowids if r in centres and _passes(centres[r], query)]
        if not wanted:
            return kept
        infos.update(centres)
        if any(c.rowid in wanted for c in kept[:2]):
            return kept  # already first or second
        rest = [c for c in kept if c.rowid not in wanted]
        head = rest[:1]
        added = [
            next((c for c in kept if c.rowid == r), None) or _Candidate(r, 0.0, ["audience"])
            for r in wanted
        ]
        for c in added:
            if "audience" not in c.reasons:
                c.reasons.append("audience")
        return head + added + rest[1:]

    # -- hits -------------------------------------------------------------------------

    def _hit(
        self, con: sqlite3.Connection, index: _Index, info: DocInfo, c: _Candidate, lang: str
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
        )

    @staticmethod
    def _groups(
        con: sqlite3.Connection, index: _Index, info: DocInfo, lang: str
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


def remove_abandoned_builds(path: Path) -> list[Path]:
    """Remove ``<index>.new-<pid>-<thread>`` files left by rebuilds whose process is gone.

    A rebuild that is killed (``kill -9``, OOM, power cut) cannot remove its own
    temporary file; without this they pile up for good (security review D13). Files
    of a process that still runs (this one included: another thread may be
    building) are left alone, and so are names that do not end in a pid.
    """
    removed: list[Path] = []
    for tmp in path.parent.glob(f"{path.name}.new-*"):
        pid_text = tmp.name[len(path.name) + len(".new-") :].partition("-")[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _running(int(pid_text)):
            continue
        try:
            tmp.unlink()
        except FileNotFoundError:
            continue  # another rebuild removed it first
        removed.append(tmp)
    return removed


def leftover_files(path: Path) -> list[Path]:
    """The files :func:`remove_abandoned_builds` would remove now (``doctor`` lists them)."""
    left = []
    for tmp in sorted(path.parent.glob(f"{path.name}.new-*")):
        pid_text = tmp.name[len(path.name) + len(".new-") :].partition("-")[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and not _running(int(pid_text)):
            left.append(tmp)
    return left


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def near_words(
    key: str,
    budget: int,
    lookup: Callable[[list[str]], Iterable[str]],
    vocab: Mapping[str, tuple[int, str]],
) -> tuple[tuple[int, str], ...]:
    """The vocabulary words within ``budget`` typos of ``key``: (distance, key), best first.

    ``lookup`` gives the vocabulary keys stored under some of the deletions
    (symmetric deletion, :mod:`search.typo`). Nearer words come first, then the
    more common ones.
    """
    probes = sorted(deletions(key, budget))
    found: set[str] = set()
    for start in range(0, len(probes), 400):
        found.update(lookup(probes[start : start + 400]))
    scored: list[tuple[int, int, str]] = []
    for cand in found:
        d = distance(key, cand, budget)
        if 0 < d <= budget:
            scored.append((d, -vocab.get(cand, (0, cand))[0], cand))
    scored.sort()
    return tuple((d, cand) for d, _df, cand in scored[:MAX_TYPO_CANDIDATES])


def _encode_near(near: Sequence[tuple[int, str]]) -> str:
    return " ".join(f"{d}:{cand}" for d, cand in near)  # keys are [0-9a-z] only


def _decode_near(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(d), cand) for d, _, cand in (item.partition(":") for item in text.split()))


def _completes(index: _Index, prefix: str) -> bool:
    """Whether a typed prefix is the start of a vocabulary word (search-as-you-type)."""
    if len(prefix) < 2:
        return False
    i = bisect.bisect_left(index.sorted_vocab, prefix)
    return i < len(index.sorted_vocab) and index.sorted_vocab[i].startswith(prefix)


def _candidate(info: DocInfo, ds: DocScore, bm25: float) -> _Candidate:
    score = ds.score + max(-15.0, min(10.0, 15.0 * (info.boost - 1.0)))
    score += min(3.0, max(0.0, bm25 * 0.05))  # FTS5's bm25 only breaks ties
    matched = [m.field.text for m in ds.matched_fields][:3]
    return _Candidate(
        info.rowid,
        score,
        list(ds.reasons),
        matched,
        exact=ds.exact,
        typos=ds.typos,
        tier=(ds.words, -ds.typo_count),
    )


@dataclass(frozen=True)
class _Plan:
    terms: list[TermPlan]
    spans: list[SpanPlan]
    corrections: dict[int, str]  # term index -> how to write its correction
    ignored: tuple[str, ...]  # words no document contains, left out


def body_sites_in(word: str) -> list[str]:
    """The organs and body parts a folded word names, whole or as a compound part."""
    found: list[str] = []
    for site in BODY_SITE_WORDS:
        if word == site or (
            len(word) - len(site) >= 3 and (word.startswith(site) or word.endswith(site))
        ):
            found.append(site)
    return found


def _known_parts(index: _Index, word: str, depth: int = 3) -> list[str] | None:
    """A compound split into parts that are all known words ("dunnedarmkanker")."""
    if depth == 0 or len(word) < MIN_HEAD + MIN_MODIFIER + 1:
        return None
    heads = index.heads
    for cut in range(MIN_MODIFIER + 1, len(word) - MIN_HEAD + 1):
        head = word[cut:]
        if word_key(head) not in heads:
            continue
        modifier = word[:cut]
        for mod in (modifier, modifier[:-1] if modifier.endswith("s") else None):
            if not mod or len(mod) <= MIN_MODIFIER:
                continue
            # A part of three letters must be a word the lexicon knows ("oog", "bot"):
            # the names hold short keys that are no words ("ost" of "oste").
            if word_key(mod) in heads and (len(mod) >= MIN_HEAD or mod in LEXICON_WORDS):
                return [mod, head]
            sub = _known_parts(index, mod, depth - 1)
            if sub:
                return [*sub, head]
    return None


def _part_options(index: _Index, part: str) -> list[tuple[tuple[str, ...], float, str]]:
    """Ways to match one part of a compound: itself, translated, or a related word."""
    options: list[tuple[tuple[str, ...], float, str]] = []
    key = word_key(part)
    if index.matchable((key,)):
        options.append(((key,), 0.0, "compound"))
    for others, cost in (
        (translations(part), 0.1),
        (ABBREVIATIONS.get(part, ()), 0.1),
        (RELATED.get(part, ()), 0.3),
    ):
        for other in others:
            keys = tuple(word_key(w) for w in other.split())
            if keys != (key,) and index.matchable(keys):
                options.append((keys, cost, "translation"))
    return options


def _compound_alternatives(index: _Index, word: str) -> tuple[list[Alternative], list[str]]:
    """Alternatives of a word the names do not contain, from the known words it is made of.

    A compound of known parts ("maagkanker", "dunnedarmkanker") matches its parts, each
    also translated ("stomach" + "cancer"); such a word is known and never corrected
    into another. Otherwise, a known last part is matched alone, at a price
    ("bovenbeen": "been"), after the compound with its first part translated
    ("mestcelsarcoom": "mast cell" + "sarcoma"). Also returns the known parts, if the
    word is made of them only.
    """
    parts = _known_parts(index, word)
    if parts:
        choices = [_part_options(index, p) for p in parts]
        if all(choices):
            combos = sorted(
                itertools.product(*choices), key=lambda combo: sum(c[1] for c in combo)
            )[:MAX_COMBINATIONS]
            return [
                Alternative(
                    tuple(k for keys, _c, _r in combo for k in keys),
                    COST_COMPOUND + sum(c for _k, c, _r in combo),
                    "compound" if all(r == "compound" for _k, _c, r in combo) else "translation",
                    surface=word,
                )
                for combo in combos
            ], parts
    split = split_words(word, index.heads)
    if not split:
        return [], []
    modifier, head = split
    head_keys = (word_key(head),)
    alts = [Alternative((word_key(modifier), *head_keys), 0.1, "compound", surface=word)]
    # "mestcelsarcoom": the modifier may be a word the lexicon translates.
    for other in translations(modifier):
        keys = tuple(word_key(w) for w in other.split()) + head_keys
        alts.append(Alternative(keys, 0.2, "translation", surface=word))
    if head in BODY_SITES:
        # "bovenbeen", "linkerborst": the part of the body is what the word is about. Only
        # that part matches, so it ranks like a typo, below whole-word matches.
        for keys, cost, _reason in _part_options(index, head):
            alts.append(Alternative(keys, HEAD_ONLY_COST + cost, "partial", surface=head))
    return alts, []


def _nearest(index: _Index, origin: GeoPoint, n: int = NEARBY_CANDIDATES) -> list[int]:
    """The ``n`` institutions with a site nearest to ``origin`` (flat-earth estimate,
    fine for ordering within the Netherlands; exact distances come later)."""
    scale = math.cos(math.radians(origin.lat))
    best: dict[int, float] = {}
    for doc, lat, lon in index.sites:
        d2 = (lat - origin.lat) ** 2 + ((lon - origin.lon) * scale) ** 2
        if d2 < best.get(doc, math.inf):
            best[doc] = d2
    return heapq.nsmallest(n, best, key=best.__getitem__)


def _relaxations(groups: Sequence[tuple[int, str]]) -> Iterator[tuple[list[str], bool]]:
    """FTS5 queries from strict to loose, in levels, like Meilisearch's matching strategy.

    First every word; then every way to leave one word out (the most common
    word first: it says least); then any one of the words in at most
    :data:`OR_WORD_DF` names; and, as a last resort (True) only when nothing at all
    was found, any one of all the words, so a
    query with a word that matches never ends with nothing. Words no document contains
    were left out before (:meth:`EmbeddedEngine._plan`). A level is only run while the
    levels before it found too little. (An OR with a word in a thousand names sorts all
    of them: run whenever the levels before found fewer than 10 hits, it doubled the
    CPU time of two-word queries such as "grawitz tumour", 0.4 to 5 ms.)
    """
    yield [" AND ".join(g for _df, g in groups)], False
    if len(groups) < 2:
        return
    if len(groups) > 2:
        by_commonness = sorted(range(len(groups)), key=lambda i: -groups[i][0])
        yield (
            [
                " AND ".join(g for i, (_df, g) in enumerate(groups) if i != drop)
                for drop in by_commonness
            ],
            False,
        )
    rare = [g for df, g in groups if df <= OR_WORD_DF]
    if rare:
        yield [" OR ".join(rare)], False
    if len(rare) < len(groups):
        yield [" OR ".join(g for _df, g in groups)], True


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


def _passes(info: DocInfo, query: SearchQuery) -> bool:
    if query.kinds and info.kind not in query.kinds:
        return False
    for facet, values in query.filters.items():
        if not values:
            continue
        have = (info.kind,) if facet == "kind" else info.facets.get(facet, ())
        if not set(have) & set(values):
            return False
    return True


def _facet_counts(
    kept: Sequence[_Candidate], infos: dict[int, DocInfo]
) -> dict[str, dict[str, int]]:
    pairs = Counter(chain.from_iterable(infos[c.rowid].facet_pairs for c in kept))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for (facet, value), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        counts[facet][value] = n
    return dict(counts)


# -- writing the index ------------------------------------------------------------------


def _write_index(con: sqlite3.Connection, docs: list[SearchDocument]) -> None:
    groups = ancestors(docs)
    inherited = expertise_locations(docs)
    heads = compound_heads(docs)
    vocab: dict[str, list[Any]] = {}  # key -> [df, {surface: count}]
    # key -> {language: {surface: count}}: "did you mean" in the language of the page.
    language_surfaces: dict[str, dict[str, Counter[str]]] = defaultdict(
        lambda: {"nl": Counter(), "en": Counter()}
    )
    fts_words: set[str] = set()
    trigram_df: Counter[str] = Counter()
    abbreviations: set[str] = set()
    children_centres: list[int] = []
    pregnancy_services: list[int] = []
    con.execute("INSERT INTO fts(fts, rank) VALUES ('rank', ?)", (RANK,))
    for rowid, doc in enumerate(docs, start=1):
        fields = name_fields(doc, heads)
        locations = doc.locations or inherited.get(doc.id, ())
        info = {
            "fields": [[f.kind, f.text, list(f.keys), field_extras(f)] for f in fields],
            "facets": {k: list(v) for k, v in doc.facets.items() if v},
            "locations": [[p.lat, p.lon] for p in locations],
            "ancestors": list(groups.get(doc.orphacode, ())) if doc.orphacode else [],
            "children": list(doc.children),
            "title_en_lang": doc.title_en_lang,
            "successors": list(doc.successors),
            "benign": doc.benign,
        }
        con.execute(
            "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                rowid,
                doc.id,
                doc.kind,
                doc.entity_id,
                doc.orphacode,
                doc.level,
                doc.status,
                doc.boost,
                doc.title_nl,
                doc.title_nl_lang,
                doc.title_en,
                1 if locations else 0,
                json.dumps(info, ensure_ascii=False, separators=(",", ":")),
            ),
        )
        if doc.kind == "institution":
            con.executemany(
                "INSERT INTO doc_points VALUES (?, ?, ?)",
                [(rowid, p.lat, p.lon) for p in doc.locations],
            )
        for m in doc.icd10():
            con.execute("INSERT INTO doc_codes VALUES (?, ?, ?)", (m.code, rowid, m.relation))
        if doc.kind == "institution" and CHILDREN_CENTRE[1] in doc.facets.get(
            CHILDREN_CENTRE[0], ()
        ):
            children_centres.append(rowid)
        if doc.kind != "condition" and any(
            PREGNANCY_KEYS & set(f.keys) for f in fields if f.kind in (TITLE, NAME)
        ):
            pregnancy_services.append(rowid)
        count_surfaces(doc, language_surfaces)

        names = [f for f in fields if f.kind in (TITLE, NAME)]
        lay = [f for f in fields if f.kind == LAY]
        codes = [f for f in fields if f.kind == CODE]
        abbreviations.update(k for f in codes for k in f.keys)
        columns = (
            _fts_text(names),
            _fts_text(lay),
            _fts_text(codes) + " " + " ".join(fold(c) for c in doc.codes),
            _body_text(f"{doc.text_nl} {doc.text_en}"),
        )
        con.execute(
            "INSERT INTO fts(rowid, names, lay, codes, body) VALUES (?,?,?,?,?)", (rowid, *columns)
        )
        compact = [_compact(f.text) for f in fields if f.kind != CODE]
        con.execute("INSERT INTO tri(rowid, names) VALUES (?, ?)", (rowid, " | ".join(compact)))
        trigram_df.update(set().union(*(trigrams(c) for c in compact)) if compact else ())
        for text in columns:
            fts_words.update(text.split())
        seen_keys: set[str] = set()
        for f in fields:
            words = fold(f.text).split()
            for w, k in zip(words, f.keys, strict=True):
                entry = vocab.setdefault(k, [0, {}])
                entry[1][w] = entry[1].get(w, 0) + 1
                if k not in seen_keys:
                    entry[0] += 1
                    seen_keys.add(k)
            # Parts of compounds are words too (joins of adjacent words are not:
            # each of their words is in the vocabulary already).
            for k, entries in f.index.items():
                if k in seen_keys or len(k) < 4 or k in f.keys:
                    continue
                if any(e.first == e.last for e in entries):
                    entry = vocab.setdefault(k, [0, {}])
                    entry[0] += 1
                    seen_keys.add(k)
    rows = []
    for k, (df, surfaces) in vocab.items():
        surface = max(surfaces.items(), key=lambda kv: (kv[1], kv[0]))[0] if surfaces else k
        by_lang = language_surfaces.get(k, {})
        nl, en = (_most_common(by_lang.get(lang, Counter())) for lang in ("nl", "en"))
        rows.append((k, df, surface, nl, en))
    rows.sort()
    con.executemany("INSERT INTO vocab VALUES (?,?,?,?,?)", rows)
    con.executemany("INSERT INTO fts_words VALUES (?)", ((k,) for k in sorted(fts_words) if k))
    con.executemany("INSERT INTO tri_df VALUES (?, ?)", sorted(trigram_df.items()))
    pairs = {(d, k) for k, *_rest in rows for d in deletions(k, index_depth(k))}
    con.executemany("INSERT INTO deletes VALUES (?, ?)", sorted(pairs))
    by_deletion: dict[str, list[str]] = defaultdict(list)
    for d, k in pairs:
        by_deletion[d].append(k)

    def lookup(probes: list[str]) -> Iterable[str]:
        return chain.from_iterable(by_deletion.get(p, ()) for p in probes)

    known = {k: (df, s) for k, df, s, _nl, _en in rows}

    # What searching would work out for each known word that gets typo alternatives
    # (common words get none), for both budgets: a typed word's length sets the budget.
    con.executemany(
        "INSERT INTO near_words VALUES (?, ?, ?)",
        (
            (k, budget, _encode_near(near_words(k, budget, lookup, known)))
            for k, df, _s, _nl, _en in rows
            if df <= COMMON_WORD_DF
            for budget in (1, 2)
        ),
    )
    con.execute("INSERT INTO meta VALUES ('count', ?)", (str(len(docs)),))
    con.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT_VERSION,))
    con.execute("INSERT INTO meta VALUES ('abbreviations', ?)", (" ".join(sorted(abbreviations)),))
    for audience, rowids in ((CHILDREN, children_centres), (PREGNANCY, pregnancy_services)):
        con.execute(
            "INSERT INTO meta VALUES (?, ?)", (f"audience:{audience}", " ".join(map(str, rowids)))
        )
    con.execute("INSERT INTO fts(fts) VALUES ('optimize')")


# -- the catalogue version an index was built from ---------------------------------------
# Kept apart from the index format: a server compares it with the catalogue's version
# and rebuilds an index that is older (search/reindex.py).


def write_catalogue_version(con: sqlite3.Connection, version: int | None) -> None:
    if version is not None:
        con.execute("INSERT INTO meta VALUES ('catalogue_version', ?)", (str(version),))


def read_catalogue_version(con: sqlite3.Connection) -> int | None:
    row = con.execute("SELECT value FROM meta WHERE key = 'catalogue_version'").fetchone()
    return int(row[0]) if row and str(row[0]).isascii() and str(row[0]).isdigit() else None


def count_surfaces(doc: SearchDocument, into: dict[str, dict[str, Counter[str]]]) -> None:
    """Count how each word is written in the document's Dutch and English names."""
    nl = [*doc.names_nl, *doc.lay_nl]
    en = [*doc.names_en, *doc.lay_en]
    if doc.title_nl_lang == "nl":
        nl.append(doc.title_nl)
    if doc.title_en_lang == "en":
        en.append(doc.title_en)
    for lang, texts in (("nl", nl), ("en", en)):
        for text in dict.fromkeys(texts):
            for w in fold(text).split():
                into[word_key(w)][lang][w] += 1


def _most_common(counts: Counter[str]) -> str:
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else ""


def _compact(text: str) -> str:
    """A name folded and without spaces: "Neuro-endocriene tumor" -> "neuroendocrienetumor"."""
    return fold(text).replace(" ", "")


def trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


def _fts_text(fields: Sequence[Field]) -> str:
    return " ".join(" ".join(f.index) for f in fields)


def _body_text(text: str) -> str:
    return " ".join(word_key(w) for w in fold(text).split())


def _distinct_ignoring_case(texts: list[str]) -> tuple[str, ...]:
    """Matched names once each: "Botkanker" and "botkanker" are the same to a reader."""
    seen: dict[str, str] = {}
    for text in texts:
        seen.setdefault(text.casefold(), text)
    return tuple(seen.values())
