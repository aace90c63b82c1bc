"""Spelling variants and Dutch compounds, reduced to one comparable form per word.

Both engines see many spellings of one word: Dutch and English medical spelling
(*carcinoom* / *carcinoma*, *lymfoom* / *lymphoma*), British and American
(*tumour* / *tumor*, *oesophageal* / *esophageal*, *leukaemia* / *leukemia*),
phonetic variants people type (*chondrosarkoom*, *rabdomyosarcoom*, *lijmfoom*)
and Dutch compounds written joined, split or hyphenated (*wekedelensarcoom*,
*weke delen sarcoom*, *weke-delen-sarcoom*).

:func:`word_key` maps a folded word to a *key* in which these differences
disappear (c/k, ph/f, th/t, rh/r, ae/e, oe/u, ou/o, y/ij/i, x/ks, double letters,
Dutch and English plural and Latin endings). Documents are indexed by keys and
queries are looked up by keys, so the rules are applied symmetrically and need
not be linguistically perfect, only consistent: a rule that merges two unrelated
words merely makes both findable by either spelling.

Compounds are handled in two directions: adjacent words are also indexed
joined (:func:`joins`), and a long word is split where it ends in a word that
occurs on its own elsewhere in the catalogue (:func:`split_compound`).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from functools import lru_cache

# Applied in this order to a folded word ([0-9a-z] only).
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^oe", "e"),  # oesophagus / esophagus, oedeem / edeem
        (r"^ae", "e"),
        (r"ae", "e"),  # leukaemia / leukemia, haemangioma / hemangioma
        (r"oe", "u"),  # Dutch oe sounds like u
        (r"ou", "o"),  # tumour / tumor
        (r"ph", "f"),  # lymphoma / lymfoom
        (r"rh", "r"),  # rhabdomyosarcoma / rabdomyosarcoom
        (r"th", "t"),  # thymus / tymus
        (r"sch", "sk"),
        (r"ch", "k"),  # chondrosarcoma / kondrosarcoom, cholangio-
        (r"ck", "k"),
        (r"qu", "kw"),
        (r"c", "k"),  # carcinoom / karcinoom, cyste / kyste
        (r"x", "ks"),
        (r"ie", "i"),  # neuro-endocriene / neuroendocrine, leukemie
        (r"ij", "i"),  # lijmfoom / lymfoom
        (r"y", "i"),
        (r"z", "s"),
    )
)
_DOUBLE = re.compile(r"([a-z])\1+")
# Endings, longest first: Latin/English -oma(s) and Dutch -omen become -om, etc.
_ENDINGS: tuple[tuple[str, str, int], ...] = (
    # (ending, replacement, minimum word length for the rule to apply)
    ("omata", "om", 7),
    ("omas", "om", 6),
    ("omen", "om", 6),
    ("oma", "om", 5),
    ("ieen", "i", 6),  # Dutch plural of -ie: anomalieen
    ("ies", "i", 6),
    ("ia", "i", 5),  # leukaemia / leukemie
    ("ie", "i", 5),
    ("aire", "ar", 7),  # Dutch -air(e) / English -ar, -ary: folliculair / follicular,
    ("air", "ar", 6),  # vasculaire / vascular, papillair / papillary
    ("ari", "ar", 6),
    ("iske", "ik", 6),  # Dutch -isch(e) (sch became sk) / English -ic
    ("isk", "ik", 5),
    ("en", "", 6),  # Dutch plural: tumoren / tumor, metastasen
    ("es", "", 6),
    ("s", "", 5),
    ("e", "", 4),  # neuro-endocriene / neuroendocrine
)


_KEEP = ("ss", "us", "is")  # thymus, metastasis: not plurals
# Words the rules would merge with an unrelated word of the catalogue, and a key of their
# own (with a double letter, which the rules never leave, so no other word gets it):
# "keelkanker" (throat) found Merkel and granulosa *cell* cancer, "tumor in mijn oor"
# (ear) every name with "or" in it, "kanker aan mijn bil" (buttock) the *bile* ducts,
# "bult in mijn nek" (neck) neuroendocrine carcinoma (NEC), and "dij" (thigh) had the
# key of "die", a stop word.
OWN_KEYS: dict[str, str] = {
    "keel": "keel",
    "oor": "oor",
    "bil": "bill",
    "nek": "nekk",
    "neck": "nekk",
    "dij": "dijj",
}
# ... and as the first part of a Dutch compound: "keelkanker" is not "cell cancer" (the
# key of those words written together), "nektumor" not "NEC tumor"; "oor" also as the
# last ("tumor oor" written together is not "tumor or").
OWN_PREFIXES = ("keel", "oor", "nek")
OWN_SUFFIXES = ("oor",)


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The comparable key of one folded word (lower case ``[0-9a-z]``).

    >>> word_key("carcinoom") == word_key("carcinoma") == word_key("karcinomen")
    True
    """
    if not word or word.isdigit():
        return word
    own = OWN_KEYS.get(word)
    if own is not None:
        return own
    for prefix in OWN_PREFIXES:
        if word.startswith(prefix) and len(word) >= len(prefix) + MIN_HEAD:
            return OWN_KEYS[prefix] + word_key(word[len(prefix) :])
    for suffix in OWN_SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + MIN_HEAD:
            return word_key(word[: -len(suffix)]) + OWN_KEYS[suffix]
    key = word
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    key = _DOUBLE.sub(r"\1", key)
    for ending, replacement, minimum in _ENDINGS:
        if len(key) >= minimum and key.endswith(ending) and not key.endswith(_KEEP):
            key = key[: -len(ending)] + replacement
            break
    return _DOUBLE.sub(r"\1", key) or word


