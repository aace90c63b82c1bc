"""Ranking of the embedded engine: how well a document's names match a query.

SQLite FTS5 finds the candidates (fast, in C); this module orders them the way
people expect, in the spirit of Meilisearch's ranking rules: first how many of
the query's words a document matches, then how few typos that took, then how
much of one name the query covers (a query that *is* a name beats one that is
part of a longer name), then which field matched (a title before a synonym or a
lay term), then the record's own boost.

A document's searchable names are :class:`Field` objects: the keys of their
words (:func:`search.variants.word_key`), plus the keys of adjacent words
written together and of the parts of compound words, each with the word span it
covers and an extra cost. A :class:`DocIndex` inverts a document's fields (key
-> where it occurs) so that a query costs one lookup per alternative.

Over 600 lines: one scorer, whose rules (the parts of the body among them) all read the
same :class:`Field` and :class:`Entry` structures in the same inner loop.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from directory.text import fold
from search.engine import SearchDocument
from search.lexicon import (
    BODY_SITES,
    CLASS_WORDS,
    GENERIC_SITES,
    MALIGNANT_ENDINGS,
    MALIGNANT_WORDS,
    PREGNANCY_KEYS,
    STOPWORDS,
    TISSUE_SITES,
    YOUNG_ADULT_KEYS,
)
from search.query import CHILDREN, PREGNANCY, YOUNG_ADULTS, Alternative, names_a_disease
from search.variants import NEGATING_MODIFIERS, compound_parts, joins, word_key

TITLE, NAME, LAY, CODE = "t", "n", "l", "c"
FIELD_WEIGHT = {TITLE: 14.0, NAME: 10.0, LAY: 9.0, CODE: 12.0}
REASONS = {TITLE: "name", NAME: "synonym", LAY: "lay_term", CODE: "code"}

PART_COST = 0.25  # matching one part of a compound word ("sarcoom" in "chondrosarcoom")
JOIN_COST = 0.05  # matching words the document writes apart, typed together
MAX_PREFIX_KEYS = 8  # completions of a typed prefix looked at per document

# Score weights (see the module docstring for the order they express).
W_TERM = 100.0  # per query word matched in the best field
W_OTHER_FIELD = 70.0  # per query word matched only in another name of the record
W_BODY = 15.0  # per query word found only in the definition
W_COST = 35.0  # per typo (translations and compounds cost a fraction)
W_EXACT = 60.0  # the query covers a whole name
W_COVER = 30.0  # share of the name the query covers
W_ORDER = 4.0  # words in the same order as in the name
W_NO_SITE = 20.0  # a part of the body the query names and the names do not (40: too much)
W_BENIGN = 15.0  # a benign condition when the query asks for a cancer
W_AS_TYPED = 1.0  # a whole name written exactly as the query: breaks ties of keys ("AML", "AMML")


@dataclass(frozen=True, slots=True)
class Entry:
    first: int
    last: int
    extra: float


@dataclass(frozen=True, slots=True)
class Field:
    kind: str  # TITLE | NAME | LAY | CODE
    text: str
    keys: tuple[str, ...]
    index: dict[str, tuple[Entry, ...]]
    content: int  # number of words that are not stopwords (for coverage)
    stops: frozenset[int]


def build_field(kind: str, text: str, heads: Container[str]) -> Field | None:
    """Index one name: keys, joins of adjacent words, and parts of compounds."""
    words = fold(text).split()
    if not words:
        return None
    keys = tuple(word_key(w) for w in words)
    extras: list[tuple[str, int, int, float]] = []
    for first, last, key in joins(words):
        extras.append((key, first, last, JOIN_COST))
    for i, w in enumerate(words):
        for part in sorted(compound_parts(w, heads)):
            if part != keys[i]:
                extras.append((part, i, i, PART_COST))
    return make_field(kind, text, keys, extras)


def name_texts(doc: SearchDocument) -> list[tuple[str, str]]:
    """A document's names as (field kind, text): titles, synonyms and aliases, lay terms,
    abbreviations. ORPHA and ICD codes are looked up as codes, not as words."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, text: str) -> None:
        if text and (kind, text) not in seen and (TITLE, text) not in seen:
            seen.add((kind, text))
            out.append((kind, text))

    add(TITLE, doc.title_nl)
    add(TITLE, doc.title_en)
    for n in (*doc.names_nl, *doc.names_en):
        add(NAME, n)
    for t in (*doc.lay_nl, *doc.lay_en):
        add(LAY, t)
    for c in doc.codes:
        if not c.upper().startswith(("ORPHA:", "ICD")):
            add(CODE, c)  # abbreviations such as DSG, NWHHT
    return out


