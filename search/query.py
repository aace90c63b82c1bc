"""Query understanding: codes, locations, words and their variants.

:func:`understand` turns what a user typed into an engine-neutral
:class:`Understanding`: ORPHAcodes and ICD-10 codes, a location (postcode or
place), and the remaining words with their alternatives (spelling keys, Dutch
<-> English translations, compounds written joined). Engines add what needs
their index: typo corrections and compound splits against their vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from directory.geo import GazetteerView
from search.engine import Location
from search.geo import find_in_query, postcode_location
from search.lexicon import LONGEST_PHRASE, STOPWORDS, translations
from search.text import clean_query, tokens
from search.variants import word_key

_ORPHA = re.compile(
    r"\b(?:orpha(?:code|net)?|orphanumber)[\s-]*(?:nr\.?|nummer|number|code)?\s*[:#]?\s*"
    r"(\d{1,7})\b",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\s*(\d{1,7})\s*$")
_ICD_PREFIX = re.compile(r"\bicd\s*-?\s*10(?:\s*(?:code|cm))?\s*[:#]?\s*", re.IGNORECASE)
# ICD-10 codes as people type them: C41.9, c41,9, C49 (no U codes: reserved).
_ICD10 = re.compile(
    r"(?<![0-9A-Za-z])([A-TV-Za-tv-z][0-9]{2})(?:[.,]([0-9A-Za-z]{1,2}))?(?![0-9A-Za-z])"
)

# Costs of alternatives: the lower, the closer to what was typed.
COST_EXACT = 0.0
COST_COMPOUND = 0.05
COST_TRANSLATION = 0.1
COST_PREFIX = 0.3
MAX_TERMS = 12  # more words than this add nothing but work


@dataclass(frozen=True)
class Alternative:
    """One way to match a word (or several adjacent words): keys that must all match."""

    keys: tuple[str, ...]
    cost: float
    reason: str  # exact | prefix | typo | translation | compound
    prefix: bool = False  # the last key may match the start of a longer word
    surface: str = ""  # how to write it, for "did you mean"


@dataclass(frozen=True)
class Term:
    word: str  # the folded word as typed
    key: str
    alternatives: tuple[Alternative, ...]
    optional: bool = False  # a bare place name: nice to match, not required
    last: bool = False


@dataclass(frozen=True)
class Span:
    """An alternative covering the adjacent terms ``first`` .. ``last``."""

    first: int
    last: int
    alternative: Alternative


@dataclass(frozen=True)
class Understanding:
    text: str  # the cleaned query
    terms: tuple[Term, ...]
    spans: tuple[Span, ...]
    orphacodes: tuple[int, ...]
    icd10: tuple[str, ...]  # normalised: "C41.9", "C49"
    location: Location | None
    # A bare four-digit number is an ORPHAcode first; if no such code exists, the
    # engine may use it as this postcode.
    number_location: Location | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(t.word for t in self.terms)

    @property
    def has_text(self) -> bool:
        return bool(self.terms)


def normalise_icd10(code: str) -> str:
    code = code.upper().replace(",", ".")
    return code.rstrip(".")


def _codes(text: str) -> tuple[list[int], list[str], str]:
    """ORPHAcodes and ICD-10 codes in the text, and the text without them."""
    orpha = [int(m.group(1)) for m in _ORPHA.finditer(text)]
    rest = _ORPHA.sub(" ", text)
    explicit = bool(_ICD_PREFIX.search(rest))
    rest = _ICD_PREFIX.sub(" ", rest)
    icd: list[str] = []

    def take(m: re.Match[str]) -> str:
        letter_digits, sub = m.group(1), m.group(2)
        # "a12" could be a word; an ICD-10 code has a capital, a subcode, or follows "ICD-10".
        if not (explicit or letter_digits[0].isupper() or sub):
            return m.group(0)
        icd.append(normalise_icd10(letter_digits + ("." + sub if sub else "")))
        return " "

    rest = _ICD10.sub(take, rest)
    return orpha, icd, rest


def understand(raw: str, gazetteer: GazetteerView | None = None) -> Understanding:
    """Read a query. Never raises: any text gives an understanding (possibly empty)."""
    text = clean_query(raw)
    bare = _BARE_NUMBER.match(text)
    if bare:
        number = int(bare.group(1))
        location = None
        if gazetteer and len(bare.group(1)) == 4:
            location = postcode_location(gazetteer, bare.group(1), bare.group(1))
        return Understanding(text, (), (), (number,), (), None, number_location=location)
    orpha, icd, rest = _codes(text)
    words = tokens(rest)
    located = find_in_query(rest, words, gazetteer or GazetteerView())
    words = list(located.words)[: MAX_TERMS * 2]
    content = [w for w in words if w not in STOPWORDS]
    if content:
        words = content
    words = words[:MAX_TERMS]
    optional = set(located.place_words)
    terms: list[Term] = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        key = word_key(word)
        alts = [Alternative((key,), COST_EXACT, "exact", surface=word)]
        if last and len(word) >= 2 and not word.isdigit():
            alts.append(Alternative((key,), COST_PREFIX, "prefix", prefix=True, surface=word))
        for other in translations(word):
            other_keys = tuple(word_key(w) for w in other.split())
            if other_keys != (key,):
                alts.append(Alternative(other_keys, COST_TRANSLATION, "translation", surface=other))
        terms.append(
            Term(word, key, tuple(alts), optional=word in optional and len(words) > 1, last=last)
        )
    spans: list[Span] = []
    for i in range(len(words)):
        for n in range(2, max(3, LONGEST_PHRASE) + 1):
            j = i + n - 1
            if j >= len(words):
                break
            part = words[i : j + 1]
            if n <= 3 and not any(w.isdigit() for w in part):
                joined = "".join(part)
                spans.append(
                    Span(
                        i,
                        j,
                        Alternative((word_key(joined),), COST_COMPOUND, "compound", surface=joined),
                    )
                )
            for other in translations(" ".join(part)):
                other_keys = tuple(word_key(w) for w in other.split())
                spans.append(
                    Span(
                        i,
                        j,
                        Alternative(other_keys, COST_TRANSLATION, "translation", surface=other),
                    )
                )
    return Understanding(
        text=text,
        terms=tuple(terms),
        spans=tuple(spans),
        orphacodes=tuple(orpha),
        icd10=tuple(icd),
        location=located.location,
    )
