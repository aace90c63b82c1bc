"""The embedded engine's index file: its schema, and how a rebuild writes it.

The file holds:

* ``docs``: one row per document with what the ranking and the hits need
  (names as keyed fields, facets, locations, groups and members);
* ``fts``: an FTS5 table over the *keys* of the words (see
  :mod:`search.variants`), with adjacent words joined and compounds split, so
  spelling variants and compounds meet in the index;
* ``tri``: every name without spaces, for whole-query trigram matching;
* ``vocab`` and ``deletes``: the words of names and lay terms, and every word
  with one or two letters deleted, for typo candidates (symmetric deletion,
  :mod:`search.typo`);
* ``near_words``: for every vocabulary word that is not common, its typo
  alternatives (the nearest vocabulary words), worked out when the index is
  built: a query word the vocabulary knows costs one dictionary lookup, and only
  unknown words (real typos) are looked up in ``deletes`` while searching;
* ``doc_codes``: ICD-10 and other codes, for exact and prefix lookups;
* ``meta``: the document count, the format, and the catalogue version it was built from.

A rebuild writes a new file next to the live one (:meth:`EmbeddedEngine.rebuild
<search.engines.embedded.EmbeddedEngine.rebuild>`); the files of rebuilds that were
killed are removed here.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from directory.text import fold
from search.engine import (
    SearchDocument,
)
from search.engines.ranking import (
    CODE,
    LAY,
    NAME,
    TITLE,
    Field,
    compound_heads,
    doc_audiences,
    field_extras,
    name_fields,
)
from search.hierarchy import ancestors, expertise_locations
from search.query import (
    CHILDREN,
    PREGNANCY,
    YOUNG_ADULTS,
)
from search.typo import deletions, distance, index_depth
from search.variants import word_key

# The documents of the embedded engine's SQLite file, and its FTS5 tables.
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
FORMAT_VERSION = "5"
MAX_TYPO_CANDIDATES = 6
COMMON_WORD_DF = 8  # a word in more names than this gets no typo alternatives


# -- writing the index ------------------------------------------------------------------


def write_index(con: sqlite3.Connection, docs: list[SearchDocument]) -> None:
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
    served: dict[str, list[int]] = {a: [] for a in (CHILDREN, PREGNANCY, YOUNG_ADULTS)}
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
        for audience in doc_audiences(doc, fields):
            served[audience].append(rowid)
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
        compacted = [compact(f.text) for f in fields if f.kind != CODE]
        con.execute("INSERT INTO tri(rowid, names) VALUES (?, ?)", (rowid, " | ".join(compacted)))
        trigram_df.update(set().union(*(trigrams(c) for c in compacted)) if compacted else ())
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
    for audience, rowids in served.items():
        con.execute(
            "INSERT INTO meta VALUES (?, ?)", (f"audience:{audience}", " ".join(map(str, rowids)))
        )
    con.execute("INSERT INTO fts(fts) VALUES ('optimize')")


# -- the catalogue version an index was built from ---------------------------------------
# Kept apart from the index format: a server compares it with the catalogue's version
# and rebuilds an index that is older (search/reindex.py).

# The code an index's content depends on besides the catalogue: how words become keys,
# the lexicon, the documents and this file. An index that other code built (an upgrade
# changed a spelling rule: "keel" got a key of its own) would look words up by keys it
# does not hold, so it counts as built from no known version and is rebuilt at start-up.
BUILT_BY_MODULES = (
    "directory.text",
    "search.documents",
    "search.hierarchy",
    "search.lexicon",
    "search.text",
    "search.typo",
    "search.variants",
    "search.engines.index_file",
)


@functools.cache
def built_by() -> str:
    """A fingerprint of the index format and of the source of ``BUILT_BY_MODULES``."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for name in BUILT_BY_MODULES:
        file = getattr(importlib.import_module(name), "__file__", None)
        digest.update(name.encode())
        if file is not None:
            digest.update(Path(file).read_bytes())
    return digest.hexdigest()[:16]


def write_catalogue_version(con: sqlite3.Connection, version: int | None) -> None:
    con.execute("INSERT INTO meta VALUES ('built_by', ?)", (built_by(),))
    if version is not None:
        con.execute("INSERT INTO meta VALUES ('catalogue_version', ?)", (str(version),))


def read_catalogue_version(con: sqlite3.Connection) -> int | None:
    """The catalogue version the index was built from; None when it records none or when
    other code built it (``built_by``)."""
    meta = dict(
        con.execute("SELECT key, value FROM meta WHERE key IN ('catalogue_version', 'built_by')")
    )
    if meta.get("built_by") != built_by():
        return None
    value = str(meta.get("catalogue_version", ""))
    return int(value) if value.isascii() and value.isdigit() else None


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


def decode_near(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(d), cand) for d, _, cand in (item.partition(":") for item in text.split()))


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


def compact(text: str) -> str:
    """A name folded and without spaces: "Neuro-endocriene tumor" -> "neuroendocrienetumor"."""
    return fold(text).replace(" ", "")


def trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


def _fts_text(fields: Sequence[Field]) -> str:
    return " ".join(" ".join(f.index) for f in fields)


def _body_text(text: str) -> str:
    return " ".join(word_key(w) for w in fold(text).split())