def compound_heads(docs: Iterable[SearchDocument]) -> set[str]:
    """Keys of words that occur on their own in names: compounds are split on these."""
    heads: set[str] = set()
    for d in docs:
        for _kind, text in name_texts(d):
            heads.update(word_key(w) for w in fold(text).split() if len(w) >= 4)
    return heads


def name_fields(doc: SearchDocument, heads: Container[str]) -> list[Field]:
    fields: list[Field] = []
    for kind, text in name_texts(doc):
        f = build_field(kind, text, heads)
        if f is not None:
            fields.append(f)
    return fields


def make_field(
    kind: str, text: str, keys: Sequence[str], extras: Sequence[Sequence[object]]
) -> Field:
    index: dict[str, list[Entry]] = {}
    for i, k in enumerate(keys):
        index.setdefault(k, []).append(Entry(i, i, 0.0))
    for key, first, last, extra in extras:
        entry = Entry(int(str(first)), int(str(last)), float(str(extra)))
        index.setdefault(str(key), []).append(entry)
    words = fold(text).split()
    # A word that denies the next ("Familiair niet-medullair schildkliercarcinoom") is
    # no stop word here: a query without it does not cover the name.
    stops = frozenset(
        i for i, w in enumerate(words) if w in STOPWORDS and w not in NEGATING_MODIFIERS
    )
    content = max(1, len(keys) - len(stops))
    return Field(kind, text, tuple(keys), {k: tuple(v) for k, v in index.items()}, content, stops)


def field_extras(f: Field) -> list[list[object]]:
    """The non-trivial index entries, for storing a field compactly."""
    out: list[list[object]] = []
    for key, entries in f.index.items():
        for e in entries:
            if e.extra or e.first != e.last or f.keys[e.first] != key:
                out.append([key, e.first, e.last, e.extra])
    return out


@dataclass(frozen=True, slots=True)
class DocIndex:
    """A document's fields, inverted: key -> (field number, best entry) per field."""

    fields: tuple[Field, ...]
    keys: dict[str, tuple[tuple[int, Entry], ...]]
    sorted_keys: tuple[str, ...]


def doc_index(fields: Sequence[Field]) -> DocIndex:
    keys: dict[str, list[tuple[int, Entry]]] = {}
    for fi, f in enumerate(fields):
        for key, entries in f.index.items():
            best = min(entries, key=lambda e: e.extra)
            keys.setdefault(key, []).append((fi, best))
    return DocIndex(tuple(fields), {k: tuple(v) for k, v in keys.items()}, tuple(sorted(keys)))


@dataclass(frozen=True, slots=True)
class TermPlan:
    """What the ranking needs of one query word.

    ``weight`` is the word's rarity (1 for a word in few names, down to
    :data:`MIN_WEIGHT` for a word in hundreds, such as "kanker" or "tumor"), so a rare
    disease word counts for more than a common one.
    """

    alternatives: tuple[Alternative, ...]
    optional: bool
    weight: float = 1.0
    typo_only: bool = False  # only typo alternatives can match: any match is a typo
    # A part of the body ("nek", "neck", "dij"): it matches a name's word only when that
    # is a part of the body too, not another word with the same key ("nek" is the key of
    # NEC, neuroendocrine carcinoma; "dij" that of "die").
    body_site: bool = False


RARE_DF = 8  # a word in this many names or fewer counts fully
MIN_WEIGHT = 0.35


def rarity(df: int) -> float:
    """The weight of a word found in ``df`` names: 1.0 up to 8, 0.7 at 32, 0.4 at 128."""
    if df <= RARE_DF:
        return 1.0
    return max(MIN_WEIGHT, 1.0 - 0.15 * math.log2(df / RARE_DF))


@dataclass(frozen=True, slots=True)
class SpanPlan:
    first: int
    last: int
    alternative: Alternative


