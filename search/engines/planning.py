"""Query planning for the embedded engine: each word of an understood query
(:func:`search.query.understand`) gets its alternatives from the index's vocabulary:
completions, compounds split into known parts (each part also translated), typo
corrections that keep the organ a word names, and words no document contains left out.
"""

from __future__ import annotations

import dataclasses
import itertools
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from search.engines.index_file import (
    near_words,
)
from search.engines.index_reader import IndexReader, completes
from search.engines.ranking import (
    BODY_SITE_WORDS,
    SpanPlan,
    TermPlan,
    body_sites_in,
    rarity,
)
from search.lexicon import (
    ABBREVIATIONS,
    BODY_SITES,
    BROADER_SITES,
    GROWTH_WORDS,
    KIND_OF_PLACE_WORDS,
    LEXICON_KEYS,
    LEXICON_WORDS,
    LIMB_TISSUES,
    LIMB_WORDS,
    RELATED,
    STOPWORD_KEYS,
    translations,
)
from search.query import (
    COST_COMPOUND,
    COST_PREFIX,
    COST_RELATED,
    Alternative,
    Understanding,
    names_a_disease,
)
from search.typo import typo_budget
from search.variants import MIN_HEAD, MIN_MODIFIER, split_words, word_key

MIN_DISEASE_HEAD = 6  # "osteoom" alone for "osteoidosteoom"; not "oma" or "cel"
MIN_SPLIT = 8  # a shorter word a name holds whole is not split into parts ("longen")
# Last parts of a compound that say where it is treated or how it is felt, not what it
# is: "sarcoomcentrum" is asked for wherever sarcomas are treated, with or without
# "centrum" in a name; "botpijn" is about the bone.
LOOSE_HEADS = (
    KIND_OF_PLACE_WORDS
    | frozenset(("poli", "polikliniek", "team", "spreekuur", "afdeling", "centre", "clinic"))
    | frozenset(("pijn", "klachten", "klacht", "zwelling"))
)
GROWTH_HEADS = ("kanker", "tumor", "tumoren", "gezwel")
HEAD_ONLY_COST = 1.5  # "bovenbeen" read as "been": below a whole word one typo away
MAX_COMBINATIONS = 16  # alternatives of a compound of known parts (each part translated)


@dataclass(frozen=True)
class Plan:
    terms: list[TermPlan]
    spans: list[SpanPlan]
    corrections: dict[int, str]  # term index -> how to write its correction
    ignored: tuple[str, ...]  # words no document contains, left out


def plan_query(con: sqlite3.Connection, index: IndexReader, u: Understanding) -> Plan:
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
            in_names = known = completes(index, t.key) or known
        # Short words are only completed when they start a known abbreviation.
        if (
            len(t.word) < MIN_HEAD
            and t.last
            and not in_names
            and any(a.startswith(t.key) for a in index.abbreviations)
        ):
            alts.append(Alternative((t.key,), COST_PREFIX, "prefix", prefix=True, surface=t.word))
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
        elif in_names and len(t.word) >= MIN_SPLIT:
            # A compound some name holds whole ("longkanker", a lay name of one lung
            # cancer) still matches its parts, after the whole word: "zeldzame
            # longkanker" is about the rare lung tumours too.
            alts += _known_part_alternatives(index, t.word)[0]
        typos: list[Alternative] = []
        if not known:
            # A word no name, definition or lexicon knows: a real typo. A correction
            # keeps every organ the word names ("borstkankr" never becomes
            # "botkanker") and every known part of a compound ("maagkanker" never
            # becomes "oogkanker"): a typo may only be inside a part.
            part_keys = [word_key(p) for p in parts]
            typos = [
                a
                for a in _typos(con, index, t.word, t.key)
                if all(k in a.keys[0] for k in part_keys)
            ]
            typos += _typos_in_part(con, index, t.word)
        alts += typos
        if typos and not split and t.word not in BODY_SITES:
            surface = index.surface(typos[0].keys[-1], u.language)
            if surface and len(typos[0].keys) == 1:
                corrections[i] = surface
        df = index.vocab.get(t.key, (0, ""))[0]
        typo_only = bool(typos) and not any(
            a.reason != "typo" and not a.prefix and index.matchable(a.keys) for a in alts
        )
        plan = TermPlan(tuple(alts), t.optional, rarity(df), typo_only, t.word in BODY_SITES)
        if not t.optional and not _term_matchable(index, plan):
            ignored.append(t.word)
        terms.append(plan)
    required = [p for p in terms if not p.optional]
    if ignored and len(ignored) == len(required) and u.location is None:
        # Every word to find is unknown ("a tumour called pancoast"): the words that only
        # described or steered it are what is left to search for. (With a place, the
        # hospitals near it are the answer already.)
        terms = [
            dataclasses.replace(p, optional=False)
            if p.optional and not u.terms[i].context and _term_matchable(index, p)
            else p
            for i, p in enumerate(terms)
        ]
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
    return Plan(terms, spans, corrections, tuple(dict.fromkeys(ignored)))


