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
import json
import math
import os
import re
import sqlite3
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from directory.geo import GazetteerView
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
    score_doc,
)
from search.geo import haversine_km, nearest_km, parse_near
from search.hierarchy import ancestors, expertise_locations
from search.lexicon import HOSPITAL_WORDS, INSTITUTION_WORDS, translations
from search.query import Alternative, Understanding, normalise_icd10, understand
from search.text import clean_query, fold
from search.typo import deletions, distance, index_depth, typo_budget
from search.variants import split_words, word_key

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
CREATE TABLE doc_codes (code TEXT NOT NULL, doc INTEGER NOT NULL);
CREATE TABLE doc_points (doc INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
CREATE INDEX doc_codes_code ON doc_codes(code);
CREATE VIRTUAL TABLE fts USING fts5(
    names, lay, codes, body, content = '', tokenize = 'unicode61', prefix = '2 3 4'
);
CREATE TABLE vocab (key TEXT PRIMARY KEY, df INTEGER NOT NULL, surface TEXT NOT NULL)
    WITHOUT ROWID;
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
FORMAT_VERSION = "4"

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
SOME_WORDS_CANDIDATES = 150  # the same for hits with only some of the words
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


@dataclass(slots=True)
class DocInfo:
    rowid: int
    id: str
    kind: str
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
        self.vocab: dict[str, tuple[int, str]] = {
            k: (df, s) for k, df, s in con.execute("SELECT key, df, surface FROM vocab")
        }
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
        row = con.execute("SELECT value FROM meta WHERE key='count'").fetchone()
        self.count = int(row[0]) if row else 0

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
    )


def _fts_alt(alt: Alternative) -> str:
    # Keys are folded to [0-9a-z]; quoting keeps FTS5 operators inert anyway.
    quoted = [f'"{k}"' for k in alt.keys if k]
    if not quoted:
        return ""
    if alt.prefix:
        quoted[-1] += "*"
    return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"


