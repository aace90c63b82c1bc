"""Whole numbers in text from outside (URLs, forms, settings): ASCII digits only.

``str.isdigit()`` is also true for characters such as ``²`` that ``int()`` refuses,
and ``int()`` accepts the digits of other scripts (``"١٧٨"``); the pattern
``s.isdigit() and int(s)`` turned such input into a server error (security review
D3). Every place that turns outside text into a number for a lookup uses this.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")


def ascii_int(text: str, max_digits: int = 9) -> int | None:
    """``text`` as a whole number when it is 1 to ``max_digits`` ASCII digits, else None."""
    if not 0 < len(text) <= max_digits or not _DIGITS.fullmatch(text):
        return None
    return int(text)
