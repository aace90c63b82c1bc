"""What each caller of the text folding gets, pinned on awkward inputs.

Three accent-folding functions (the gazetteer's place key, the search engines' fold
and the name-matching key behind slugs) became one. These tables were recorded from
the three old functions before they were merged, so a change of output for any caller
fails here. The place key and the search fold were the same function twice; the name
key differs only in spelling out ``+`` and ``&`` (after the Unicode decomposition, so
the full-width forms are spelled out too).
"""

from __future__ import annotations

import pytest

from config.settings import PROJECT_ROOT
from directory.expertise.slugs import slugify
from directory.text import fold, fold_name
from search.text import tokens

# input -> (fold: place key and search fold, fold_name: matching key of a name)
PINNED: dict[str, tuple[str, str]] = {
    "": ("", ""),
    "'s-Hertogenbosch": ("s hertogenbosch", "s hertogenbosch"),
    "Måxima": ("maxima", "maxima"),
    "Ziekenhuis St. Jansdal": ("ziekenhuis st jansdal", "ziekenhuis st jansdal"),
    "UMC St. Radboud": ("umc st radboud", "umc st radboud"),
    "Ewing-sarcoom": ("ewing sarcoom", "ewing sarcoom"),
    "ß": ("", ""),  # no decomposition and not [a-z]: a word break
    "Straße": ("stra e", "stra e"),
    "ẞ": ("", ""),
    "Œ": ("", ""),
    "Œuvre": ("uvre", "uvre"),
    "Æsir": ("sir", "sir"),
    "Øresund": ("resund", "resund"),
    "Łódź": ("odz", "odz"),
    "ﬁbrosis": ("fibrosis", "fibrosis"),  # the ligature decomposes
    "ĳssel": ("ijssel", "ijssel"),
    "Ǆ": ("dz", "dz"),
    "e\u0301e\u0300": ("ee", "ee"),  # combining marks after the letter
    "\u0301": ("", ""),  # a combining mark alone
    "İstanbul": ("istanbul", "istanbul"),
    "Curaçao": ("curacao", "curacao"),
    "naïeve": ("naieve", "naieve"),
    "½": ("1 2", "1 2"),
    "²": ("2", "2"),
    "Ｆｕｌｌ": ("full", "full"),
    "ΑΒΓ": ("", ""),
    "  a  b  ": ("a b", "a b"),
    "x\u00a0y": ("x y", "x y"),
    "Sarcoom & GIST": ("sarcoom gist", "sarcoom en gist"),
    "HER2+ borst": ("her2 borst", "her2 plus borst"),
    "＋＆": ("", "plus en"),  # full-width: decomposed first, then spelled out
}


@pytest.mark.parametrize("text", sorted(PINNED))
def test_fold_as_the_gazetteer_and_search_used_it(text: str) -> None:
    assert fold(text) == PINNED[text][0]
    assert tokens(text) == PINNED[text][0].split()


@pytest.mark.parametrize("text", sorted(PINNED))
def test_fold_name_as_names_and_slugs_used_it(text: str) -> None:
    assert fold_name(text) == PINNED[text][1]
    assert slugify(text) == PINNED[text][1].replace(" ", "-")


def test_only_directory_text_decomposes_text() -> None:
    """A second folding function would drift from this one: there is one."""
    root = PROJECT_ROOT
    folders = ("directory", "importers", "search", "web", "expertisewijzer")
    found = [
        str(path.relative_to(root))
        for folder in folders
        for path in sorted((root / folder).rglob("*.py"))
        if "unicodedata.normalize" in path.read_text()
    ]
    assert found == ["directory/text.py"]
