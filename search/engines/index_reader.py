"""What a reader of the embedded engine's index file keeps in memory: the vocabulary,
the codes, the sites and the typo alternatives read once per file, and the documents
decoded as searches need them (an LRU cache).
"""

from __future__ import annotations

import bisect
import json
import sqlite3
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from directory.vocabulary import SearchKind
from search.engine import (
    GeoPoint,
    RelatedRef,
    SearchResults,
)
from search.engines.index_file import (
    decode_near,
)
from search.engines.ranking import (
    DocIndex,
    doc_index,
    make_field,
)
from search.lexicon import (
    LEXICON_KEYS,
)
from search.query import (
    CHILDREN,
    PREGNANCY,
    YOUNG_ADULTS,
)

CACHE_DOCS = 30_000
_DOC_COLUMNS = (
    "rowid, id, kind, entity_id, orphacode, level, status, boost, title_nl, title_nl_lang, "
    "title_en, info"
)
# Every word the lexicon knows, as keys: such a word is never "corrected" into another.


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


class IndexReader:
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
        # Per audience (children, pregnancy, young adults): the documents that serve it
        # (none in an index from before an audience was added).
        self.audiences: dict[str, tuple[int, ...]] = {
            audience: tuple(int(r) for r in meta.get(f"audience:{audience}", "").split())
            for audience in (CHILDREN, PREGNANCY, YOUNG_ADULTS)
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
                self.near[key, budget] = decode_near(near)
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


def completes(index: IndexReader, prefix: str) -> bool:
    """Whether a typed prefix is the start of a vocabulary word (search-as-you-type)."""
    if len(prefix) < 2:
        return False
    i = bisect.bisect_left(index.sorted_vocab, prefix)
    return i < len(index.sorted_vocab) and index.sorted_vocab[i].startswith(prefix)
