"""Mark the words of a text that match the search terms: escape first, then add ``<mark>``.

Matching is accent- and case-insensitive and by word prefix, the way the search engines
match (``"chondro"`` marks ``Chondrosarcoom``). Everything that is not a marked word is
escaped, so no input, neither the text nor the query, can put markup in the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from directory.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)


def highlight(text: str, terms: Iterable[str]) -> Markup:
    """``text`` escaped, with each word that starts with one of ``terms`` (folded) marked."""
    folded_terms = tuple(t for t in (fold(t) for t in terms) if t)
    if not folded_terms:
        return escape(text)
    out: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        word = fold(m.group())
        if word and any(word.startswith(t) for t in folded_terms):
            out.append(escape(text[pos : m.start()]))
            out.append(Markup("<mark>{}</mark>").format(m.group()))
            pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)
