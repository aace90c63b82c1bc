"""Query cleaning and parsing shared by the search engines (folding is :mod:`directory.text`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from directory.text import fold
from search.engine import MAX_QUERY_CHARS

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ORPHA = re.compile(r"\b(?:orpha(?:code|net)?|orphanumber)\s*[:#]?\s*(\d{1,7})\b", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\s*(\d{1,7})\s*$")


def tokens(text: str) -> list[str]:
    return fold(text).split()


def clean_query(raw: str) -> str:
    """Make any user input safe to search: no control characters, bounded length."""
    text = _CONTROL.sub(" ", raw)
    text = text.encode("utf-8", "replace").decode("utf-8", "replace")
    return " ".join(text.split())[:MAX_QUERY_CHARS]


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the cleaned query
    terms: tuple[str, ...]  # folded words, codes removed
    orphacodes: tuple[int, ...]


def parse_query(raw: str) -> ParsedQuery:
    text = clean_query(raw)
    codes: list[int] = []
    bare = _BARE_NUMBER.match(text)
    rest = text
    if bare:
        codes.append(int(bare.group(1)))
        rest = ""
    else:
        for m in _ORPHA.finditer(text):
            codes.append(int(m.group(1)))
        rest = _ORPHA.sub(" ", text)
    return ParsedQuery(text=text, terms=tuple(tokens(rest)), orphacodes=tuple(codes))