def _key_hits(doc: DocIndex, key: str, prefix: bool) -> dict[int, Entry]:
    """Per field, the best entry for ``key`` (or, as a prefix, a word it starts)."""
    found = doc.keys.get(key)
    if found is not None:
        out = {}
        for fi, e in found:
            out[fi] = e
        return out
    if not prefix or len(key) < 2:
        return {}
    out = {}
    i = bisect.bisect_left(doc.sorted_keys, key)
    for k in doc.sorted_keys[i : i + MAX_PREFIX_KEYS]:
        if not k.startswith(key):
            break
        for fi, e in doc.keys[k]:
            if fi not in out or e.extra < out[fi].extra:
                out[fi] = e
    return out


# Keys of the parts of the body, for :func:`in_another_site`, and the two words a name
# may write one of them as ("gall bladder": the key of "gall" before that of "bladder").
BODY_SITE_KEYS = frozenset(word_key(w) for w in BODY_SITES)
# Every part of the body whose word ends in another's: (the longer, the shorter).
_SITE_IN_SITE = tuple(
    (site, tail)
    for site in BODY_SITES
    for tail in BODY_SITES
    if len(tail) >= 4 and len(site) - len(tail) >= 3 and site.endswith(tail)
)
SITE_WRITTEN_APART = frozenset(
    (word_key(site[: -len(tail)]), word_key(tail))
    for site, tail in _SITE_IN_SITE
    if site[: -len(tail)] not in STOPWORDS
)


_SITES_ENDING_IN: dict[str, tuple[str, ...]] = {}
for _site, _tail in _SITE_IN_SITE:
    _SITES_ENDING_IN[_tail] = (*_SITES_ENDING_IN.get(_tail, ()), _site)


def asks_for_cancer(word: str) -> bool:
    """Whether a query word asks for a cancer: "kanker", "malignant", or a compound that
    ends in one ("tandvleeskanker", "wekedelensarcoom")."""
    return word in MALIGNANT_WORDS or word.endswith(MALIGNANT_ENDINGS)


BODY_SITE_WORDS = tuple(sorted(BODY_SITES, key=len, reverse=True))


def body_sites_in(word: str) -> list[str]:
    """The organs and body parts a folded word names, whole or as a compound part."""
    found: list[str] = []
    for site in BODY_SITE_WORDS:
        if word == site or (
            len(word) - len(site) >= 3 and (word.startswith(site) or word.endswith(site))
        ):
            found.append(site)
    return found


@functools.lru_cache(maxsize=4096)
def _compound_with_site(word: str) -> bool:
    """Whether a word is a compound with a part of the body ("schildklierkanker"), not
    only a tissue ("huidkanker" says what grows, not where)."""
    return word not in BODY_SITES and any(s not in TISSUE_SITES for s in body_sites_in(word))


def doc_audiences(doc: SearchDocument, fields: Sequence[Field]) -> list[str]:
    """Who a document is the place for (both engines, when the index is built): the
    children's cancer centre; what its names say is for a pregnancy or for young adults."""
    out = []
    if doc.kind == "institution" and "childrens_cancer_centre" in doc.facets.get(
        "institution_kind", ()
    ):
        out.append(CHILDREN)
    names = {k for f in fields if f.kind in (TITLE, NAME) for k in f.keys}
    if doc.kind != "condition" and PREGNANCY_KEYS & names:
        out.append(PREGNANCY)
    if doc.kind != "condition" and YOUNG_ADULT_KEYS & names:
        out.append(YOUNG_ADULTS)
    return out


def holds_site(text: str, site: str) -> bool:
    """Whether a name's text, folded and without spaces, holds the part of the body
    ``site`` itself, not only at the end of a longer one ("blaas" in "galblaaskanker")."""
    longer = _SITES_ENDING_IN.get(site, ())
    at = text.find(site)
    while at >= 0:
        end = at + len(site)
        if not any(end >= len(s) and text.startswith(s, end - len(s)) for s in longer):
            return True
        at = text.find(site, at + 1)
    return False


@functools.cache
def starts_with_a_site(key: str) -> bool:
    """Whether a key is, or begins with, a part of the body ("blas", "blaskanker")."""
    return any(key.startswith(site) for site in BODY_SITE_KEYS)


_SITE_TAILS: dict[str, tuple[str, ...]] = {}
for _head, _tail in SITE_WRITTEN_APART:
    _SITE_TAILS[_head] = (*_SITE_TAILS.get(_head, ()), _tail)