_TEMP_SUFFIX = re.compile(r"\.new-(\d+)-\d+$")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def leftover_files(index_path: Path) -> list[Path]:
    """Files ``<index>.new-<pid>-<thread>`` whose process is gone: a killed rebuild's."""
    left = []
    for path in sorted(index_path.parent.glob(index_path.name + ".new-*")):
        match = _TEMP_SUFFIX.search(path.name)
        if match is None or not _process_alive(int(match.group(1))):
            left.append(path)
    return left


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
        tmp = self.path.with_name(f"{self.path.name}.new-{os.getpid()}-{threading.get_ident()}")
        tmp.unlink(missing_ok=True)
        for left in leftover_files(self.path):  # of rebuilds killed before they ended
            left.unlink(missing_ok=True)
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
        u = understand(query.text, self.gazetteer)
        limit = max(0, min(query.limit, MAX_LIMIT))
        offset = max(0, query.offset)
        location = u.location
        if query.near is not None:
            location = Location(
                query.near, f"{query.near.lat:.4f},{query.near.lon:.4f}", "coordinates"
            )
        terms, spans, corrections = self._plan(con, index, u)
        cands: dict[int, _Candidate] = {}

        def add(c: _Candidate) -> None:
            prev = cands.get(c.rowid)
            if prev is None or prev.score < c.score:
                cands[c.rowid] = c

        code_found = False
        for code in u.orphacodes:
            for rowid in index.by_code.get(code, ()):
                code_found = True
                add(_Candidate(rowid, CODE_SCORE, ["code"], [f"ORPHA:{code}"], exact=True))
        if u.orphacodes and not code_found and u.number_location and location is None:
            location = u.number_location
        for icd in u.icd10:
            pattern = icd + ("%" if "." in icd else ".%")
            for doc, stored in con.execute(
                "SELECT doc, code FROM doc_codes WHERE code = ? OR code LIKE ?", (icd, pattern)
            ):
                icd_score = ICD_SCORE if stored == icd else ICD_SCORE - 100
                add(_Candidate(doc, icd_score, ["code"], [f"ICD-10 {stored}"], exact=True))
        nearby = (
            location is not None
            and bool(u.terms)
            and all(t.word in INSTITUTION_WORDS for t in u.terms)
        )
        specific = [i for i, t in enumerate(u.terms) if t.word not in HOSPITAL_WORDS]
        if nearby:
            # Every institution is a hospital: only words such as "umc" narrow the choice.
            terms, spans = [terms[i] for i in specific], []
        if terms:
            for c in self._text_candidates(con, index, terms, spans, query.kinds):
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
        kept = [c for c in cands.values() if c.rowid in infos and _passes(infos[c.rowid], query)]
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
                    named = specific and c.score > W_TERM
                    c.score = NEARBY_SCORE + (100.0 if named else 0.0) - km / 10.0
                else:
                    c.score += max(0.0, 6.0 - km / 25.0)  # breaks ties between hospitals only
        lang = query.lang
        if query.sort == "distance" and origin is not None:
            kept.sort(
                key=lambda c: (
                    c.distance_km is None,
                    c.distance_km if c.distance_km is not None else 0.0,
                    -c.score,
                    _sort_title(infos[c.rowid], lang),
                )
            )
        else:
            kept.sort(key=lambda c: (-c.score, _sort_title(infos[c.rowid], lang), c.rowid))
        facets = _facet_counts(kept, infos)
        page = kept[offset : offset + limit]
        if origin is not None:
            for c in page:
                info = infos[c.rowid]
                if c.distance_km is None and info.locations:
                    c.distance_km = nearest_km(origin, info.locations)
        hits = tuple(self._hit(con, index, infos[c.rowid], c, lang) for c in page)
        corrected = None
        if corrections and kept and any(c.typos for c in kept[:3]):
            words = list(u.words)
            for i, surface in corrections.items():
                words[i] = surface
            corrected = " ".join(words)
        return SearchResults(
            hits=hits, total=len(kept), facets=facets, corrected=corrected, location=location
        )

    # -- query planning ---------------------------------------------------------------

    def _plan(
        self, con: sqlite3.Connection, index: _Index, u: Understanding
    ) -> tuple[list[TermPlan], list[SpanPlan], dict[int, str]]:
        terms: list[TermPlan] = []
        corrections: dict[int, str] = {}
        for i, t in enumerate(u.terms):
            alts = list(t.alternatives)
            known = t.key in index.vocab
            if not known and t.last:
                known = _completes(index, t.key)
            split = split_words(t.word, index.vocab) if not known else None
            if split:
                modifier, head = split
                head_keys = (word_key(head),)
                alts.append(
                    Alternative((word_key(modifier), *head_keys), 0.1, "compound", surface=t.word)
                )
                # "mestcelsarcoom": the modifier may be a word the lexicon translates.
                for other in translations(modifier):
                    keys = tuple(word_key(w) for w in other.split()) + head_keys
                    alts.append(Alternative(keys, 0.2, "translation", surface=t.word))
            # Like Meilisearch, known words get typo alternatives too ("folliculair" is
            # a word, and one typo away from "follicular"), unless they are common:
            # a frequent word is what people mean, and its typos only cost time.
            common = known and index.vocab.get(t.key, (0, ""))[0] > COMMON_WORD_DF
            typos = [] if common else self._typos(con, index, t.word, t.key)
            alts += typos
            if typos and not known and not split:
                corrections[i] = typos[0].surface
            terms.append(TermPlan(tuple(alts), t.optional))
        spans = [SpanPlan(s.first, s.last, s.alternative) for s in u.spans]
        return terms, spans, corrections

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
        vocab = index.vocab
        return [
            Alternative((cand,), float(d), "typo", surface=vocab.get(cand, (0, cand))[1])
            for d, cand in near
        ]

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
        kinds = tuple(k for k in kinds if k)
        ranked: dict[int, tuple[float, bool]] = {}
        for level, queries in enumerate(_relaxations(groups)):
            if level and len(ranked) >= ENOUGH_ALL_WORDS:
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
                out.append(_Candidate(rowid, -rank - 1000.0 * (not all_words), ["definition"]))
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
        top = max(kept, key=lambda c: c.score)
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
                if prev.score < score:
                    prev.score = score
                    prev.member_of = ref
                    prev.reasons.append("member_of_group")
                continue
            c = _Candidate(rowid, score, ["member_of_group"], member_of=ref)
            kept.append(c)
            present[rowid] = c
        return kept

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
    return _Candidate(info.rowid, score, list(ds.reasons), matched, exact=ds.exact, typos=ds.typos)


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