def _term_matchable(index: IndexReader, term: TermPlan) -> bool:
    for a in term.alternatives:
        if a.prefix:
            if completes(index, a.keys[-1]) and index.matchable(a.keys[:-1]):
                return True
        elif index.matchable(a.keys):
            return True
    return False


def _typos(con: sqlite3.Connection, index: IndexReader, word: str, key: str) -> list[Alternative]:
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


def _typos_in_part(con: sqlite3.Connection, index: IndexReader, word: str) -> list[Alternative]:
    """A typo after an organ word: "borstkankr" -> "borst" + "kanker" (or "carcinoom")."""
    for organ in BODY_SITE_WORDS:
        rest = word[len(organ) :]
        if not word.startswith(organ) or len(rest) < MIN_HEAD or index.known(word_key(rest)):
            continue
        organ_options = _part_options(index, organ)
        out: list[Alternative] = []
        for fix in _typos(con, index, rest, word_key(rest)):
            surface = index.vocab.get(fix.keys[0], (0, fix.keys[0]))[1]
            fixes = [(fix.keys, 0.0)] + [
                (keys, cost) for keys, cost, _r in _part_options(index, surface) if keys != fix.keys
            ]
            for (o_keys, o_cost, _r), (f_keys, f_cost) in itertools.product(organ_options, fixes):
                out.append(
                    Alternative(
                        (*o_keys, *f_keys), fix.cost + o_cost + f_cost, "typo", surface=word
                    )
                )
        return out[:MAX_COMBINATIONS]
    return []


def _known_parts(
    index: IndexReader, word: str, depth: int = 3, *, longest_head: bool = True
) -> list[str] | None:
    """A compound split into parts that are all known words ("dunnedarmkanker"): the
    longest known last part first, or (``longest_head=False``) the shortest."""
    if depth == 0 or len(word) < MIN_HEAD + MIN_MODIFIER + 1:
        return None
    heads = index.heads
    # The last part may have three letters when the lexicon knows it ("kaakbot": bot).
    cuts = range(MIN_MODIFIER + 1, len(word) - MIN_HEAD + 2)
    for cut in cuts if longest_head else reversed(cuts):
        head = word[cut:]
        if word_key(head) not in heads or (len(head) < MIN_HEAD and head not in LEXICON_WORDS):
            continue
        modifier = word[:cut]
        for mod in (modifier, modifier[:-1] if modifier.endswith("s") else None):
            if not mod or len(mod) <= MIN_MODIFIER:
                continue
            # A part of three letters must be a word the lexicon knows ("oog", "bot"):
            # the names hold short keys that are no words ("ost" of "oste").
            if word_key(mod) in heads and (len(mod) >= MIN_HEAD or mod in LEXICON_WORDS):
                return [mod, head]
            sub = _known_parts(index, mod, depth - 1, longest_head=longest_head)
            if sub:
                return [*sub, head]
    return None


def _part_options(index: IndexReader, part: str) -> list[tuple[tuple[str, ...], float, str]]:
    """Ways to match one part of a compound: itself, translated, or a related word."""
    options: list[tuple[tuple[str, ...], float, str]] = []
    key = word_key(part)
    if index.matchable((key,)) and key not in STOPWORD_KEYS:
        options.append(((key,), 0.0, "compound"))
    for others, cost in (
        (translations(part), 0.1),
        (ABBREVIATIONS.get(part, ()), 0.1),
        (RELATED.get(part, ()), COST_RELATED),
        (BROADER_SITES.get(part, ()), COST_RELATED),
        # "heupkanker": what grows in a limb is a tumour of its soft tissue or bone.
        (LIMB_TISSUES if part in LIMB_WORDS else (), COST_RELATED),
    ):
        for other in others:
            keys = tuple(word_key(w) for w in other.split())
            if keys != (key,) and index.matchable(keys):
                options.append((keys, cost, "translation"))
    return options