# The keys of the longer sites a site's key ends: the spelling rules fold a word's
# middle ("baarmoederhals" has the key "barmuderal", "hals" is "hals"), so the site is
# found by the longer site's own key at the start of the name's word.
_LONGER_SITES: dict[str, tuple[str, ...]] = {}
for _site, _tail in _SITE_IN_SITE:
    _LONGER_SITES[word_key(_tail)] = (*_LONGER_SITES.get(word_key(_tail), ()), word_key(_site))


def in_another_site(f: Field, e: Entry, key: str) -> bool:
    """Whether ``e`` is the part of the body ``key`` inside a name's word for another one:
    "blaas" (bladder) in "galblaas" or "gall bladder" (gallbladder), "nier" in "bijnier",
    "schildklier" in "bijschildklier", "hals" (neck) in "baarmoederhals" (cervix)."""
    i = e.first
    if i != e.last or e.extra < PART_COST:  # words joined ("bladder cancer"), or a word
        return i > 0 and (f.keys[i - 1], f.keys[i]) in SITE_WRITTEN_APART
    whole = f.keys[i]
    if whole in BODY_SITE_KEYS:
        return not whole.startswith(key)
    # "blaas" in "galblaastumor", "blaaskanker" in "galblaaskanker": the part follows the
    # first word of another site.
    at = whole.find(key)
    if at > 0:
        tails = _SITE_TAILS.get(whole[:at], ())
        if any(whole.startswith(t, at) for t in tails):
            return True
    return any(whole.startswith(longer) for longer in _LONGER_SITES.get(key, ()))


def _needed_keys(alt: Alternative) -> frozenset[str]:
    """The keys a document must hold for :func:`_alt_hits` to find ``alt`` in it."""
    return frozenset(alt.keys[:-1] if alt.prefix else alt.keys)


def _alt_hits(doc: DocIndex, alt: Alternative) -> dict[int, tuple[float, list[Entry]]]:
    """Per field where every key of ``alt`` occurs: its cost and the entries."""
    keys = alt.keys
    if len(keys) == 1:
        # The common case, one word (or words typed apart, joined): the document's own
        # entries, but not a part of the body inside another one's name.
        key = keys[0]
        found = doc.keys.get(key)
        if found is not None:
            cost = alt.cost
            guard = starts_with_a_site(key)
            fields = doc.fields
            return {
                fi: (cost + e.extra, [e])
                for fi, e in found
                if not ((guard or e.first != e.last) and in_another_site(fields[fi], e, key))
            }
        if not alt.prefix:
            return {}
    result: dict[int, tuple[float, list[Entry]]] | None = None
    last = len(alt.keys) - 1
    for n, key in enumerate(alt.keys):
        hits = _key_hits(doc, key, alt.prefix and n == last)
        if starts_with_a_site(key):
            hits = {fi: e for fi, e in hits.items() if not in_another_site(doc.fields[fi], e, key)}
        if not hits:
            return {}
        if result is None:
            result = {fi: (alt.cost + e.extra, [e]) for fi, e in hits.items()}
        else:
            result = {
                fi: (cost + hits[fi].extra, [*entries, hits[fi]])
                for fi, (cost, entries) in result.items()
                if fi in hits
            }
            if not result:
                return {}
    return result or {}


class _FieldAcc:
    __slots__ = ("costs", "covered", "positions", "reasons", "typo_terms")

    def __init__(self) -> None:
        self.costs: dict[int, float] = {}
        self.reasons: set[str] = set()
        self.covered: dict[int, float] = {}
        self.positions: dict[int, int] = {}
        self.typo_terms: set[int] = set()  # terms whose best match here is a typo

    def record(self, term: int, cost: float, entries: list[Entry], reason: str) -> None:
        """The match of query word ``term`` by ``entries`` (one or more), if the cheapest yet."""
        if self.record_one(term, cost, entries[0], reason):
            for e in entries[1:]:
                self._cover(e)

    def record_one(self, term: int, cost: float, e: Entry, reason: str) -> bool:
        """:meth:`record` of one entry (most matches), without a list; False when a match
        of ``term`` as cheap was recorded before."""
        costs = self.costs
        prev = costs.get(term)
        if prev is not None and prev <= cost:
            return False
        costs[term] = cost
        # A match of part of the word ("blastoom" for "flioblastoom") ranks like a typo.
        if reason == "typo" or reason == "partial":
            self.typo_terms.add(term)
        else:
            self.typo_terms.discard(term)
        if reason == "partial":
            self.reasons.add("compound")
        elif reason != "exact" and reason != "prefix":
            self.reasons.add(reason)
        self.positions[term] = e.first
        self._cover(e)
        return True

    def _cover(self, e: Entry) -> None:
        covered = self.covered
        first, last = e.first, e.last
        if e.extra >= PART_COST:
            weight = 0.5
            self.reasons.add("compound")
        else:
            weight = 1.0
            if first != last:
                self.reasons.add("compound")
        if first == last:
            if covered.get(first, 0.0) < weight:
                covered[first] = weight
            return
        for i in range(first, last + 1):
            if covered.get(i, 0.0) < weight:
                covered[i] = weight


