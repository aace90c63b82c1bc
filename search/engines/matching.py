"""Matching for the embedded engine: the candidates FTS5 finds for a planned query, from
every word down to any word (like Meilisearch's matching strategy), each scored by
:class:`search.engines.ranking.QueryScorer`; and names that look like the whole query
(trigrams in common), for what words and typos miss.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from directory.text import fold
from search.engines.candidates import (
    Candidate,
    scored,
)
from search.engines.index_file import (
    BM25_WEIGHTS,
    compact,
    trigrams,
)
from search.engines.index_reader import (
    IndexReader,
)
from search.engines.ranking import (
    CODE,
    QueryScorer,
    SpanPlan,
    TermPlan,
    body_sites_in,
    holds_site,
)
from search.query import (
    Alternative,
    Understanding,
)

# Searches call bm25() themselves and let SQLite sort: FTS5's own "ORDER BY rank"
# takes about 1.7 times as long for the same rows in the same order (SQLite 3.40).
_BM25 = f"bm25(fts, {BM25_WEIGHTS})"
_TRI = "SELECT rowid FROM tri WHERE tri MATCH ? ORDER BY bm25(tri), rowid LIMIT ?"
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
ENOUGH_ALL_WORDS = 10  # fewer hits with every word: also look for hits with some words
# Words in more names than this ("kanker", "tumor", "syndroom") are left out of the
# relaxed OR of any word, unless that finds nothing at all; "sarcoom" (64 names) and
# "ziekenhuis" (63) are in.
OR_WORD_DF = 150
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


def _fts_alt(alt: Alternative) -> str:
    # Keys are folded to [0-9a-z]; quoting keeps FTS5 operators inert anyway.
    quoted = [f'"{k}"' for k in alt.keys if k]
    if not quoted:
        return ""
    if alt.prefix:
        quoted[-1] += "*"
    return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"


def similar_names(
    con: sqlite3.Connection,
    index: IndexReader,
    u: Understanding,
    cands: dict[int, Candidate],
    ignored: tuple[str, ...],
) -> list[Candidate]:
    """Names that look like the whole query (trigrams in common), when words find little.

    FTS5's trigram tokenizer in the same file holds every name without spaces; a
    candidate needs a name sharing at least half its trigrams with the query. It
    ranks just below a name with every word of the query (words left out as unknown
    included: the trigrams cover them), with one typo.
    """
    # Asked only when a word was left out as unknown, or no hit has every word in a
    # name: asked for every query, it cost about 2 ms of CPU at the median of the
    # labelled set (2026-12, this machine).
    every_word = 2 * len(u.required)  # halves
    if not ignored and any(c.tier[0] >= every_word for c in cands.values()):
        return []
    tier = (every_word - 1, -1)
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
    # Like a typo, a similar name keeps every organ the query names: "nierkanker bij
    # volwassenen" is not "leverkanker bij volwassenen", "blaaskanker vrouw" is no
    # "galblaaskanker".
    named = {
        site for t in u.terms if not t.optional and not t.context for site in body_sites_in(t.word)
    }
    # "speekselklier" names the gland; its "klier" need not stand alone in the name.
    organs = [o for o in named if not any(o != s and s.endswith(o) for s in named)]
    out: list[Candidate] = []
    for rowid, info in index.docs(con, rows).items():
        best, name = 0.0, ""
        if info.name_trigrams is None:
            info.name_trigrams = tuple(
                (f.text, frozenset(trigrams(compact(f.text))))
                for f in info.index.fields
                if f.kind != CODE
            )
        for text_, have in info.name_trigrams:
            similarity = len(wanted & have) / len(wanted | have) if have else 0.0
            if similarity > best:
                best, name = similarity, text_
        if (
            best >= TRIGRAM_SIMILARITY
            and all(holds_site(compact(name), o) for o in organs)
            and not _another_organ(name, named, wanted)
        ):
            out.append(
                Candidate(
                    rowid,
                    60.0 + 100.0 * best,
                    ["typo"],
                    [name],
                    typos=True,
                    tier=tier,
                )
            )
    return out


def _another_organ(name: str, named: set[str], wanted: set[str]) -> bool:
    """Whether a similar name names an organ the query does not, not even misspelt:
    "navelkanker" (the navel, which no name holds) looks like "Keelkanker" by its
    "kanker" only; "schildkliekanker" still finds "schildklierkanker"."""
    for word in fold(name).split():
        for site in body_sites_in(word):
            if any(site.endswith(n) or n.endswith(site) for n in named):
                continue
            grams = trigrams(site)
            if grams and len(grams & wanted) < len(grams) / 2:
                return True
    return False


def text_candidates(
    con: sqlite3.Connection,
    index: IndexReader,
    terms: list[TermPlan],
    spans: list[SpanPlan],
    kinds: tuple[str, ...],
) -> list[Candidate]:
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
            for rowid, rank in _fts(con, match, kinds, limit):
                if rowid not in ranked:
                    ranked[rowid] = (rank, level == 0)
    order = sorted(ranked.items(), key=lambda kv: (not kv[1][1], kv[1][0]))
    full = [r for r, (_rank, all_words) in order if all_words][:FULL_RANK]
    full += [r for r, (_rank, all_words) in order if not all_words][:PARTIAL_RANK]
    infos = index.docs(con, full)
    scorer = QueryScorer(terms, spans)
    out: list[Candidate] = []
    for rowid, (rank, all_words) in order:
        info = infos.get(rowid)
        if info is None:
            # Beyond the fully ranked ones: keep bm25's order, below them.
            tier = (n_required if all_words else 0, 0)  # halves: not known to be names
            out.append(
                Candidate(rowid, -rank - 1000.0 * (not all_words), ["definition"], tier=tier)
            )
            continue
        ds = scorer.score(info.index, matched_elsewhere=all_words)
        out.append(scored(info, ds, -rank))
    return out


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


def _relaxations(groups: Sequence[tuple[int, str]]) -> Iterator[tuple[list[str], bool]]:
    """FTS5 queries from strict to loose, in levels, like Meilisearch's matching strategy.

    First every word; then every way to leave one word out (the most common
    word first: it says least); then any one of the words in at most
    :data:`OR_WORD_DF` names; and, as a last resort (True) only when nothing at all
    was found, any one of all the words, so a
    query with a word that matches never ends with nothing. Words no document contains
    were left out before (:func:`search.engines.planning.plan_query`). A level is only run while the
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