def _known_part_alternatives(index: IndexReader, word: str) -> tuple[list[Alternative], list[str]]:
    """The alternatives of a compound made of known parts, each part also translated, and
    the parts of the split on the longest last part (empty when there is none).

    Split twice, on the longest known last part ("dunne" + "darm" + "kanker") and on the
    shortest ("dikkedarm" + "kanker"), since both may be known words where only one
    reading is meant ("dikke" + "darmkanker" matches nothing)."""
    first = _known_parts(index, word) or []
    splits = [first] if first else []
    shortest = _known_parts(index, word, longest_head=False)
    if shortest and shortest != first:
        splits.append(shortest)
    combos: list[tuple[tuple[tuple[str, ...], float, str], ...]] = []
    for parts in splits:
        choices = [_part_options(index, p) for p in parts]
        if all(choices):
            combos += itertools.product(*choices)
    combos.sort(key=lambda combo: sum(c[1] for c in combo))
    return [
        Alternative(
            tuple(k for keys, _c, _r in combo for k in keys),
            COST_COMPOUND + sum(c for _k, c, _r in combo),
            "compound" if all(r == "compound" for _k, _c, r in combo) else "translation",
            surface=word,
        )
        for combo in combos[:MAX_COMBINATIONS]
    ], first


def _loose_head_alternatives(index: IndexReader, word: str) -> list[Alternative]:
    """ "sarcoomcentrum", "botpijn": a place for, or a complaint of, what the first part
    names, which is what is searched for (:data:`LOOSE_HEADS`)."""
    for head in LOOSE_HEADS:
        first = word[: -len(head)]
        if word.endswith(head) and len(first) >= MIN_MODIFIER + 1:
            return [
                Alternative(keys, COST_RELATED + cost, "compound", surface=first)
                for keys, cost, _r in _part_options(index, first)
            ]
    return []


def _site_alone_alternatives(index: IndexReader, word: str) -> list[Alternative]:
    """ "miltkanker": a growth in a part of the body that no name pairs with a word for a
    growth (the catalogue names the spleen's lymphomas and haemangiomas) finds what the
    part names, ranked like a typo, below every match of the whole word: it found only
    names whose definitions mention the spleen."""
    for head in GROWTH_HEADS:
        first = word[: -len(head)]
        if word.endswith(head) and first in BODY_SITES:
            return [
                Alternative(keys, HEAD_ONLY_COST + cost, "partial", surface=first)
                for keys, cost, _r in _part_options(index, first)
            ]
    return []


def _without_the_site_alternatives(index: IndexReader, parts: list[str]) -> list[Alternative]:
    """ "kaakbotkanker": a part of the body before a compound no name pairs it with finds
    what the rest names ("botkanker"), ranked like a typo, below every match of the whole
    word (no name holds jaw and bone cancer: it found nothing at all)."""
    rest = "".join(parts[1:])
    # Not a growth alone ("heupkanker" is not every cancer, "vetbult" every lump): see
    # :func:`_site_alone_alternatives`.
    growth = rest in GROWTH_HEADS or not GROWTH_WORDS.isdisjoint(translations(rest))
    # Nor a part of the body in a part ("kaakbot", the jaw's bone, is one place).
    if len(parts) < 2 or parts[0] not in BODY_SITES or growth or rest in BODY_SITES:
        return []
    options: list[tuple[tuple[str, ...], float]] = []
    if index.matchable((word_key(rest),)):
        options.append(((word_key(rest),), 0.0))
    if len(parts) > 2:
        options += [(a.keys, a.cost) for a in _known_part_alternatives(index, rest)[0]]
    else:
        options += [(keys, cost) for keys, cost, _r in _part_options(index, rest)]
    return [
        Alternative(keys, HEAD_ONLY_COST + cost, "partial", surface=rest)
        for keys, cost in dict.fromkeys(options)
    ]


def _compound_alternatives(index: IndexReader, word: str) -> tuple[list[Alternative], list[str]]:
    """Alternatives of a word the names do not contain, from the known words it is made of.

    A compound of known parts ("maagkanker", "dunnedarmkanker") matches its parts, each
    also translated ("stomach" + "cancer"); such a word is known and never corrected
    into another. Otherwise, a known last part is matched alone, at a price
    ("bovenbeen": "been"), after the compound with its first part translated
    ("mestcelsarcoom": "mast cell" + "sarcoma"). Also returns the known parts, if the
    word is made of them only.
    """
    known, parts = _known_part_alternatives(index, word)
    known += _loose_head_alternatives(index, word)
    known += _site_alone_alternatives(index, word)
    known += _without_the_site_alternatives(index, parts)
    if known:
        return known, parts
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
    if head in BODY_SITES or (len(head) >= MIN_DISEASE_HEAD and names_a_disease(head)):
        # "bovenbeen", "linkerborst": the part of the body is what the word is about. Only
        # that part matches, so it ranks like a typo, below whole-word matches. So does a
        # kind of tumour after a word no name holds ("osteoidosteoom": an osteoma; it
        # found nothing at all).
        for keys, cost, _reason in _part_options(index, head):
            alts.append(Alternative(keys, HEAD_ONLY_COST + cost, "partial", surface=head))
    return alts, []