def _relaxations(groups: Sequence[tuple[int, str]]) -> Iterator[list[str]]:
    """FTS5 queries from strict to loose, in levels, like Meilisearch's matching strategy.

    First every word; then every way to leave one word out (the most common
    word first: it says least); last any one of the uncommon words. A level is
    only run while the levels before it found too little.
    """
    yield [" AND ".join(g for _df, g in groups)]
    if len(groups) < 2:
        return
    if len(groups) > 2:
        by_commonness = sorted(range(len(groups)), key=lambda i: -groups[i][0])
        yield [
            " AND ".join(g for i, (_df, g) in enumerate(groups) if i != drop)
            for drop in by_commonness
        ]
    rare = [g for df, g in groups if df <= COMMON_WORD_DF] or [g for _df, g in groups]
    yield [" OR ".join(rare)]


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
        for code in doc.codes:
            system, _, value = code.partition(" ")
            if system.upper().startswith("ICD") and value:
                con.execute("INSERT INTO doc_codes VALUES (?, ?)", (normalise_icd10(value), rowid))
        names = [f for f in fields if f.kind in (TITLE, NAME)]
        lay = [f for f in fields if f.kind == LAY]
        codes = [f for f in fields if f.kind == CODE]
        con.execute(
            "INSERT INTO fts(rowid, names, lay, codes, body) VALUES (?,?,?,?,?)",
            (
                rowid,
                _fts_text(names),
                _fts_text(lay),
                _fts_text(codes) + " " + " ".join(fold(c) for c in doc.codes),
                _body_text(f"{doc.text_nl} {doc.text_en}"),
            ),
        )
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
        rows.append((k, df, surface))
    rows.sort()
    con.executemany("INSERT INTO vocab VALUES (?,?,?)", rows)
    pairs = {(d, k) for k, _df, _s in rows for d in deletions(k, index_depth(k))}
    con.executemany("INSERT INTO deletes VALUES (?, ?)", sorted(pairs))
    by_deletion: dict[str, list[str]] = defaultdict(list)
    for d, k in pairs:
        by_deletion[d].append(k)
    known = {k: (df, s) for k, df, s in rows}

    def lookup(probes: list[str]) -> Iterable[str]:
        return chain.from_iterable(by_deletion.get(p, ()) for p in probes)

    # What searching would work out for each known word that gets typo alternatives
    # (common words get none), for both budgets: a typed word's length sets the budget.
    con.executemany(
        "INSERT INTO near_words VALUES (?, ?, ?)",
        (
            (k, budget, _encode_near(near_words(k, budget, lookup, known)))
            for k, df, _s in rows
            if df <= COMMON_WORD_DF
            for budget in (1, 2)
        ),
    )
    con.execute("INSERT INTO meta VALUES ('count', ?)", (str(len(docs)),))
    con.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT_VERSION,))
    con.execute("INSERT INTO fts(fts) VALUES ('optimize')")


# -- the catalogue version an index was built from ---------------------------------------
# Kept apart from the index format: a server compares it with the catalogue's version
# and rebuilds an index that is older (web/reindex.py).


def write_catalogue_version(con: sqlite3.Connection, version: int | None) -> None:
    if version is not None:
        con.execute("INSERT INTO meta VALUES ('catalogue_version', ?)", (str(version),))


def read_catalogue_version(con: sqlite3.Connection) -> int | None:
    row = con.execute("SELECT value FROM meta WHERE key = 'catalogue_version'").fetchone()
    return int(row[0]) if row and str(row[0]).isascii() and str(row[0]).isdigit() else None


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