@dataclass(slots=True)
class FieldMatch:
    field: Field
    costs: dict[int, float]  # term index -> cost of its best match here
    reasons: set[str]
    score: float
    coverage: float  # share of the field's words the query covered


@dataclass(slots=True)
class DocScore:
    score: float
    best: FieldMatch | None
    matched_fields: list[FieldMatch]
    reasons: list[str]
    all_required: bool
    typos: bool
    exact: bool = False  # one name is covered entirely, and holds every required word
    # The first two ranking rules, as Meilisearch orders them: how many required words
    # the document matches, then how many of those needed a typo (fewer first). The score
    # only orders documents that tie here. ``words`` counts halves: a word in a name 2,
    # a word found only in the definition 1 (a definition with every word is a full
    # match, but below names that hold more than half of the words).
    words: int = 0
    typo_count: int = 0
    # Parts of the body the query names and the names do not hold: a condition without
    # them is about another part (``W_NO_SITE``, applied to conditions only: a panel or
    # a hospital names no part of the body).
    missing_sites: int = 0
    # The query asks for a cancer ("kanker", "tandvleeskanker", "malignant"): a benign
    # condition that matches through "tumor" is less likely what is meant (``W_BENIGN``).
    cancer_asked: bool = False


# Alternatives that are the word as typed (not a translation, typo or compound).
_AS_TYPED = frozenset({"exact", "prefix"})


def _names_a_body_site(f: Field, e: Entry, typed: str) -> bool:
    """Whether the name's word at ``e`` is a part of the body, as the query's ``typed``
    one is: the word itself or a longer form of it ("nieren" for "nier", "kidneys" for
    "kidney"; from five letters the last may change: "hersenvliezen" for "hersenvlies").
    Joined words and parts of compounds are kept as they are."""
    if e.first != e.last or e.extra:
        return True
    words = fold(f.text).split()
    word = words[e.first] if e.first < len(words) else ""
    return word in BODY_SITES or word.startswith(typed if len(typed) < 5 else typed[:-1])


def score_doc(
    doc: DocIndex,
    terms: Sequence[TermPlan],
    spans: Sequence[SpanPlan],
    *,
    matched_elsewhere: bool,
) -> DocScore:
    """Score a document from its names. ``matched_elsewhere``: FTS found every word."""
    return QueryScorer(terms, spans).score(doc, matched_elsewhere=matched_elsewhere)