def keys(words: Iterable[str]) -> list[str]:
    return [word_key(w) for w in words]


def joins(words: Sequence[str], longest: int = 3) -> list[tuple[int, int, str]]:
    """Keys of adjacent folded words written together: (first, last, key).

    ``["weke", "delen", "sarcoom"]`` gives the keys of *wekedelen*,
    *delensarcoom* and *wekedelensarcoom*.
    """
    out: list[tuple[int, int, str]] = []
    for i in range(len(words)):
        for n in range(2, longest + 1):
            j = i + n
            if j > len(words):
                break
            part = words[i:j]
            if any(w.isdigit() for w in part):
                break
            out.append((i, j - 1, word_key("".join(part))))
    return out


MIN_HEAD = 4
MIN_MODIFIER = 2


def split_words(word: str, heads: Container[str]) -> tuple[str, str] | None:
    """Split a folded compound word into its two written parts (modifier, head).

    The head must be a word that occurs on its own (its key is in ``heads``); the
    longest such head wins: ``chondrosarcoom`` -> (``chondro``, ``sarcoom``),
    ``zwezerikkanker`` -> (``zwezerik``, ``kanker``). Splitting the folded word,
    not its key, keeps letters that the key would merge at the seam (*kk*). A
    Dutch linking *s* is dropped when the word without it is known.
    """
    if len(word) < MIN_HEAD + MIN_MODIFIER or word.isdigit():
        return None
    for cut in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):
        head = word_key(word[cut:])
        if len(head) >= MIN_HEAD and head in heads:
            if word_key(word[cut + 1 :]) == head:
                cut += 1  # a doubled letter at the seam belongs to the modifier
            modifier = word[:cut]
            if modifier.endswith("s") and word_key(modifier[:-1]) in heads:
                modifier = modifier[:-1]  # Dutch linking s: ewingssarcoom
            return modifier, word[cut:]
    return None


def split_compound(word: str, heads: Container[str]) -> tuple[str, str] | None:
    """The keys of :func:`split_words`' parts."""
    parts = split_words(word, heads)
    return (word_key(parts[0]), word_key(parts[1])) if parts else None


# First parts that deny the rest of the word ("nonmedullary", "nietkleincellig").
NEGATING_MODIFIERS = frozenset(("non", "niet"))


def compound_parts(word: str, heads: Container[str], depth: int = 2) -> set[str]:
    """Keys of every part a folded compound word can be split into, for indexing.

    Unlike :func:`split_compound` every cut with a known head counts, and the
    modifier is split again: ``blindedarmkanker`` gives *blindedarm*, *kanker*,
    *blind*, *darmkanker* and *darm*, so each of them finds the compound.
    """
    parts: set[str] = set()
    if depth == 0 or len(word) < MIN_HEAD + MIN_MODIFIER or word.isdigit():
        return parts
    cut = MIN_MODIFIER
    while cut <= len(word) - MIN_HEAD:
        head = word_key(word[cut:])
        if word[:cut] in NEGATING_MODIFIERS:
            # "nonmedullary" is what "medullary" is not: its head is no part to find.
            pass
        elif len(head) >= MIN_HEAD and head in heads:
            if word_key(word[cut + 1 :]) == head:
                cut += 1  # a doubled letter at the seam belongs to the modifier
            modifier = word[:cut]
            parts.add(head)
            parts.add(word_key(modifier))
            parts |= compound_parts(modifier, heads, depth - 1)
        cut += 1
    return parts
