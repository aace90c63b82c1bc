"""Text folding: the one place that turns a name or a query into plain words.

Every layer folds with these (the gazetteer's place keys, the search index and
queries, the matching keys of names and the slugs made from them), so a key stored by
an importer and a key computed by a reader agree. ``tests/unit/directory/test_text_folding.py`` pins
what each caller gets.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Symbols a name spells out before its key is made: "HER2+" is "her2 plus".
NAME_SYMBOLS: tuple[tuple[str, str], ...] = (("+", "plus"), ("&", "en"))


def fold(text: str, *, spell_out: tuple[tuple[str, str], ...] = ()) -> str:
    """Lower case, no accents, words of ``[a-z0-9]`` joined by one space.

    ``"'s-Hertogenbosch"`` -> ``"s hertogenbosch"``, ``"Måxima"`` -> ``"maxima"``. The
    compatibility decomposition (NFKD) splits ligatures (``"ﬁ"`` -> ``"fi"``) and
    full-width forms; letters it does not decompose (``"ß"``, ``"Œ"``, ``"Ø"``) end a
    word. ``spell_out`` replaces symbols by words after the decomposition and before
    the words are taken.
    """
    if text.isascii():
        # NFKD leaves ASCII as it is and ASCII has no combining marks: most names and
        # queries skip the character-by-character pass (a third of an index build's
        # folding time, and of a search's).
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for symbol, word in spell_out:
        plain = plain.replace(symbol, f" {word} ")
    return _NON_WORD.sub(" ", plain).strip()


def fold_name(text: str) -> str:
    """The matching key of a name: :func:`fold` with ``+`` and ``&`` spelled out.

    "UMC St. Radboud", "umc st radboud" and "UMC-St-Radboud" have the same key.
    """
    return fold(text, spell_out=NAME_SYMBOLS)