class QueryScorer:
    """:func:`score_doc` for many documents and one query: what depends only on the
    query is worked out once (a search scores about 12 documents, a sentence about 23)."""

    __slots__ = (
        "cancer_asked",
        "class_words",
        "n_required",
        "optional",
        "sites",
        "spans",
        "steps",
        "terms",
        "typed",
        "typo_only",
        "weights",
    )

    def __init__(self, terms: Sequence[TermPlan], spans: Sequence[SpanPlan]) -> None:
        self.terms = terms
        # One step per alternative, in the query's order: (word, its one key or None,
        # cost, reason, the alternative when it needs more than a lookup of that key,
        # the word as typed when a name's word must be a part of the body to match).
        # A key of a part of the body never matches it inside another one ("galblaas").
        # Last, the keys a document must hold for the alternative to match at all (all of
        # them, but a last key that may be a prefix): most documents lack one, and
        # looking first costs far less than working the alternative out.
        Step = tuple[
            int, str | None, float, str, Alternative | None, str | None, bool, frozenset[str]
        ]
        self.steps: list[Step] = []
        for ti, term in enumerate(terms):
            for alt in term.alternatives:
                if len(alt.keys) == 1:
                    key = alt.keys[0]
                    slow = alt if alt.prefix else None
                    # A part of the body alone, from a compound ("lip" of "lippentumor"),
                    # is the word too, not an abbreviation with its key ("LyP").
                    as_typed = term.body_site and alt.reason in _AS_TYPED
                    alone = alt.reason == "partial" and alt.surface in BODY_SITES
                    site = alt.surface if as_typed or alone else None
                    guard = starts_with_a_site(key)
                    self.steps.append(
                        (ti, key, alt.cost, alt.reason, slow, site, guard, frozenset())
                    )
                else:
                    needed = _needed_keys(alt)
                    self.steps.append((ti, None, alt.cost, alt.reason, alt, None, False, needed))
        self.spans = [(s.first, s.last, s.alternative, _needed_keys(s.alternative)) for s in spans]
        self.optional = [t.optional for t in terms]
        self.weights = [t.weight for t in terms]
        self.n_required = self.optional.count(False)
        # The query's words as typed (folded): a name that is exactly these beats one that
        # only has the same keys ("AML" and "AMML", "CLL" and "cHL" fold to one key).
        typed_all = [
            next((a.surface for a in t.alternatives if a.reason == "exact"), "") for t in terms
        ]
        typed = [w for w, t in zip(typed_all, terms, strict=True) if not t.optional]
        self.typed = " ".join(typed)
        self.cancer_asked = any(asks_for_cancer(w) for w in typed_all)
        # Required words that name a part of the body: a name without it is about
        # another part ("cancer in the ear canal" found the anal canal's carcinoma first).
        # A gland is no place of its own ("lacrimal gland": the lacrimal says where).
        # Only when no other word names the disease: "paraganglioma neck" is about the
        # paraganglioma, whose names hold no neck; nor another part of the body, in a
        # compound: "een knobbeltje in mijn hals ... schildklierkanker" is about the
        # thyroid (in the neck), whose names hold no "hals".
        self.sites = (
            []
            if any(names_a_disease(w) or _compound_with_site(w) for w in typed if w)
            else [
                ti
                for ti, t in enumerate(terms)
                if t.body_site
                and not t.optional
                and not any(a.surface in GENERIC_SITES for a in t.alternatives)
            ]
        )
        # Required words only typos can match: in the definition, they count as typos.
        self.typo_only = [ti for ti, t in enumerate(terms) if t.typo_only and not t.optional]
        # Required words for the class itself ("kanker", "tumour"): a name without one
        # still says it in its own words, so a name that lacks it counts the word half,
        # like a word found in the definition ("kanker van het hartzakje" found pleural
        # mesothelioma, with "kanker" in a lay term and "hartzakje" in its definition,
        # above the pericardial mesothelioma, whose name holds "hartzakje").
        self.class_words = [
            ti for ti, w in enumerate(typed_all) if w in CLASS_WORDS and not terms[ti].optional
        ]

    def score(self, doc: DocIndex, *, matched_elsewhere: bool) -> DocScore:
        accs: dict[int, _FieldAcc] = {}
        doc_keys = doc.keys
        fields = doc.fields
        held = doc_keys.keys()
        for ti, key, cost, reason, slow, site, guard, needed in self.steps:
            if needed and not held >= needed:
                continue
            if key is not None:
                found = doc_keys.get(key)
                if found is not None:
                    for fi, e in found:
                        if site is not None and not _names_a_body_site(fields[fi], e, site):
                            continue
                        if guard and in_another_site(fields[fi], e, key):
                            continue
                        acc = accs.get(fi)
                        if acc is None:
                            acc = accs[fi] = _FieldAcc()
                        acc.record_one(ti, cost + e.extra, e, reason)
                    continue
                if slow is None:
                    continue
            assert slow is not None  # a key of its own or an alternative to work out
            for fi, (c, entries) in _alt_hits(doc, slow).items():
                acc = accs.get(fi)
                if acc is None:
                    acc = accs[fi] = _FieldAcc()
                acc.record(ti, c, entries, reason)
        for first, last, alternative, needed in self.spans:
            if needed and not held >= needed:
                continue
            width = last - first + 1
            for fi, (c, entries) in _alt_hits(doc, alternative).items():
                acc = accs.get(fi)
                if acc is None:
                    acc = accs[fi] = _FieldAcc()
                for ti in range(first, last + 1):
                    acc.record(ti, c / width, entries, alternative.reason)
        n_required = self.n_required
        optional = self.optional
        if not accs:
            body_terms = n_required if matched_elsewhere else 0
            return DocScore(
                W_BODY * body_terms,
                None,
                [],
                ["definition"],
                matched_elsewhere,
                False,
                words=body_terms,  # halves: every word in the definition only
                typo_count=len(self.typo_only) if matched_elsewhere else 0,
                cancer_asked=self.cancer_asked,
            )
        matches: list[FieldMatch] = []
        union: dict[int, float] = {}
        typo_in: dict[int, bool] = {}
        for fi, acc in accs.items():
            f = fields[fi]
            covered = 0.0
            stops = f.stops
            for i, w in acc.covered.items():
                if i not in stops:
                    covered += w
            coverage = min(1.0, covered / f.content)
            s = self._field_score(f, acc.costs, acc.positions, coverage)
            matches.append(FieldMatch(f, acc.costs, acc.reasons, s, coverage))
            for ti, c in acc.costs.items():
                if ti not in union or c < union[ti]:
                    union[ti] = c
                    typo_in[ti] = ti in acc.typo_terms
        matches.sort(key=lambda m: -m.score)
        best = matches[0]
        score = best.score
        best_costs = best.costs
        for ti, cost in union.items():
            if ti not in best_costs:
                score += (
                    W_OTHER_FIELD * self.weights[ti] if not optional[ti] else 10.0
                ) - W_COST * cost
        matched_required = sum(1 for ti in union if not optional[ti])
        missing_sites = sum(1 for ti in self.sites if ti not in union)
        missing = n_required - matched_required
        typo_count = sum(1 for ti, typo in typo_in.items() if typo and not optional[ti])
        if matched_elsewhere:
            # Words found only in the definition: typos when nothing but a typo could match.
            typo_count += sum(1 for ti in self.typo_only if ti not in union)
        reasons = [REASONS[best.field.kind], *sorted(best.reasons - {"typo"})]
        if missing and matched_elsewhere:
            score += W_BODY * missing
            reasons.append("definition")
        typos = "typo" in best.reasons
        if typos:
            reasons.append("typo")
        in_best = sum(1 for ti in best_costs if not optional[ti])
        exact = best.coverage >= 0.999 and in_best == n_required
        if exact and fold(best.field.text) == self.typed:
            score += W_AS_TYPED
        words = 2 * matched_required + (
            missing if matched_elsewhere else sum(1 for ti in self.class_words if ti not in union)
        )
        return DocScore(
            score,
            best,
            matches,
            reasons,
            not missing or matched_elsewhere,
            typos,
            exact,
            words=words,
            typo_count=typo_count,
            missing_sites=missing_sites,
            cancer_asked=self.cancer_asked,
        )

    def _field_score(
        self, f: Field, costs: dict[int, float], positions: dict[int, int], coverage: float
    ) -> float:
        optional, weights = self.optional, self.weights
        required_hits = 0
        weighted = 0.0
        total_cost = 0.0
        for ti, c in costs.items():
            total_cost += c
            if not optional[ti]:
                required_hits += 1
                weighted += weights[ti]
        optional_hits = len(costs) - required_hits
        s = W_TERM * weighted + 10.0 * optional_hits - W_COST * total_cost
        s += FIELD_WEIGHT[f.kind] + W_COVER * coverage
        if coverage >= 0.999 and required_hits == self.n_required:
            s += W_EXACT
        if len(positions) > 1:
            order = [positions[ti] for ti in sorted(positions)]
            if order == sorted(order):
                s += W_ORDER
        return s


H = TypeVar("H")
PANEL_WINDOW = 10  # how far down a panel is looked for, when the query asks for one


def panel_first(
    hits: list[H],
    kind: Callable[[H], str],
    words: Callable[[H], int],
    member: Callable[[H], bool] = lambda _h: False,
) -> list[H]:
    """A query that asks for a panel ("expertpanel mesothelioom", "mdo bottumoren"): the
    first panel that matches as many of the words as the best hit comes first (both
    engines; ``words`` is the first ranking rule, words matched). The members a group
    brought along (``member``) do not count towards the window: "expert panel bone
    tumours" found the rare bone tumours' group and twenty of its members, and the bone
    tumour committee twenty-first."""
    if not hits:
        return hits
    best = words(hits[0])
    seen = 0
    for i, hit in enumerate(hits):
        if words(hit) < best or seen >= PANEL_WINDOW:
            break
        if kind(hit) == "panel":
            return [hit, *hits[:i], *hits[i + 1 :]] if i else hits
        if not member(hit):
            seen += 1
    return hits
