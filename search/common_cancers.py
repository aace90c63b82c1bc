"""Common cancers: recognised in a query so the page can say they are usually not rare.

People type "borstkanker", "darmkanker" or "lung cancer" into a directory of rare
cancers. The catalogue lists the rare forms of these cancers, not the common
disease, so the page shows a short card (it is usually not a rare cancer, where to
read more) above the rare forms it did find. The rates behind the list: these
cancers each have an incidence of 6 or more per 100,000 a year in Europe, the
RARECARE line between common and rare cancers; cervical, oesophageal, liver,
thyroid, head-and-neck and testicular cancer fall below it and are not here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from search.lexicon import LIMB_WORDS


@dataclass(frozen=True)
class CommonCancer:
    slug: str  # the card's key: breast, colorectal, ...
    organs: frozenset[str]  # folded words naming the organ, in Dutch and English
    icd10: tuple[str, ...]  # ICD-10 categories of the common cancer ("C50")
    also: frozenset[str] = frozenset()  # whole words that name it on their own
    not_after: frozenset[str] = frozenset()  # an organ word after these is another organ


CANCER_WORDS = frozenset(
    ("kanker", "kankers", "cancer", "cancers", "carcinoom", "carcinomen", "carcinoma")
)
_SUFFIXES = ("kanker", "carcinoom", "cancer", "carcinoma")


def _c(slug: str, organs: str, icd10: str, also: str = "", not_after: str = "") -> CommonCancer:
    return CommonCancer(
        slug,
        frozenset(organs.split()),
        tuple(icd10.split()),
        frozenset(also.split()),
        frozenset(not_after.split()),
    )


COMMON_CANCERS: tuple[CommonCancer, ...] = (
    _c("breast", "borst borsten mamma breast breasts", "C50"),
    _c(
        "colorectal",
        "darm dikkedarm endeldarm colon rectum bowel colorectaal colorectal rectal",
        "C18 C19 C20",
        not_after="dunne dunnedarm small blinde",
    ),
    _c("lung", "long longen lung lungs", "C34", also="pancoast nsclc"),
    _c("prostate", "prostaat prostate", "C61"),
    _c(
        "skin",
        "huid skin",
        "C43 C44",
        also="basaalcelcarcinoom basaalcelkanker basalioom basalioma bowen",
    ),
    _c("bladder", "blaas urineblaas bladder", "C67", not_after="gal gall"),
    _c("stomach", "maag stomach gastric", "C16"),
    _c("pancreas", "alvleesklier pancreas pancreatic", "C25"),
    _c("kidney", "nier nieren kidney renal", "C64"),
    _c("ovary", "eierstok eierstokken ovarium ovary ovarian", "C56"),
    _c(
        "uterus",
        "baarmoeder baarmoederslijmvlies endometrium uterus uterine endometrial womb",
        "C54",
    ),
)
# A skin melanoma is common; "melanoom" alone is not (eye and mucosa melanomas are rare).
_SKIN_MELANOMA = frozenset({"melanoom", "melanoma"})
# Parts of a common cancer's organ whose cancers are rare: the endocrine pancreas
# (neuroendocrine) and the appendix (C18.1, inside the colon's C18).
_RARE_PART = frozenset({"C25.4", "C18.1"})
_BY_ORGAN = {organ: c for c in COMMON_CANCERS for organ in c.organs}
_BY_WORD = {word: c for c in COMMON_CANCERS for word in c.also}
_BY_ICD10 = {code: c for c in COMMON_CANCERS for code in c.icd10}
_BY_SLUG = {c.slug: c for c in COMMON_CANCERS}


def common_cancer(words: Sequence[str], icd10: Sequence[str] = ()) -> CommonCancer | None:
    """The common cancer the folded ``words`` (or ICD-10 codes) name, if any."""
    for code in icd10:
        code = code.upper()
        if code not in _RARE_PART and code.split(".")[0] in _BY_ICD10:
            return _BY_ICD10[code.split(".")[0]]
    named = any(w in CANCER_WORDS for w in words)
    melanoma = any(w in _SKIN_MELANOMA for w in words)
    if melanoma and not LIMB_WORDS.isdisjoint(words):
        return _BY_SLUG["skin"]  # "melanoom op mijn arm": on an arm or a leg it is the skin
    for i, w in enumerate(words):
        before = words[i - 1] if i else ""
        cancer = _BY_WORD.get(w)
        if cancer is not None:
            return cancer
        cancer = _BY_ORGAN.get(w)
        if (
            cancer is not None
            and before not in cancer.not_after
            and (named or (melanoma and cancer.slug == "skin"))
        ):
            return cancer
        for suffix in _SUFFIXES:
            if w.endswith(suffix):
                cancer = _BY_ORGAN.get(w[: -len(suffix)])
                if cancer is not None and before not in cancer.not_after:
                    return cancer
    return None
