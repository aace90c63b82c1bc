"""Query understanding: codes, locations, words and their variants.

:func:`understand` turns what a user typed into an engine-neutral
:class:`Understanding`: ORPHAcodes and ICD-10 codes, a location (postcode or
place), and the remaining words with their alternatives (spelling keys, Dutch
<-> English translations, compounds written joined). Engines add what needs
their index: typo corrections and compound splits against their vocabulary.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from directory.places.geo import GazetteerView
from search.common_cancers import CommonCancer, common_cancer
from search.engine import Location, Reading
from search.geo import find_in_query, postcode_location
from search.lexicon import (
    ABBREVIATIONS,
    ADULT_AGE,
    ADULT_WORDS,
    AGE_WORDS,
    AMBIGUOUS,
    BODY_SITES,
    BROADER_SITES,
    CHILD_GROWTH,
    CHILD_PREFIX,
    CHILD_TERMS,
    CHILD_WORDS,
    COMMON_BENIGN_WORDS,
    GROWTH_WORDS,
    INSTITUTION_WORDS,
    KIND_OF_PLACE_WORDS,
    KIND_WORDS,
    LIMB_TISSUES,
    LIMB_WORDS,
    LONGEST_PHRASE,
    LUMP_DESCRIPTIONS,
    MELANOMA_WORDS,
    MOLA_WORDS,
    MOLE_WORDS,
    MUCOSA_WORDS,
    MUCOSAL_SITES,
    NAME_MARKERS,
    NEGATABLE,
    NSCLC_PHRASES,
    PANEL_WORDS,
    POSSESSIVES,
    PREGNANCY_WORDS,
    QUESTION_ABBREVIATIONS,
    QUESTION_WORDS_EN,
    QUESTION_WORDS_NL,
    RARE_WORDS,
    RELATED,
    SEX_WORDS,
    SITE_PARTS,
    SIZE_UNITS,
    SKIN_MOLE_WORDS,
    STOPWORDS,
    SYMPTOM_COMPANIONS,
    SYMPTOM_WORDS,
    YOUNG_ADULT_AGES,
    query_language,
    translations,
)
from search.text import clean_query, tokens
from search.variants import word_key

_ORPHA = re.compile(
    r"\b(?:orpha(?:code|net)?|orphanumber)[\s-]*(?:nr\.?|nummer|number|code)?\s*[:#]?\s*"
    r"(\d{1,7})\b",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\s*(\d{1,7})\s*$")
# A disease page on orpha.net, pasted whole: /en/disease/detail/178 (2023 site) or the old
# cgi-bin/OC_Exp.php?lng=EN&Expert=178. Other web addresses are left out of the words.
_ORPHA_URL = re.compile(
    r"(?:https?://)?(?:www\.)?orpha\.net/\S*?(?:/disease/detail/|[?&]expert=)(\d{1,7})\S*",
    re.IGNORECASE,
)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|net|org|com)/\S*", re.IGNORECASE
)
# "ICD-10", and "ICD-O(-3)": ICD-O-3's topography codes (C00.0-C80.9, the site of a
# tumour, as pathology reports give them) are numbered as ICD-10's chapter C, so they
# are read as the ICD-10 code of the same number (docs/search.md, "ICD-10 codes").
_ICD_PREFIX = re.compile(
    r"\bicd\s*-?\s*(?:10|o(?:\s*-?\s*3(?:\.[12])?)?(?![a-z]))"
    r"(?:[\s-]*(?:code|cm|topografie|topography))?\s*[:#]?\s*",
    re.IGNORECASE,
)
# ICD-10 codes as people type them: C41.9, c41,9, C49, C 71.9 (no U codes: reserved),
# and a tumour's code without its dot, as hospital systems print it: C492, d481.
_ICD10 = re.compile(
    r"(?<![0-9A-Za-z])([A-TV-Za-tv-z])( ?)([0-9]{2})"
    r"(?:[.,]([0-9A-Za-z]{1,2})|(?<=[CDcd][0-9]{2})([0-9]))?(?![0-9A-Za-z])"
)

_CAPITALS = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])")

# Costs of alternatives: the lower, the closer to what was typed.
COST_EXACT = 0.0
COST_COMPOUND = 0.05
COST_TRANSLATION = 0.1
COST_PREFIX = 0.3
COST_RELATED = 0.3  # a broader or narrower word: "kanker" for a carcinoma
MIN_PREFIX = 4  # shorter words are only completed when they are known abbreviations
MAX_TERMS = 12  # more words than this add nothing but work
SPOUSES = frozenset({"man", "vrouw"})
CHILDREN = "children"
PREGNANCY = "pregnancy"
YOUNG_ADULTS = "young_adults"


def _growth_before_site(part: Sequence[str]) -> bool:
    """A growth word before a part of the body: words no Dutch compound joins.

    A Dutch compound puts the part first ("halstumor"); "tumor in de hals" written
    together is "tumorhals", whose key is the key of "tumorale" ("Zeldzame tumorale
    aandoening" came first for "zeldzame tumor in de hals").
    """
    return part[-1] in BODY_SITES and any(w in GROWTH_WORDS for w in part[:-1])


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
    context: bool = False  # a word about who it is for ("zoon"): steers, never required


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
    language: str = "nl"  # the language the query is written in (nl or en)
    context: tuple[str, ...] = ()  # words that say who it is for: "zoon", "zwanger", "7 jaar"
    audience: tuple[str, ...] = ()  # children | pregnancy
    ambiguous: tuple[str, ...] = ()  # words with two meanings (both are searched)
    common: CommonCancer | None = None  # a common cancer the query names
    asks_for_panel: bool = False  # "mdo", "expertpanel", "tumorboard"
    # Complaints only ("nachtzweten", "headache and blurred vision"): nothing is searched,
    # and the page says to see a GP (:data:`search.lexicon.SYMPTOM_WORDS`).
    symptoms: tuple[str, ...] = ()
    # Common benign growths the query names ("vleesboom", "lipoma"): the page says they
    # are no rare cancer (:data:`search.lexicon.COMMON_BENIGN_WORDS`).
    common_benign: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(t.word for t in self.terms if not t.context)

    @property
    def required(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.optional)

    @property
    def has_text(self) -> bool:
        return bool(self.terms)


def normalise_icd10(code: str) -> str:
    code = code.upper().replace(",", ".")
    return code.rstrip(".")


def _codes(text: str) -> tuple[list[int], list[str], str]:
    """ORPHAcodes and ICD-10 codes in the text, and the text without them."""
    orpha = [int(m.group(1)) for m in _ORPHA_URL.finditer(text)]
    text = _URL.sub(" ", _ORPHA_URL.sub(" ", text))
    orpha += [int(m.group(1)) for m in _ORPHA.finditer(text)]
    rest = _ORPHA.sub(" ", text)
    explicit = bool(_ICD_PREFIX.search(rest))
    rest = _ICD_PREFIX.sub(" ", rest)
    icd: list[str] = []

    def take(m: re.Match[str]) -> str:
        letter, space, digits, dotted, undotted = m.groups()
        sub = dotted or undotted
        # "a12" could be a word; an ICD-10 code has a capital, a subcode, or follows "ICD-10".
        # Written apart ("C 71.9", as some records print it), it needs a subcode or "ICD-10":
        # "groep C 12" is no code.
        if not (explicit or sub or (letter.isupper() and not space)):
            return m.group(0)
        icd.append(normalise_icd10(letter + digits + ("." + sub if sub else "")))
        return " "

    rest = _ICD10.sub(take, rest)
    return orpha, icd, rest


_SIZE_TOKEN = re.compile(r"^[0-9]{1,3}(?:mm|cm)$")
_AGE_TOKEN = re.compile(r"^([0-9]{1,2})(?:yo|jr|j|y|yrs|jaar)$")


def _ages(words: list[str]) -> tuple[list[str], list[str], bool]:
    """Take ages out of the words ("van 4", "4 jaar", "aged 3"); True when one is a child's.

    A small number next to an age word, or after "van"/"is"/"ben"/"aged", is an age, not
    something to search for.
    """
    kept: list[str] = []
    ages: list[str] = []
    child = False
    for i, w in enumerate(words):
        if _SIZE_TOKEN.match(w) or (w in SIZE_UNITS and i and words[i - 1].isdigit()):
            continue  # "6cm", "4 cm": a size
        written_with = _AGE_TOKEN.match(w)  # "62yo", "45jr", "3j"
        if written_with:
            ages.append(written_with.group(1))
            child = child or int(written_with.group(1)) < ADULT_AGE
            continue
        if w.isdigit() and len(w) <= 2:
            before = words[i - 1] if i else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            if after in SIZE_UNITS:
                continue  # "GIST maag 6 cm": a size, not a word (it found MEN type 4)
            # "vrouw 38", "54 male": next to the patient's sex, a number is an age
            if (
                after in AGE_WORDS
                or before in {"van", "is", "ben", "am", "aged", "age"}
                or before in SEX_WORDS
                or after in SEX_WORDS
            ):
                ages.append(w)
                child = child or int(w) < ADULT_AGE
                continue
        kept.append(w)
    return kept, ages, child


def _alternatives(word: str, last: bool) -> list[Alternative]:
    key = word_key(word)
    alts = [Alternative((key,), COST_EXACT, "exact", surface=word)]
    for negation, other_negation in (("non", "niet"), ("niet", "non")):
        # "niethodgkin": Dutch names write "non-Hodgkin" as well as "niet-functionerend"
        if word.startswith(negation) and word[len(negation) :].startswith(NEGATABLE):
            other = other_negation + word[len(negation) :]
            alts.append(
                Alternative((word_key(other),), COST_TRANSLATION, "translation", surface=other)
            )
    # A part of the body is a whole word, not the start of one ("cheek" found the gene
    # CHEK2, a lay term of hereditary breast cancer).
    if last and len(word) >= MIN_PREFIX and not word.isdigit() and word not in BODY_SITES:
        alts.append(Alternative((key,), COST_PREFIX, "prefix", prefix=True, surface=word))
    for other in (*translations(word), *ABBREVIATIONS.get(word, ())):
        other_keys = tuple(word_key(w) for w in other.split())
        if other_keys != (key,):
            alts.append(Alternative(other_keys, COST_TRANSLATION, "translation", surface=other))
    for other in BROADER_SITES.get(word, ()):
        other_keys = tuple(word_key(w) for w in other.split())
        alts.append(Alternative(other_keys, COST_RELATED, "translation", surface=other))
    return alts


# What a limb word also matches when nothing else says what grows there.
_LIMB_TISSUE_ALTERNATIVES = tuple(
    Alternative(tuple(word_key(w) for w in t.split()), COST_RELATED, "translation", surface=t)
    for t in LIMB_TISSUES
)


# Not "maligne" or "malignant" for a whole word: the panels' descriptions use them, and
# "kanker in zijn buikvlies door asbest" found the mesothelioma panel before the disease.
_RELATED_ALTERNATIVES = {
    word: [
        Alternative((word_key(w),), COST_RELATED, "translation", surface=w)
        for w in related
        if w not in ("maligne", "malignant")
    ]
    for word, related in RELATED.items()
}
_MUCOSA_ALTERNATIVES = tuple(
    Alternative((word_key(w),), COST_RELATED, "translation", surface=w) for w in MUCOSA_WORDS
)
# "vulvamelanoom", "anusmelanoom": a mucosa's melanoma in one word.
_MUCOSAL_MELANOMA_ALTERNATIVES = tuple(
    Alternative(tuple(word_key(w) for w in n.split()), COST_RELATED, "translation", surface=n)
    for n in ("mucosaal melanoom", "mucosal melanoma")
)
_SKIN_MOLE_ALTERNATIVES = tuple(
    Alternative((word_key(w),), COST_TRANSLATION, "translation", surface=w) for w in SKIN_MOLE_WORDS
)


def _in_capitals(text: str) -> frozenset[str]:
    """Words typed in capitals in a text that is not all capitals: abbreviations, never
    question words ("NET pancreas": a neuroendocrine tumour, not "just")."""
    if not any(c.islower() for c in text):
        return frozenset()
    return frozenset(w.lower() for w in _CAPITALS.findall(text))


def _described(words: list[str], drop: frozenset[str]) -> frozenset[str]:
    """The words before "called" ("genaamd", "heet") when a word after it names a disease:
    they only describe it. "my son has a brain tumour called medulloblastoma" found the
    rare nervous system tumours first, which match "brain" and "tumour". (Not "...,
    merkelcel heet het geloof ik": nothing after the marker says what.)"""
    marker = next((i for i, w in enumerate(words) if w in NAME_MARKERS), None)
    if marker is None:
        return frozenset()
    after = [w for w in words[marker + 1 :] if w not in drop and not w.isdigit()]
    if not any(names_a_disease(w) for w in after):
        return frozenset()
    return frozenset(words[:marker]) - frozenset(after)


@functools.lru_cache(maxsize=4096)  # every site is tried: a query word's answer is kept
def names_a_disease(word: str) -> bool:
    """Whether a word names a disease, not only a growth in a part of the body: next to
    "chordoma" a word for rare only steers, next to "longkanker" it asks for the rare
    lung tumours ("Zeldzame longtumor") rather than the lung cancer called "longkanker"."""
    if word in RARE_WORDS or word in GROWTH_WORDS or word in BODY_SITES or word in SITE_PARTS:
        return False
    if word in KIND_WORDS or word.isdigit():
        return False  # "a rare type": it says which kind only with the word it goes with
    # "longkanker", "dikkedarmkanker": a part of the body, then a growth ("liposarcoom"
    # begins with "lip" and names a disease)
    growth = any(word.endswith(g) for g in GROWTH_WORDS if len(g) >= 5)
    return not (growth and any(site in word for site in BODY_SITES))


def _with_negations(words: list[str]) -> list[str]:
    """A negation joined to the word it negates: "niet hodgkin" is "niethodgkin"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        phrase = next((p for p in NSCLC_PHRASES if tuple(words[i : i + len(p)]) == p), None)
        if phrase is not None:
            out.append("nsclc")
            i += len(phrase)
            continue
        w = words[i]
        after = words[i + 1] if i + 1 < len(words) else ""
        if w in ("non", "niet") and after.startswith(NEGATABLE):
            out.append(w + after)
            i += 2
            continue
        out.append(w)
        i += 1
    return out


# The letter of a cell lineage, typed apart from its cell ("T-cell", "b cel lymfoom").
_LINEAGE_LETTERS = frozenset({"t", "b"})


def _with_lineages(words: list[str]) -> list[str]:
    """A lineage letter joined to the cell it names: "t cell" is "tcell", the key of
    a name's "T-cell" (its words joined). Alone the letter was dropped, and "T-cell
    lymphoma" found mantle cell lymphoma first, "cutaneous t cell lymphoma" the
    cutaneous B-cell lymphoma."""
    out: list[str] = []
    for w in words:
        if out and out[-1] in _LINEAGE_LETTERS and w.startswith("cel"):
            out[-1] += w
        else:
            out.append(w)
    return out


def _with_children(words: list[str]) -> list[str]:
    """A child's cancer in one word is a child and the cancer: "kinderkanker" asks for the
    place for children, as "kanker bij kinderen" does (it found the general rare-tumour
    page and germ cell tumours, not the Prinses Máxima Centrum)."""
    out: list[str] = []
    for w in words:
        rest = w[len(CHILD_PREFIX) :]
        if w.startswith(CHILD_PREFIX) and (rest in GROWTH_WORDS or rest in CHILD_GROWTH):
            out += ["kinderen", rest]
        else:
            out.append(w)
    return out


def _symptoms(content: Sequence[str]) -> tuple[str, ...]:
    """The complaints, when the query's words are only complaints (and the words that go
    with them: "night sweats", "wazig zien"), for a child or not; else nothing."""
    words = [w for w in content if w not in CHILD_WORDS and not w.isdigit()]
    if not any(w in SYMPTOM_WORDS for w in words):
        return ()
    if not all(w in SYMPTOM_WORDS or w in SYMPTOM_COMPANIONS for w in words):
        return ()
    return tuple(dict.fromkeys(words))


def understand(raw: str, gazetteer: GazetteerView | None = None, lang: str = "nl") -> Understanding:
    """Read a query. Never raises: any text gives an understanding (possibly empty).

    ``lang`` is the language of the page; the query itself may be in the other one
    (:func:`search.lexicon.query_language` decides which question words to drop).
    """
    text = clean_query(raw)
    bare = _BARE_NUMBER.match(text)
    if bare:
        number = int(bare.group(1))
        location = None
        if gazetteer and len(bare.group(1)) == 4:
            location = postcode_location(gazetteer, bare.group(1), bare.group(1))
        return Understanding(
            text, (), (), (number,), (), None, number_location=location, language=lang
        )
    orpha, icd, rest = _codes(text)
    words = tokens(rest)
    located = find_in_query(rest, words, gazetteer or GazetteerView())
    words = list(located.words)[: MAX_TERMS * 3]
    language = query_language(words, lang)
    words, ages, child_age = _ages(words)
    if ages:
        words = [w for w in words if w not in SEX_WORDS]  # "vrouw 45 jaar": the patient
    drop = STOPWORDS | (QUESTION_WORDS_NL if language == "nl" else QUESTION_WORDS_EN)
    drop -= _in_capitals(rest) - QUESTION_ABBREVIATIONS
    # "mijn man", "haar vrouw": a husband or a wife, not "male" or "female".
    words = [
        w for i, w in enumerate(words) if not (w in SPOUSES and i and words[i - 1] in POSSESSIVES)
    ]
    words = _with_children(_with_negations(_with_lineages(words)))
    described = _described(words, STOPWORDS | QUESTION_WORDS_NL | QUESTION_WORDS_EN)
    # Single letters are left of "children's" or "m'n", never a word to search for.
    content = [
        w for w in words if w not in drop and w not in AGE_WORDS and (len(w) > 1 or w.isdigit())
    ]
    if content:
        words = content
    symptoms = () if orpha or icd or located.location else _symptoms(content)
    if symptoms:
        words = []  # a doctor answers complaints; the names they match only frighten
    child_words = [w for w in words if w in CHILD_WORDS]
    if child_words and len(child_words) < len(words):
        words = [w for w in words if w not in CHILD_WORDS]
    else:
        child_words = []  # "kinderen" alone is what is searched for
    words = words[:MAX_TERMS]
    audience: list[str] = []
    if child_words or child_age:
        audience.append(CHILDREN)
    if any(w in PREGNANCY_WORDS for w in words):
        audience.append(PREGNANCY)
    if not child_age and any(int(a) in YOUNG_ADULT_AGES for a in ages):
        audience.append(YOUNG_ADULTS)  # "ik ben 25 en heb zaadbalkanker"
    optional = set(located.place_words)
    placeless = INSTITUTION_WORDS | KIND_OF_PLACE_WORDS | optional
    if any(w not in placeless for w in words):
        optional |= KIND_OF_PLACE_WORDS.intersection(words)  # "ziekenhuis" next to a disease
    if any(w not in ADULT_WORDS for w in words):
        optional |= ADULT_WORDS.intersection(words)  # "bij volwassenen" next to a disease
    if any(w not in LUMP_DESCRIPTIONS for w in words):
        optional |= LUMP_DESCRIPTIONS.intersection(words)  # "harde", "groeit", "upper"
    if any(names_a_disease(w) for w in words if w not in optional):
        optional |= RARE_WORDS.intersection(words)  # "a rare cancer called chordoma"
    optional |= described.intersection(words)
    limbs = LIMB_WORDS.intersection(words)
    no_what = LIMB_WORDS | GROWTH_WORDS | optional
    says_what = [w for w in words if w not in no_what]
    if says_what:
        # "melanoom op mijn arm": the disease says what, the arm only where. Next to a
        # sarcoma ("sarcoom in mijn dij") it still puts the soft-tissue and bone forms first.
        optional |= limbs
        if not any("sarco" in w for w in says_what):
            limbs = frozenset()
    melanoma = not MELANOMA_WORDS.isdisjoint(words)
    # "rare colon cancer": next to a part of the body, a word for cancer also matches the
    # tumours and carcinomas the catalogue names (on its own, or next to a hospital or a
    # place, it does not: "kanker ziekenhuis amsterdam" is about hospitals).
    sited = not BODY_SITES.isdisjoint(words)
    skin_mole = (PREGNANCY_WORDS | MOLA_WORDS).isdisjoint(words)
    terms: list[Term] = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        alternatives = _alternatives(word, last)
        if word in limbs:
            # "knobbel in mijn dij": the tissue is what the catalogue names.
            alternatives += _LIMB_TISSUE_ALTERNATIVES
        if melanoma and word in MUCOSAL_SITES:
            # "melanoom in de mond": the mucosa is what the catalogue names.
            alternatives += _MUCOSA_ALTERNATIVES
        if any(word.endswith(m) and word[: -len(m)] in MUCOSAL_SITES for m in MELANOMA_WORDS):
            alternatives += _MUCOSAL_MELANOMA_ALTERNATIVES
        if sited and word in RELATED:
            alternatives += _RELATED_ALTERNATIVES[word]
        if skin_mole and word in MOLE_WORDS:
            # the skin's mole first; the word as typed (the molar pregnancy) after it
            alternatives = [
                replace(a, cost=COST_RELATED) if a.reason == "exact" else a for a in alternatives
            ] + list(_SKIN_MOLE_ALTERNATIVES)
        terms.append(
            Term(
                word,
                word_key(word),
                tuple(alternatives),
                optional=word in optional and len(words) > 1,
                last=last,
            )
        )
    if CHILDREN in audience:
        # Optional words that put entries for children first ("childhood", "pediatric").
        child_alts = tuple(
            Alternative((word_key(w),), COST_TRANSLATION, "translation", surface=w)
            for w in CHILD_TERMS
        )
        context_word = (child_words or ages or ["kind"])[0]
        terms.append(
            Term(context_word, word_key(context_word), child_alts, optional=True, context=True)
        )
    spans: list[Span] = []
    for i in range(len(words)):
        for n in range(2, max(3, LONGEST_PHRASE) + 1):
            j = i + n - 1
            if j >= len(words):
                break
            part = words[i : j + 1]
            if n <= 3 and not any(w.isdigit() for w in part) and not _growth_before_site(part):
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
            # "tear gland", "renal pelvis": a small part of the body in two words, and
            # the broader site the catalogue names, as for one word.
            for other in BROADER_SITES.get(" ".join(part), ()):
                other_keys = tuple(word_key(w) for w in other.split())
                spans.append(
                    Span(i, j, Alternative(other_keys, COST_RELATED, "translation", surface=other))
                )
    return Understanding(
        text=text,
        terms=tuple(terms),
        spans=tuple(spans),
        orphacodes=tuple(dict.fromkeys(orpha)),
        icd10=tuple(dict.fromkeys(icd)),
        location=located.location,
        language=language,
        context=tuple(child_words + ages),
        audience=tuple(audience),
        ambiguous=tuple(w for w in dict.fromkeys(words) if w in AMBIGUOUS),
        common=common_cancer(words, icd),
        asks_for_panel=not PANEL_WORDS.isdisjoint(words),
        symptoms=symptoms,
        common_benign=tuple(w for w in dict.fromkeys(words) if w in COMMON_BENIGN_WORDS),
    )


def reading_of(u: Understanding, ignored: tuple[str, ...] = ()) -> Reading:
    """What the page says about how the query was read (both engines)."""
    return Reading(
        words=tuple(w for w in u.words if w not in ignored),
        ignored=ignored,
        context=u.context,
        audience=u.audience,
        ambiguous=u.ambiguous,
        common_cancer=u.common.slug if u.common else None,
        language=u.language,
        symptoms=u.symptoms,
        common_benign=u.common_benign,
    )
